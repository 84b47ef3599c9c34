import { logoutRoute } from './logout.route';
import { accountsContext } from '../wiring/accounts';
import { UnauthorizedError } from '../http/problems';
import { httpRoute } from '../http/http';

const deps = accountsContext(logoutRoute);

export const handler = httpRoute(logoutRoute, async ({ principal, audit }) => {
  if (!principal.sessionId) throw new UnauthorizedError();
  await deps(audit).sessions.delete(principal.sessionId, principal.subjectId);
  return { status: 204 };
});
