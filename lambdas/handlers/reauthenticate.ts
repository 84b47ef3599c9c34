import { reauthenticate } from '../domain/accounts';
import { reauthenticateRoute } from './reauthenticate.route';
import { accountsContext } from '../wiring/accounts';
import { UnauthorizedError } from '../http/problems';
import { httpRoute } from '../http/http';
import { totpCodes } from '../wiring/second-factor';

const deps = accountsContext(reauthenticateRoute, { totp: totpCodes() });

/** Password and second factor again, for destructive admin actions in the next few minutes. */
export const handler = httpRoute(reauthenticateRoute, async ({ body, event, principal, audit }) => {
  if (!principal.sessionId) throw new UnauthorizedError();
  return {
    body: await reauthenticate(deps(audit), {
      subjectId: principal.subjectId,
      sessionId: principal.sessionId,
      password: body.password,
      code: body.code,
      // Only ever used as HMAC input for the per-client throttle counter.
      clientAddress: event.requestContext.identity?.sourceIp ?? 'unknown',
    }),
  };
});
