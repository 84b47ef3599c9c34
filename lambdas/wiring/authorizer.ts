/**
 * Wires the Lambda authorizer to AWS: the sessions table only (the authorizer is in every request's path, so its bundle
 * and cold start stay as small as they can be).
 */
import { DynamoSessionLookup } from '../adapters/dynamo-session-lookup';
import type { RouteDefinition } from '../http/route-definition';
import { dynamodb } from '../runtime/clients';
import { intEnv } from '../runtime/env';
import { declaredStores } from '../runtime/stores';

/** Call at module scope: the sessions the authorizer reads, and the idle timeout it slides. */
export function authorizerContext(owner: Pick<RouteDefinition, 'id' | 'personalData'>) {
  return {
    sessions: new DynamoSessionLookup(dynamodb, declaredStores(owner).table('sessions')),
    idleSeconds: intEnv('SESSION_IDLE_SECONDS', 24 * 60 * 60),
  };
}
