import { fallbackRoute } from './fallback.route';
import { MethodNotAllowedError, NotFoundError } from '../http/problems';
import { requireEnv } from '../runtime/env';
import { dataFreeRoute } from '../http/http-core';
import { matchRoute, parseRouteMethods, ROUTE_METHODS_ENV } from '../http/route-definition';

// The table's method and path pairs come from the deployment, so this function bundles no other route's declaration.
const knownRoutes = parseRouteMethods(requireEnv(ROUTE_METHODS_ENV));

/**
 * Answers what the route table does not: API Gateway sends unknown paths here through `/{proxy+}` and wrong methods through
 * an ANY method on each known resource; the local server does the same. 404 or 405 as problem+json, never the gateway's
 * own 403 "Missing Authentication Token".
 */
export const handler = dataFreeRoute(fallbackRoute, async ({ event }) => {
  const match = matchRoute(event.httpMethod, event.path, knownRoutes);
  if (match && 'allowed' in match) throw new MethodNotAllowedError(match.allowed);
  throw new NotFoundError();
});
