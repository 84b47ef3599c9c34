import { z } from 'zod';
import { AUDIT_ACTIONS } from '../domain/audit';
import { cursorParam as cursor } from '../shared/cursor';

const limit = z.string().regex(/^([1-9]|[1-9][0-9]|100)$/, 'A whole number from 1 to 100').describe('Page size, 1 to 100 (default 50).');
const isoTime = z.iso.datetime({ offset: false });

/** A day partition of the `byDay` index: a real calendar date. */
const auditDay = z.iso.date();
const chainId = z.string().regex(/^(subject#[0-9a-f]{64}|system)$/);
const seq = z.number().int().positive();

/**
 * Where the next page of an audit search starts (`AuditCursor` of the reader): the day partition still to walk, and the
 * DynamoDB key to continue after, exactly the attributes of the table or index read (chain, `byActor`, `byDay`).
 * Only ever read from a sealed cursor; checked anyway, so that nothing but a key of this table reaches a query.
 */
export const auditPosition = z
  .strictObject({
    day: auditDay.optional(),
    key: z
      .union([
        z.strictObject({ chainId, seq }),
        z.strictObject({ actorId: z.string().min(1).max(300), at: isoTime, chainId, seq }),
        z.strictObject({ day: auditDay, at: isoTime, chainId, seq }),
      ])
      .optional(),
  })
  .refine((p) => p.day !== undefined || p.key !== undefined, 'An empty position');

export const myAuditQuery = z.strictObject({ limit: limit.optional(), cursor: cursor.optional() });

export const myAuditEntry = z
  .object({
    at: z.iso.datetime(),
    action: z.enum(AUDIT_ACTIONS),
    actor: z.enum(['you', 'administrator', 'service', 'another user']).describe('Who acted on your data.'),
    purpose: z.string(),
    categories: z.array(z.string()).describe('Categories of data touched.'),
    fields: z.array(z.string()).describe('Names of the fields touched; never their values.'),
    outcome: z.enum(['success', 'failure']),
    origin: z.string().describe('The route or worker that acted.'),
  })
  .meta({ id: 'MyAuditEntry' });

export const myAuditPage = z
  .object({ entries: z.array(myAuditEntry), next: z.string().optional().describe('Pass as `cursor` for the next (older) page.') })
  .meta({ id: 'MyAuditPage' });

export const adminAuditQuery = z
  .strictObject({
    subjectId: z.uuid().optional().describe('Entries about this subject (looked up by its pseudonym).'),
    subjectPseudonym: z.string().regex(/^[0-9a-f]{64}$/).optional().describe('Entries about the subject with this pseudonym.'),
    actorId: z
      .string()
      .regex(/^(subject:[0-9a-f]{64}|system:[a-z]+:[A-Za-z0-9]+)$/)
      .optional()
      .describe('Entries by this actor: `subject:<pseudonym>` or `system:<origin>`.'),
    actorSubjectId: z.uuid().optional().describe('Entries by the person with this subject id.'),
    action: z.enum(AUDIT_ACTIONS).optional(),
    from: isoTime.optional().describe('Earliest time, inclusive (UTC, ISO 8601).'),
    to: isoTime.optional().describe('Latest time, inclusive (UTC, ISO 8601).'),
    limit: limit.optional(),
    cursor: cursor.optional(),
  })
  .refine((q) => !(q.subjectId && q.subjectPseudonym), { message: 'Give subjectId or subjectPseudonym, not both' })
  .refine((q) => !(q.actorId && q.actorSubjectId), { message: 'Give actorId or actorSubjectId, not both' });

export const auditEntry = z
  .object({
    chainId: z.string(),
    seq: z.number().int(),
    entryId: z.uuid(),
    at: z.iso.datetime(),
    day: z.iso.date().describe('The UTC day of `at` (the by-day index partition); part of the hashed content, so an entry can be re-hashed.'),
    actorId: z.string(),
    actorRole: z.enum(['subject', 'admin', 'system', 'worker']),
    action: z.enum(AUDIT_ACTIONS),
    subjectPseudonym: z.string().optional(),
    purpose: z.string(),
    categories: z.array(z.string()),
    fields: z.array(z.string()),
    outcome: z.enum(['success', 'failure']),
    correlationId: z.string(),
    origin: z.string(),
    prevHash: z.string(),
    hash: z.string(),
    expiresAt: z.number().int(),
  })
  .meta({ id: 'AuditEntry' });

export const adminAuditPage = z
  .object({ entries: z.array(auditEntry), next: z.string().optional() })
  .meta({ id: 'AuditPage' });
