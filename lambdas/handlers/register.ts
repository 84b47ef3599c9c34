import { register } from '../domain/accounts';
import { registerRoute } from '../routes';
import { accountsContext } from '../shared/accounts-context';
import { httpRoute } from '../shared/http';
import { deviceLabelOf, issuedSessionView } from './session-view';

const deps = accountsContext(registerRoute);

export const handler = httpRoute(registerRoute, async ({ body, event, audit }) => {
  const { password, ...profile } = body;
  const { account, session } = await register(deps(audit), { profile, password, deviceLabel: deviceLabelOf(event) });
  return { status: 201, body: { account, session: issuedSessionView(session) } };
});
