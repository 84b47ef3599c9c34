import { OPEN_STATUSES, type RightsRequest } from '../domain/rights';
import { adminRequestsRoute } from './admin-requests.route';
import { httpRoute } from '../http/http';
import { requestView } from '../domain/rights';
import { legalHolds, rightsContext } from '../wiring/rights';

const rights = rightsContext(adminRequestsRoute);
const holds = legalHolds(adminRequestsRoute);

export const handler = httpRoute(adminRequestsRoute, async ({ query, audit }) => {
  const { requests } = rights(audit);
  const today = new Date().toISOString().slice(0, 10);
  const statuses = query.status ? [query.status] : OPEN_STATUSES;
  const found: RightsRequest[] = [];
  for (const status of statuses) found.push(...(await requests.listByStatus(status, query.overdue === 'true' ? today : undefined)));
  const listed = found.filter((r) => !query.type || r.type === query.type).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const subjects = listed.map((r) => r.subjectId).filter((id) => !id.startsWith('erased#'));
  const held = subjects.length > 0 ? await holds.heldAmong(subjects) : new Set<string>();
  // Each subject whose request an admin looked at gets an entry on their own chain.
  for (const id of subjects) audit?.noteRead(id, ['rightsRequests.status', 'rightsRequests.type', 'users.legalHold']);
  return {
    body: { requests: listed.map((r) => ({ ...requestView(r, { admin: true }), subjectId: r.subjectId, legalHold: held.has(r.subjectId) })) },
  };
});
