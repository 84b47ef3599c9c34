import { getAccount } from '../domain/accounts';
import { getMeRoute } from './get-me.route';
import { accountsContext } from '../wiring/accounts';
import { httpRoute } from '../http/http';

const deps = accountsContext(getMeRoute);

export const handler = httpRoute(getMeRoute, async ({ principal, audit }) => ({
  body: await getAccount(deps(audit), principal.subjectId),
}));
