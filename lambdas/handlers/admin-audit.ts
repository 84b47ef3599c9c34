import { resolveSearch } from '../domain/audit-search';
import { adminAuditRoute } from './admin-audit.route';
import { auditReading } from '../wiring/audit';
import { httpRoute } from '../http/http';

const { reader, pseudonyms } = auditReading(adminAuditRoute);

/** One page of a search (domain/audit-search.ts resolves subject ids to pseudonyms and checks the range). */
export const handler = httpRoute(adminAuditRoute, async ({ query, page, audit }) => {
  const { filter, subjectPseudonym } = await resolveSearch(query, pseudonyms(), new Date());
  const { entries, next } = await reader.page(filter, Number(query.limit ?? 50), page.position);
  // Looking at someone's trail is itself an access, recorded on that subject's chain (or the system chain).
  audit?.noteReadOf(query.subjectId ? { subjectId: query.subjectId } : { subjectPseudonym }, ['audit.subjectPseudonym', 'audit.actorId', 'audit.action', 'audit.fields']);
  return { body: { entries, next: await page.next(next) } };
});
