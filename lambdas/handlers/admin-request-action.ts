/**
 * The admin actions on one request (approve, reject, extend, complete), shared by their four thin handlers.
 */
import { assertExtendable, extendDueDate } from '../domain/deadlines';
import { InvalidTransitionError, RequestNotFoundError, type RightsRequest } from '../domain/rights';
import type { AuditTrail } from '../adapters/dynamo-audit';
import type { RouteDefinition } from '../shared/route-definition';
import { requestView, rightsContext } from '../shared/rights-context';

type Rights = ReturnType<ReturnType<typeof rightsContext>>;

export function adminAction(route: Pick<RouteDefinition, 'id' | 'personalData'>, act: (deps: Rights, request: RightsRequest, body: any) => Promise<RightsRequest>) {
  const rights = rightsContext(route);
  return async (requestId: string, body: unknown, audit: AuditTrail | undefined) => {
    const deps = rights(audit);
    const request = await deps.requests.get(requestId);
    if (!request) throw new RequestNotFoundError();
    const next = await act(deps, request, body);
    return { body: { ...requestView(next), subjectId: next.subjectId } };
  };
}

export async function approve(deps: Rights, request: RightsRequest): Promise<RightsRequest> {
  // Rectification is carried out by a person (then completed); only the automatic kinds have workers.
  if (request.type === 'rectification') throw new InvalidTransitionError(request.status, 'queued');
  const queued = await deps.requests.transition(request, 'queued', { by: 'admin', note: 'approved' }, deps.now());
  await deps.enqueue(queued);
  return queued;
}

export function reject(deps: Rights, request: RightsRequest, body: { reason: string }): Promise<RightsRequest> {
  return deps.requests.transition(request, 'rejected', { by: 'admin', note: body.reason }, deps.now());
}

export async function extend(deps: Rights, request: RightsRequest, body: { months: 1 | 2; reason: string }): Promise<RightsRequest> {
  assertExtendable(request);
  if (!['received', 'verified', 'queued', 'in_progress', 'failed'].includes(request.status)) {
    throw new InvalidTransitionError(request.status, request.status);
  }
  const now = deps.now();
  const dueAt = extendDueDate(request.originalDueAt, body.months);
  const next: RightsRequest = {
    ...request,
    dueAt,
    extension: { dueAt, months: body.months, reason: body.reason, at: now.toISOString() },
    history: [...request.history, { status: request.status, at: now.toISOString(), by: 'admin', note: `deadline extended to ${dueAt}: ${body.reason}` }],
    updatedAt: now.toISOString(),
  };
  await deps.requests.replace(request, next, ['rightsRequests.dueAt', 'rightsRequests.extension']);
  return next;
}

export function complete(deps: Rights, request: RightsRequest, body: { note: string }): Promise<RightsRequest> {
  return deps.requests.transition(request, 'completed', { by: 'admin', note: body.note }, deps.now());
}
