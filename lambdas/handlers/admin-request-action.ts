/**
 * The HTTP side of the admin actions on one request (approve, reject, extend, complete: domain/rights-requests.ts), shared
 * by their four thin handlers and `fmn requests`.
 */
import { actOnRequest, type AdminAction } from '../domain/rights-requests';
import { requestView } from '../domain/rights';
import type { AuditTrail } from '../adapters/dynamo-audit';
import type { RouteDefinition } from '../http/route-definition';
import { rightsContext } from '../wiring/rights';

export function adminAction<B>(route: Pick<RouteDefinition, 'id' | 'personalData'>, act: AdminAction<B>) {
  const rights = rightsContext(route);
  // The body was validated against the route's schema, which is the action's body type.
  return async (requestId: string, body: unknown, audit: AuditTrail | undefined) => {
    const next = await actOnRequest(rights(audit), requestId, act, body as B);
    return { body: { ...requestView(next, { admin: true }), subjectId: next.subjectId } };
  };
}
