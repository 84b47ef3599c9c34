import { subjectChain } from '../domain/audit';
import { adminAuditRoute } from './admin-audit.route';
import { auditReading } from '../wiring/audit';
import { ValidationError } from '../http/problems';
import { httpRoute } from '../http/http';

const { reader, pseudonyms } = auditReading(adminAuditRoute);

/** Day partitions walked at most per query when neither subject nor actor narrows it. */
const MAX_DAYS_WITHOUT_KEY = 31;
const DAY_MS = 86_400_000;

export const handler = httpRoute(adminAuditRoute, async ({ query, page, audit }) => {
  const macs = pseudonyms();
  const subjectPseudonym = query.subjectId ? await macs.subject(query.subjectId) : query.subjectPseudonym;
  const actorId = query.actorSubjectId ? `subject:${await macs.subject(query.actorSubjectId)}` : query.actorId;
  const keyed = subjectPseudonym !== undefined || actorId !== undefined;

  const to = query.to ?? new Date().toISOString();
  const from = query.from ?? (keyed ? '1970-01-01T00:00:00.000Z' : new Date(Date.parse(to) - 7 * DAY_MS).toISOString());
  if (from > to) throw new ValidationError([{ path: 'query.from', message: 'from is after to' }]);
  if (!keyed && Date.parse(to) - Date.parse(from) > MAX_DAYS_WITHOUT_KEY * DAY_MS) {
    throw new ValidationError([{ path: 'query.from', message: `Without a subject or actor, search at most ${MAX_DAYS_WITHOUT_KEY} days` }]);
  }

  const { entries, next } = await reader.page(
    { chainId: subjectPseudonym ? subjectChain(subjectPseudonym) : undefined, actorId, action: query.action, from, to },
    Number(query.limit ?? 50),
    page.position,
  );
  // Looking at someone's trail is itself an access, recorded on that subject's chain (or the system chain).
  audit?.noteReadOf(query.subjectId ? { subjectId: query.subjectId } : { subjectPseudonym }, ['audit.subjectPseudonym', 'audit.actorId', 'audit.action', 'audit.fields']);
  return { body: { entries, next: await page.next(next) } };
});
