import { loginWithExternalIdentity } from '../domain/accounts';
import { oidcLoginRoute } from './login-oidc.route';
import { httpRoute } from '../http/http';
import { accountsContext } from '../wiring/accounts';
import { identityTokenVerifier } from '../wiring/identity-providers';
import { deviceLabelOf, issuedSessionView } from './session-view';

const deps = accountsContext(oidcLoginRoute);
const verifier = identityTokenVerifier();

export const handler = httpRoute(oidcLoginRoute, async ({ body, headers, audit }) => {
  const identity = await verifier.verify(body.idToken);
  const { subjectId, created, linked, session } = await loginWithExternalIdentity(deps(audit), identity, deviceLabelOf(headers));
  return { status: 201, body: { subjectId, created, linked, session: issuedSessionView(session) } };
});
