/**
 * Wires the re-authentication guard of destructive admin routes (`reauthentication: true` in the route table) to the
 * sessions table: the same light lookup the authorizer uses, so a guarded route bundles nothing of the accounts use cases.
 */
import { DynamoSessionLookup } from '../adapters/dynamo-session-lookup';
import { requireRecentAuthentication } from '../domain/sessions';
import type { RouteDefinition } from '../http/route-definition';
import { dynamodb } from '../runtime/clients';
import { declaredStores } from '../runtime/stores';

/** Call at module scope: the guard of a route that asks for re-authentication, or undefined for one that does not. */
export function reauthenticationGuard(
  route: Pick<RouteDefinition, 'id' | 'personalData' | 'reauthentication'>,
): ((sessionId: string | undefined) => Promise<void>) | undefined {
  if (!route.reauthentication) return undefined;
  const sessions = new DynamoSessionLookup(dynamodb, declaredStores(route).table('sessions'));
  return (sessionId) => requireRecentAuthentication({ sessions, now: () => new Date() }, sessionId);
}
