import { extendRequestRoute } from './extend-request.route';
import { httpRoute } from '../http/http';
import { extend } from '../domain/rights-requests';
import { adminAction } from './admin-request-action';

const act = adminAction(extendRequestRoute, extend);

export const handler = httpRoute(extendRequestRoute, async ({ params, body, audit }) => act(params.requestId, body, audit));
