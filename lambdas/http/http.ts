/**
 * `httpRoute`: the handler of a route that touches personal data. The HTTP chain is `./http-core`'s; this module adds, from
 * the route's declaration at cold start, what personal data needs: the request's audit trail, the consent gate of a gated
 * purpose, and the key of its sealed paging cursors (derived from the pseudonym HMAC key). Routes that touch no personal
 * data use `dataFreeRoute` from `./http-core` and bundle none of these adapters.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ConsentRequiredError } from '../domain/consent';
import { auditTrails, pseudonymHmac } from '../wiring/audit';
import { consentGateFor } from '../wiring/consent';
import { reauthenticationGuard } from '../wiring/reauthentication';
import { CursorSealer, cursorKeyFrom } from './cursor';
import { routeHandler, type HttpAnswer, type HttpRequest, type PersonalDataHooks } from './http-core';
import { logger } from '../runtime/logger';
import type { RouteDefinition } from './route-definition';

export {
  dataFreeRoute,
  headerOf,
  jsonAnswer,
  principalOf,
  problemAnswer,
  readJsonBody,
  toFieldErrors,
  type DeclaredHeaders,
  type HttpAnswer,
  type HttpRequest,
  type PageRequest,
  type Principal,
  type Role,
} from './http-core';

/** Builds the Lambda handler for a route: `export const handler = httpRoute(fooRoute, async (req) => ({ body }))`. */
export function httpRoute<const R extends RouteDefinition>(
  route: R,
  fn: (request: HttpRequest<R>) => Promise<HttpAnswer>,
): middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  return routeHandler(route, fn, personalDataHooks(route));
}

function personalDataHooks(route: RouteDefinition): PersonalDataHooks {
  const gate = consentGateFor(route);
  const reauthentication = reauthenticationGuard(route);
  return {
    auditTrail: auditTrails(route, 'route'),
    admit:
      gate || reauthentication
        ? async (principal) => {
            // A destructive admin action first: without a recent password and code, nothing else is looked at.
            await reauthentication?.(principal.sessionId);
            if (!gate) return 'proceed';
            const decision = await gate.check(principal.subjectId);
            if (decision.allowed) return 'proceed';
            if (route.consentGate === 'drop') {
              logger.info('request dropped by consent gate', { purpose: gate.purpose, reason: decision.reason });
              return 'drop';
            }
            throw new ConsentRequiredError(gate.purpose, decision.reason!);
          }
        : undefined,
    // The cursor sealer of a paginated route, built at cold start; its key is derived on the first cursor, from the
    // pseudonym HMAC key every route that touches personal data is granted (`withAudit`; `routes.test.ts` checks paging
    // routes have it).
    cursors: route.paging ? new CursorSealer(cursorKeyFrom(pseudonymHmac())) : undefined,
  };
}
