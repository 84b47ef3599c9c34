import { rejectRequestRoute } from './reject-request.route';
import { httpRoute } from '../http/http';
import { reject } from '../domain/rights-requests';
import { adminAction } from './admin-request-action';

const act = adminAction(rejectRequestRoute, reject);

export const handler = httpRoute(rejectRequestRoute, async ({ params, body, audit }) => act(params.requestId, body, audit));
