import * as z from 'zod/mini';
import { MAX_EXPORT_ENTRIES } from '../domain/audit-search';
import { AUDIT_READ_FIELDS, authProblems, commonProblems, defineRoute, problem, touches, lazySchema } from '../http/route-definition';
import { auditEntry, auditSearchFields, auditSearchRules } from './audit-search.schema';

export const auditExportQuery = z
  .strictObject({
    ...auditSearchFields,
    format: z.optional(z.enum(['json', 'csv'])).check(z.describe('`json` (default) or `csv`; both carry every entry\'s `prevHash` and `hash`.')),
  })
  .check(...auditSearchRules);

export const auditExport = lazySchema(() =>
  z
    .object({
      exportedAt: z.iso.datetime(),
      filter: z
        .object({
          subjectPseudonym: z.optional(z.string()),
          actorId: z.optional(z.string()),
          action: z.optional(z.string()),
          from: z.iso.datetime(),
          to: z.iso.datetime(),
        })
        .check(z.describe('The search as the trail was read: pseudonyms only, the range with its defaults applied.')),
      count: z.int(),
      entries: z.array(auditEntry()).check(z.describe('Newest first. Each entry re-hashes to its `hash` (see `fmn audit verify`).')),
    })
    .register(z.globalRegistry, { id: 'AuditExport' }),
);

const auditCsv = lazySchema(() =>
  z.string().check(z.describe('A header row, then one row per entry, newest first; lists are space-separated (RFC 4180).')),
);

export const adminAuditExportRoute = defineRoute({
  id: 'adminAuditExport',
  method: 'GET',
  path: '/v1/admin/audit/export',
  handler: 'admin-audit-export',
  summary:
    `Export every entry an audit search finds (at most ${MAX_EXPORT_ENTRIES}), as JSON or CSV, with the chain hashes, ` +
    'for a supervisory authority. Audited.',
  description:
    'Accountability towards a supervisory authority (Arts. 5(2), 31 and 58(1)(a)): the same filters as the search, the ' +
    'whole result set in one file, each entry with the hash of its predecessor and its own so the recipient can check the ' +
    'chain. A larger set is refused rather than cut short. The export is itself recorded on the trail.',
  tags: ['audit', 'admin'],
  feature: 'audit',
  auth: 'admin',
  request: { query: auditExportQuery },
  responses: {
    200: {
      description: 'The entries found.',
      schema: auditExport,
      alternative: { contentType: 'text/csv', schema: auditCsv },
    },
    ...authProblems,
    403: problem('The caller is not an administrator.'),
    422: problem(`The search finds more than ${MAX_EXPORT_ENTRIES} entries; narrow it.`),
    ...commonProblems,
  },
  personalData: [touches('audit', ['read'], [...AUDIT_READ_FIELDS, 'day'])],
  purpose: 'accountability',
  crypto: ['pseudonyms'],
});
