import { listSessionsRoute } from './list-sessions.route';
import { accountsContext } from '../wiring/accounts';
import { httpRoute } from '../http/http';

const deps = accountsContext(listSessionsRoute);

export const handler = httpRoute(listSessionsRoute, async ({ principal, audit }) => {
  const now = Math.floor(Date.now() / 1000);
  const sessions = (await deps(audit).sessions.listForSubject(principal.subjectId))
    // TTL deletion is lazy: expired sessions may still be in the table.
    .filter((s) => s.expiresAt > now && s.idleExpiresAt > now)
    .map((s) => {
      const record = s as typeof s & { createdAt: string; lastUsedAt: string; deviceLabel: string };
      return {
        id: s.tokenHash.slice(0, 16),
        deviceLabel: record.deviceLabel,
        createdAt: record.createdAt,
        lastUsedAt: record.lastUsedAt,
        expiresAt: new Date(s.expiresAt * 1000).toISOString(),
        current: s.tokenHash === principal.sessionId,
      };
    })
    .sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt));
  return { body: { sessions } };
});
