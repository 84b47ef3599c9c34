import * as z from 'zod/mini';
import { AUDIT_ACTIONS } from '../domain/audit';
import { cursorParam as cursor } from '../http/cursor';
import { AUDIT_READ_FIELDS, authProblems, commonProblems, defineRoute, problem, touches, lazySchema } from '../http/route-definition';
import { auditPosition, isoTime, limit } from './audit.schema';

export const adminAuditQuery = z
  .strictObject({
    subjectId: z.optional(z.uuid()).check(z.describe('Entries about this subject (looked up by its pseudonym).')),
    subjectPseudonym: z
      .optional(z.string().check(z.regex(/^[0-9a-f]{64}$/)))
      .check(z.describe('Entries about the subject with this pseudonym.')),
    actorId: z
      .optional(z.string().check(z.regex(/^(subject:[0-9a-f]{64}|system:[a-z]+:[A-Za-z0-9]+)$/)))
      .check(z.describe('Entries by this actor: `subject:<pseudonym>` or `system:<origin>`.')),
    actorSubjectId: z.optional(z.uuid()).check(z.describe('Entries by the person with this subject id.')),
    action: z.optional(z.enum(AUDIT_ACTIONS)),
    from: z.optional(isoTime).check(z.describe('Earliest time, inclusive (UTC, ISO 8601).')),
    to: z.optional(isoTime).check(z.describe('Latest time, inclusive (UTC, ISO 8601).')),
    limit: z.optional(limit),
    cursor: z.optional(cursor),
  })
  .check(
    z.refine((q) => !(q.subjectId && q.subjectPseudonym), { message: 'Give subjectId or subjectPseudonym, not both' }),
    z.refine((q) => !(q.actorId && q.actorSubjectId), { message: 'Give actorId or actorSubjectId, not both' }),
  );

export const auditEntry = lazySchema(() =>
  z
    .object({
      chainId: z.string(),
      seq: z.int(),
      entryId: z.uuid(),
      at: z.iso.datetime(),
      day: z.iso
        .date()
        .check(z.describe('The UTC day of `at` (the by-day index partition); part of the hashed content, so an entry can be re-hashed.')),
      actorId: z.string(),
      actorRole: z.enum(['subject', 'admin', 'system', 'worker']),
      action: z.enum(AUDIT_ACTIONS),
      subjectPseudonym: z.optional(z.string()),
      purpose: z.string(),
      categories: z.array(z.string()),
      fields: z.array(z.string()),
      outcome: z.enum(['success', 'failure']),
      correlationId: z.string(),
      origin: z.string(),
      prevHash: z.string(),
      hash: z.string(),
      expiresAt: z.int(),
    })
    .register(z.globalRegistry, { id: 'AuditEntry' }),
);

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
  personalData: [touches('audit', ['read'], [...AUDIT_READ_FIELDS, 'day', 'dayShard'])],
  purpose: 'accountability',
  crypto: ['pseudonyms'],
});
