import * as z from 'zod/mini';
import { cursorParam as cursor } from '../http/cursor';
import { AUDIT_READ_FIELDS, authProblems, commonProblems, defineRoute, problem, touches, lazySchema } from '../http/route-definition';
import { auditPosition, limit } from './audit.schema';
import { auditEntry, auditSearchFields, auditSearchRules } from './audit-search.schema';

export const adminAuditQuery = z
  .strictObject({ ...auditSearchFields, limit: z.optional(limit), cursor: z.optional(cursor) })
  .check(...auditSearchRules);

export const adminAuditPage = lazySchema(() =>
  z
    .object({ entries: z.array(auditEntry()), next: z.optional(z.string()) })
    .register(z.globalRegistry, { id: 'AuditPage' }),
);

export const adminAuditRoute = defineRoute({
  id: 'adminAudit',
  method: 'GET',
  path: '/v1/admin/audit',
  handler: 'admin-audit',
  summary:
    'Search the audit trail by subject (id or pseudonym), actor, action and time range; newest first, paginated. ' +
    'Without a subject or actor, the range may span at most 31 days.',
  description: 
    'Accountability (Art. 5(2)): lets an administrator answer who touched whose data, when and why. A ' +
    'subject id is turned into its pseudonym before the search; entries name pseudonyms and fields, never ' +
    'values.',
  tags: ['audit', 'admin'],
  feature: 'audit',
  auth: 'admin',
  request: { query: adminAuditQuery },
  paging: { position: auditPosition },
  responses: {
    200: { description: 'A page of audit entries.', schema: adminAuditPage },
    ...authProblems,
    403: problem('The caller is not an administrator.'),
    ...commonProblems,
  },
  // The page read; defineRoute adds the audit write (which reads the chain head) as for every route.
  personalData: [touches('audit', ['read'], [...AUDIT_READ_FIELDS, 'day'])],
  purpose: 'accountability',
  crypto: ['pseudonyms'],
});
