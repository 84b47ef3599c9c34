import { myRequestsRoute } from './my-requests.route';
import { httpRoute } from '../http/http';
import { requestView } from '../domain/rights';
import { rightsContext } from '../wiring/rights';

const rights = rightsContext(myRequestsRoute);

export const handler = httpRoute(myRequestsRoute, async ({ principal, audit }) => {
  const requests = await rights(audit).requests.listForSubject(principal.subjectId);
  return { body: { requests: requests.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).map((r) => requestView(r)) } };
});
