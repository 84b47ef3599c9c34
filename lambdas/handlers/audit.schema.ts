import * as z from 'zod/mini';

export const limit = z
  .string()
  .check(z.regex(/^([1-9]|[1-9][0-9]|100)$/, 'A whole number from 1 to 100'), z.describe('Page size, 1 to 100 (default 50).'));
export const isoTime = z.iso.datetime({ offset: false });

/** A day of the by-day walk (`byDayShard` index): a real calendar date. */
const auditDay = z.iso.date();
const chainId = z.string().check(z.regex(/^(subject#[0-9a-f]{64}|system)$/));
const seq = z.int().check(z.positive());

/**
 * Where the next page of an audit search starts (`AuditCursor` of the reader): on the by-day walk, the day still to read
 * and the last entry handed out in it (its time, chain and seq: the shards of the day all resume after it, so one position
 * stands for every shard's and the cursor stays small whatever the shard count); on a chain or the `byActor` index, the
 * DynamoDB key to continue after, exactly the attributes of the table or index read.
 * Only ever read from a sealed cursor; checked anyway, so that nothing but a key of this table reaches a query.
 */
export const auditPosition = z
  .strictObject({
    day: z.optional(auditDay),
    after: z.optional(z.strictObject({ at: isoTime, chainId, seq })),
    key: z.optional(
      z.union([
        z.strictObject({ chainId, seq }),
        z.strictObject({ actorId: z.string().check(z.minLength(1), z.maxLength(300)), at: isoTime, chainId, seq }),
      ]),
    ),
  })
  .check(
    z.refine((p) => p.day !== undefined || p.key !== undefined, 'An empty position'),
    z.refine((p) => p.after === undefined || p.day !== undefined, 'A position in a day names the day'),
  );
