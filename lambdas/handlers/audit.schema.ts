import * as z from 'zod/mini';

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
