import { subjectChain } from '../domain/audit';
import { myAuditRoute } from './my-audit.route';
import { auditReading } from '../wiring/audit';
import { httpRoute } from '../http/http';

const { reader, pseudonyms } = auditReading(myAuditRoute);

/** The subject sees what was done and by what kind of actor, never another person's pseudonym. */
export const handler = httpRoute(myAuditRoute, async ({ principal, query, page, audit }) => {
  const pseudonym = await pseudonyms().subject(principal.subjectId);
  const self = `subject:${pseudonym}`;
  const { entries, next } = await reader.page(
    { chainId: subjectChain(pseudonym), from: '1970-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z' },
    Number(query.limit ?? 50),
    page.position,
  );
  audit?.noteRead(principal.subjectId, ['audit.action', 'audit.actorRole', 'audit.fields', 'audit.purpose']);
  return {
    body: {
      entries: entries.map((e) => ({
        at: e.at,
        action: e.action,
        actor: e.actorId === self ? 'you' : e.actorRole === 'admin' ? 'administrator' : e.actorRole === 'subject' ? 'another user' : 'service',
        purpose: e.purpose,
        categories: [...e.categories],
        fields: [...e.fields],
        outcome: e.outcome,
        origin: e.origin,
      })),
      next: await page.next(next),
    },
  };
});
