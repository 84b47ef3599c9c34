import { approveRequestRoute } from './approve-request.route';
import { httpRoute } from '../http/http';
import { approve } from '../domain/rights-requests';
import { adminAction } from './admin-request-action';

const act = adminAction(approveRequestRoute, approve);

export const handler = httpRoute(approveRequestRoute, async ({ params, body, audit }) => act(params.requestId, body, audit));
