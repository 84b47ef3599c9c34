/**
 * Wires the accounts feature to AWS: for one route, the stores it declared, the KMS keys its declaration names, and
 * per-invocation objects (stores writing through this request's audit trail) built fresh for each request; the identity
 * providers' token verifier is in `identity-providers.ts` (it loads `jose`), the authorizer's wiring in `authorizer.ts`.
 */
import { DynamoAccountStore, DynamoSessionStore, DynamoThrottleStore } from '../adapters/dynamo-accounts';
import { KmsSubjectKeyring } from '../adapters/kms-keyring';
import { KmsPseudonyms } from '../adapters/kms-pseudonyms';
import type { AuditTrail } from '../adapters/dynamo-audit';
import type { AccountsDeps } from '../domain/accounts';
import { DEFAULT_SCRYPT } from '../domain/passwords';
import type { RouteDefinition } from '../http/route-definition';
import { dynamodb } from '../runtime/clients';
import { kms } from '../runtime/kms';
import { intEnv, requireEnv } from '../runtime/env';
import { keyEnvVar } from '../runtime/resources';
import { declaredStores } from '../runtime/stores';


export const sessionPolicy = {
  idleSeconds: intEnv('SESSION_IDLE_SECONDS', 24 * 60 * 60),
  absoluteSeconds: intEnv('SESSION_ABSOLUTE_SECONDS', 14 * 24 * 60 * 60),
};
const scrypt = { ...DEFAULT_SCRYPT, logN: intEnv('PASSWORD_SCRYPT_LOG_N', DEFAULT_SCRYPT.logN) };

/** Call at module scope: reads and checks the route's configuration once per cold start. */
export function accountsContext(
  route: Pick<RouteDefinition, 'id' | 'personalData' | 'crypto'>,
  /** TOTP for the routes that enrol or check the admin second factor (`wiring/second-factor.ts`, which bundles otpauth). */
  extras: Pick<AccountsDeps, 'totp'> = {},
): (audit: AuditTrail | undefined) => AccountsDeps {
  const stores = declaredStores(route);
  const crypto = new Set(route.crypto ?? []);
  const dataKeyId = crypto.has('subjectKeys') ? requireEnv(keyEnvVar('dataKey')) : undefined;
  const pseudonymKeyId = crypto.has('pseudonyms') ? requireEnv(keyEnvVar('pseudonymKey')) : undefined;
  const lazy = <T>(make: () => T) => {
    let value: T | undefined;
    return () => (value ??= make());
  };
  const throttle = lazy(() => new DynamoThrottleStore(dynamodb, stores.table('loginThrottle')));
  const missing = (what: string) => () => {
    throw new Error(`${route.id} uses ${what} without declaring it`);
  };
  // Per request: the stores write through this request's audit trail. Unwrapped keys and pseudonyms are cached per
  // container, bounded (kms-keyring.ts, kms-pseudonyms.ts).
  return (audit) => {
    const keyring = lazy(() =>
      dataKeyId ? new KmsSubjectKeyring(kms, dynamodb, dataKeyId, stores.table('subjectKeys'), audit) : missing('subject keys')(),
    );
    const pseudonyms = lazy(() => (pseudonymKeyId ? new KmsPseudonyms(kms, pseudonymKeyId) : missing('pseudonyms')()));
    const accounts = lazy(() => new DynamoAccountStore(dynamodb, stores, audit));
    const sessions = lazy(() => new DynamoSessionStore(dynamodb, stores.table('sessions'), audit, () => stores.table('users')));
    return {
      get keyring() {
        return keyring();
      },
      get pseudonyms() {
        return pseudonyms();
      },
      get accounts() {
        return accounts();
      },
      get sessions() {
        return sessions();
      },
      get throttle() {
        return throttle();
      },
      now: () => new Date(),
      sessionPolicy,
      scrypt,
      totp: extras.totp,
    };
  };
}
