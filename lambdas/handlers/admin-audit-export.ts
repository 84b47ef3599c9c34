import { auditCsv, collectAll, resolveSearch } from '../domain/audit-search';
import { adminAuditExportRoute } from './admin-audit-export.route';
import { auditReading } from '../wiring/audit';
import { httpRoute, type HttpAnswer } from '../http/http';

const { reader, pseudonyms } = auditReading(adminAuditExportRoute);

/**
 * Export a search's whole result set: 1. resolve the search as the paginated one does; 2. read every page through the
 * reader (refused past the export's limit); 3. record the export on the subject's chain (or the system chain); 4. answer
 * JSON or CSV as a download.
 */
export const handler = httpRoute(adminAuditExportRoute, async ({ query, audit }): Promise<HttpAnswer> => {
  const now = new Date();
  const { filter, subjectPseudonym } = await resolveSearch(query, pseudonyms(), now);
  const entries = await collectAll(reader, filter);
  await audit?.transact([], {
    action: 'export',
    ...(query.subjectId ? { subjectId: query.subjectId } : { subjectPseudonym }),
    fields: ['audit.subjectPseudonym', 'audit.actorId', 'audit.action', 'audit.fields', 'audit.hash'],
  });
  const name = `audit-export-${now.toISOString().replaceAll(':', '').slice(0, 17)}Z`;
  if (query.format === 'csv') {
    return {
      text: auditCsv(entries),
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` },
    };
  }
  const { chainId: _chain, ...rest } = filter;
  return {
    body: { exportedAt: now.toISOString(), filter: { ...rest, subjectPseudonym }, count: entries.length, entries },
    headers: { 'content-disposition': `attachment; filename="${name}.json"` },
  };
});
