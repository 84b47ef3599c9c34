import { RequestNotFoundError } from '../domain/rights';
import { myRequestRoute } from './my-request.route';
import { httpRoute } from '../http/http';
import { requestView } from '../domain/rights';
import { rightsContext } from '../wiring/rights';

const rights = rightsContext(myRequestRoute);

export const handler = httpRoute(myRequestRoute, async ({ principal, params, audit }) => {
  const request = await rights(audit).requests.get(params.requestId);
  // Someone else's request is "not found", not "forbidden": ids must not confirm what exists.
  if (!request || request.subjectId !== principal.subjectId) throw new RequestNotFoundError();
  return { body: requestView(request) };
});
