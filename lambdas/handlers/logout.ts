import { logoutRoute } from './logout.route';
import { accountsContext } from '../wiring/accounts';
import { UnauthorizedError } from '../shared/errors';
import { httpRoute } from '../shared/http';

const deps = accountsContext(logoutRoute);

export const handler = httpRoute(logoutRoute, async ({ principal, audit }) => {
  if (!principal.sessionId) throw new UnauthorizedError();
  await deps(audit).sessions.delete(principal.sessionId, principal.subjectId);
  return { status: 204 };
});
