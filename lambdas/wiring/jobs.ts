/**
 * Wires the background work to AWS: the rights-request worker (export, access, erasure) and the retention job. Each
 * factory builds only what its function uses; the settings come from the environment, read once per cold start.
 */
import type { AuditTrail } from '../adapters/dynamo-audit';
import { DynamoRetentionStore } from '../adapters/dynamo-retention';
import { DynamoRightsStore } from '../adapters/dynamo-rights';
import { forgetSubjectKey, KmsSubjectKeyring } from '../adapters/kms-keyring';
import { forgetPseudonyms } from '../adapters/kms-pseudonyms';
import { DynamoRecipientOutbox } from '../adapters/dynamo-recipient-outbox';
import { snsRecipientEventPublisher } from '../adapters/sns-recipient-events';
import { snsSubjectEventPublisher } from '../adapters/sns-subject-events';
import type { SubjectEventPublisher } from '../domain/subject-events';
import { SubjectData } from '../adapters/subject-data';
import type { RecipientEventPublisher } from '../domain/recipient-events';
import { PREVIOUS_EMAIL_FIELD, type RecipientOutboxDeps } from '../domain/recipient-outbox';
import { openValue } from '../domain/subject-cipher';
import { unseal } from '../domain/accounts';
import type { RequestJobDeps } from '../domain/request-jobs';
import type { RetentionJobDeps } from '../domain/retention-job';
import { DEFAULT_LOOKBACK_MONTHS, retentionPolicyFrom } from '../domain/retention';
import { awaitedRecipients } from './awaited-recipients';
import type { AppStoreId } from '../inventory';
import type { RouteDefinition } from '../http/route-definition';
import { dynamodb } from '../runtime/clients';
import { intEnv, requireEnv } from '../runtime/env';
import { kms } from '../runtime/kms';
import { logger } from '../runtime/logger';
import { GetCommand } from '../adapters/dynamodb-sdk';
import { bucketEnvVar, keyEnvVar, topicEnvVar } from '../runtime/resources';
import { sns } from '../runtime/sns';
import { s3 } from '../runtime/s3';
import { declaredStores } from '../runtime/stores';
import { pseudonymHmac } from './audit';
import { rightsContext } from './rights';

type Owner = Pick<RouteDefinition, 'id' | 'personalData'>;

/** SQS redrive: the fifth failed receive is the last before the DLQ. */
const LAST_RECEIVE = 5;

/** A fault injected by FMN_FAULT_AFTER_ERASURE_STEP (below): never marks the request failed. */
export class InjectedFaultError extends Error {
  constructor() {
    super('injected fault after an erasure step');
    this.name = 'InjectedFaultError';
  }
}

/**
 * Fault injection for resilience tests and game days: `FMN_FAULT_AFTER_ERASURE_STEP=<store>[,<store>…]` makes the worker
 * fail once per request right after recording each of those steps, as a crash would. Unset in every deployment: then no
 * hook at all. The throw (not a kill, as `FMN_FAULT_KILL_AT` does) keeps the local cloud the worker runs in alive.
 */
function erasureFaults(raw = process.env.FMN_FAULT_AFTER_ERASURE_STEP): RequestJobDeps['afterErasureStep'] {
  const after = new Set((raw ?? '').split(',').filter(Boolean));
  if (after.size === 0) return undefined;
  const faulted = new Set<string>();
  return (requestId: string, store: AppStoreId) => {
    if (!after.has(store) || faulted.has(`${requestId}:${store}`)) return;
    faulted.add(`${requestId}:${store}`);
    throw new InjectedFaultError();
  };
}

/** Call at module scope: the worker's deps, per job (everything writes through the job's audit trail). */
export function requestJobContext(owner: Owner): (audit: AuditTrail) => RequestJobDeps {
  const stores = declaredStores(owner);
  const bucket = requireEnv(bucketEnvVar('exports'));
  const dataKeyId = requireEnv(keyEnvVar('dataKey'));
  const pseudonyms = pseudonymHmac();
  const afterErasureStep = erasureFaults();
  const recipients = recipientEventPublisher();
  const awaits = awaitedRecipients();
  const retention = new DynamoRetentionStore(dynamodb, { users: stores.table('users'), consent: stores.table('consent') });
  return (audit) => ({
    requests: new DynamoRightsStore(dynamodb, stores.table('rightsRequests'), audit, () => stores.table('consent')),
    retentionOf: (subjectId) => retention.get(subjectId),
    data: new SubjectData({
      db: dynamodb,
      s3,
      table: (id) => stores.table(id),
      bucket,
      keyring: new KmsSubjectKeyring(kms, dynamodb, dataKeyId, stores.table('subjectKeys'), audit),
      pseudonyms,
    }),
    audit: { record: (note) => audit.transact([], note), flushReads: (outcome) => audit.flushReads(outcome) },
    pseudonymOf: (subjectId) => pseudonyms.subject(subjectId),
    forgetCached: (subjectId) => {
      forgetSubjectKey(subjectId);
      forgetPseudonyms();
    },
    now: () => new Date(),
    recipients,
    awaits,
    lastReceive: LAST_RECEIVE,
    afterErasureStep,
    isInjectedFault: (error) => error instanceof InjectedFaultError,
  });
}

