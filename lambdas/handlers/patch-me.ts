import { correctAccount } from '../domain/accounts';
import { patchMeRoute } from './patch-me.route';
import { accountsContext } from '../wiring/accounts';
import { httpRoute } from '../http/http';

const deps = accountsContext(patchMeRoute);

export const handler = httpRoute(patchMeRoute, async ({ body, principal, audit }) => {
  const { newPassword, currentPassword, ...profile } = body;
  const { account } = await correctAccount(deps(audit), principal.subjectId, {
    profile,
    newPassword,
    currentPassword,
    currentSession: principal.sessionId,
    sessionCreatedAt: principal.authTime,
  });
  return { body: account };
});
