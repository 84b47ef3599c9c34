import { logoutEverywhereRoute } from './logout-everywhere.route';
import { accountsContext } from '../wiring/accounts';
import { httpRoute } from '../http/http';

const deps = accountsContext(logoutEverywhereRoute);

export const handler = httpRoute(logoutEverywhereRoute, async ({ principal, audit }) => {
  await deps(audit).sessions.deleteAllForSubject(principal.subjectId);
  return { status: 204 };
});
