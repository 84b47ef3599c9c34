import { RequestNotFoundError, requestView } from '../domain/rights';
import { adminRequestRoute } from './admin-request.route';
import { httpRoute } from '../http/http';
import { rightsRequests } from '../wiring/rights';

const requests = rightsRequests(adminRequestRoute);

/** One request for an admin, whoever filed it; the store notes the read on the subject's chain. */
export const handler = httpRoute(adminRequestRoute, async ({ params, audit }) => {
  const request = await requests(audit).get(params.requestId);
  if (!request) throw new RequestNotFoundError();
  return { body: { ...requestView(request, { admin: true }), subjectId: request.subjectId } };
});
