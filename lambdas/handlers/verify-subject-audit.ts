import { verifySubjectChain } from '../domain/audit-search';
import { verifySubjectAuditRoute } from './verify-subject-audit.route';
import { auditReading } from '../wiring/audit';
import { httpRoute } from '../http/http';

const { reader, pseudonyms } = auditReading(verifySubjectAuditRoute);

/**
 * Verify one subject's chain. The chain is read, and the look recorded on it, after the walk: the new entry is not part
 * of the report, and the next verification checks it like any other.
 */
export const handler = httpRoute(verifySubjectAuditRoute, async ({ params, audit }) => {
  const report = await verifySubjectChain(reader, pseudonyms(), params.subjectId);
  audit?.noteRead(params.subjectId, ['audit.hash', 'audit.prevHash', 'audit.seq']);
  return { body: report };
});
