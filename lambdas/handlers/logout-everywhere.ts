import { logoutEverywhereRoute } from '../routes';
import { accountsContext } from '../shared/accounts-context';
import { httpRoute } from '../shared/http';

const deps = accountsContext(logoutEverywhereRoute);

export const handler = httpRoute(logoutEverywhereRoute, async ({ principal }) => {
  await deps().sessions.deleteAllForSubject(principal.subjectId);
  return { status: 204 };
});