/** The recipient-events publisher, its SNS client built on first use (a job that publishes nothing builds none). */
function recipientEventPublisher(): RecipientEventPublisher {
  const topicArn = requireEnv(topicEnvVar('recipientEvents'));
  let publisher: RecipientEventPublisher | undefined;
  return { publish: (event) => (publisher ??= snsRecipientEventPublisher(sns(), topicArn)).publish(event) };
}

/** The subject-events publisher, its SNS client built on first use. */
function subjectEventPublisher(): SubjectEventPublisher {
  const topicArn = requireEnv(topicEnvVar('subjectEvents'));
  let publisher: SubjectEventPublisher | undefined;
  return { publish: (events) => (publisher ??= snsSubjectEventPublisher(sns(), topicArn)).publish(events) };
}

/**
 * Call at module scope: the outbox drain's deps, per run. The email is read from the account as it is now (profile only,
 * projected), through the run's audit trail: unwrapping the subject's key is a read of their data.
 */
export function recipientOutboxContext(owner: Owner): (audit: AuditTrail) => RecipientOutboxDeps {
  const stores = declaredStores(owner);
  const outbox = new DynamoRecipientOutbox(dynamodb, stores.table('consent'));
  const users = stores.table('users');
  const dataKeyId = requireEnv(keyEnvVar('dataKey'));
  const recipients = recipientEventPublisher();
  const subjects = subjectEventPublisher();
  return (audit) => {
    const keyring = new KmsSubjectKeyring(kms, dynamodb, dataKeyId, stores.table('subjectKeys'), audit);
    return {
      pending: (limit) => outbox.pending(limit),
      done: (stored) => outbox.done(stored),
      emailOf: async (subjectId) => {
        const { Item } = await dynamodb.send(
          new GetCommand({ TableName: users, Key: { subjectId }, ProjectionExpression: 'subjectId, profile', ConsistentRead: true }),
        );
        const key = Item ? await keyring.open(subjectId) : undefined;
        return key ? unseal(key, subjectId, Item!.profile).profile.email : undefined;
      },
      previousEmailOf: async (subjectId, sealed) => {
        const key = await keyring.open(subjectId);
        return key ? openValue<string>(key, subjectId, PREVIOUS_EMAIL_FIELD, sealed) : undefined;
      },
      recipients,
      subjects,
      now: () => new Date(),
      report: (what, error) => logger.error(what, { errorClass: (error as Error).name }),
    };
  };
}

/**
 * Call at module scope: the retention job's deps, per run. `committed` is where a crash may be injected (the job's
 * handler passes it); the policy and the lookback come from the environment.
 */
export function retentionJobContext(owner: Owner): (audit: AuditTrail, committed?: () => void) => RetentionJobDeps {
  const stores = declaredStores(owner);
  const tables = { users: stores.table('users'), consent: stores.table('consent'), rightsRequests: stores.table('rightsRequests') };
  const policy = retentionPolicyFrom({ inactiveMonths: process.env.RETENTION_INACTIVE_MONTHS, graceDays: process.env.RETENTION_GRACE_DAYS });
  const lookbackMonths = intEnv('RETENTION_LOOKBACK_MONTHS', DEFAULT_LOOKBACK_MONTHS);
  const rights = rightsContext(owner);
  return (audit, committed) => ({
    ...rights(audit),
    store: new DynamoRetentionStore(dynamodb, tables, audit),
    policy,
    lookbackMonths,
    pageSize: 100,
    safetyMarginMs: 30_000,
    committed,
    report: (what, error) => logger.error(what, { errorClass: (error as Error).name }),
  });
}
