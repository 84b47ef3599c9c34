import * as z from 'zod/mini';
import { AUDIT_ACTIONS } from '../domain/audit';
import { lazySchema } from '../http/route-definition';

export const limit = z
  .string()
  .check(z.regex(/^([1-9]|[1-9][0-9]|100)$/, 'A whole number from 1 to 100'), z.describe('Page size, 1 to 100 (default 50).'));
export const isoTime = z.iso.datetime({ offset: false });

/** A day partition of the `byDay` index: a real calendar date. */
const auditDay = z.iso.date();
const chainId = z.string().check(z.regex(/^(subject#[0-9a-f]{64}|system)$/));
const seq = z.int().check(z.positive());

/**
 * Where the next page of an audit search starts (`AuditCursor` of the reader): the day partition still to walk, and the
 * DynamoDB key to continue after, exactly the attributes of the table or index read (chain, `byActor`, `byDay`).
 * Only ever read from a sealed cursor; checked anyway, so that nothing but a key of this table reaches a query.
 */
export const auditPosition = z
  .strictObject({
    day: z.optional(auditDay),
    key: z.optional(
      z.union([
        z.strictObject({ chainId, seq }),
        z.strictObject({ actorId: z.string().check(z.minLength(1), z.maxLength(300)), at: isoTime, chainId, seq }),
        z.strictObject({ day: auditDay, at: isoTime, chainId, seq }),
      ]),
    ),
  })
  .check(z.refine((p) => p.day !== undefined || p.key !== undefined, 'An empty position'));

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
