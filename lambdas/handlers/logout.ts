import { logoutRoute } from '../routes';
import { accountsContext } from '../shared/accounts-context';
import { UnauthorizedError } from '../shared/errors';
import { httpRoute } from '../shared/http';

const deps = accountsContext(logoutRoute);

export const handler = httpRoute(logoutRoute, async ({ principal }) => {
  if (!principal.sessionId) throw new UnauthorizedError();
  await deps().sessions.delete(principal.sessionId);
  return { status: 204 };
});
