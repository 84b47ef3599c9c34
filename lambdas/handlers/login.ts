import { login } from '../domain/accounts';
import { loginRoute } from './login.route';
import { accountsContext } from '../wiring/accounts';
import { httpRoute } from '../http/http';
import { totpCodes } from '../wiring/second-factor';
import { deviceLabelOf, issuedSessionView } from './session-view';

const deps = accountsContext(loginRoute, { totp: totpCodes() });

export const handler = httpRoute(loginRoute, async ({ body, event, headers, audit }) => {
  const { subjectId, session } = await login(deps(audit), {
    email: body.email,
    password: body.password,
    code: body.code,
    // Only ever used as HMAC input for the per-client throttle counter.
    clientAddress: event.requestContext.identity?.sourceIp ?? 'unknown',
    deviceLabel: deviceLabelOf(headers),
  });
  return { status: 201, body: { subjectId, session: issuedSessionView(session) } };
});
