import { completeRequestRoute } from './complete-request.route';
import { httpRoute } from '../http/http';
import { complete } from '../domain/rights-requests';
import { adminAction } from './admin-request-action';

const act = adminAction(completeRequestRoute, complete);

export const handler = httpRoute(completeRequestRoute, async ({ params, body, audit }) => act(params.requestId, body, audit));
