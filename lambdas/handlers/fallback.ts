import { fallbackRoute, matchRoute } from '../routes';
import { MethodNotAllowedError, NotFoundError } from '../shared/errors';
import { httpRoute } from '../shared/http';

/**
 * Answers what the route table does not: API Gateway sends unknown paths here through `/{proxy+}` and wrong methods through
 * an ANY method on each known resource; the local server does the same. 404 or 405 as problem+json, never the gateway's
 * own 403 "Missing Authentication Token".
 */
export const handler = httpRoute(fallbackRoute, async ({ event }) => {
  const match = matchRoute(event.httpMethod, event.path);
  if (match && 'allowed' in match) throw new MethodNotAllowedError(match.allowed);
  throw new NotFoundError();
});
