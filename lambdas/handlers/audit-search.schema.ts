/** The audit search's filters and the entry as answered: shared by the paginated search and the export. */
import * as z from 'zod/mini';
import { AUDIT_ACTIONS } from '../domain/audit';
import { lazySchema } from '../http/route-definition';
import { isoTime } from './audit.schema';

/** The filters of an audit search, shared by the paginated search and the export (which must find the same entries). */
export const auditSearchFields = {
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
};

type SearchNames = { subjectId?: string; subjectPseudonym?: string; actorId?: string; actorSubjectId?: string };

export const auditSearchRules = [
  z.refine<SearchNames>((q) => !(q.subjectId && q.subjectPseudonym), { message: 'Give subjectId or subjectPseudonym, not both' }),
  z.refine<SearchNames>((q) => !(q.actorId && q.actorSubjectId), { message: 'Give actorId or actorSubjectId, not both' }),
] as const;

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
