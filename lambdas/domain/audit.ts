/**
 * The audit trail as plain rules: what an entry holds, how entries chain, and how a chain is verified.
 *
 * An entry names people only by pseudonym (an HMAC of the subject id under a KMS key): stable per subject, unlinkable
 * without the key, so entries can outlive the subject's erasure. It names data by store, category and field name, never by
 * value. Entries of one chain (one subject, or `system`) are numbered 1, 2, 3… and each carries the hash of its predecessor
 * and of its own content, so an edited, deleted or reordered entry breaks the chain where it happened.
 */
import { createHash } from 'node:crypto';

export const AUDIT_ACTIONS = [
  'read',
  'create',
  'update',
  'delete',
  'login',
  'logout',
  'export',
  'erase',
  'consent.grant',
  'consent.withdraw',
  'consent.object',
  'consent.unobject',
  'restriction.start',
  'restriction.end',
  // a recipient's acknowledgement of an erasure or export (recorded, or refused: outcome failure)
  'recipient.ack',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `recipient`: a recipient of the subject's data (lambdas/recipients.ts), authenticated by its signature (acks). */
export const ACTOR_ROLES = ['subject', 'admin', 'system', 'worker', 'recipient'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export type AuditOutcome = 'success' | 'failure';

/** What a use case or adapter says happened; the trail adds who, when, why and the chain. */
export interface AuditNote {
  readonly action: AuditAction;
  /** The data subject whose data was touched (a real subject id; the trail stores only its pseudonym). */
  readonly subjectId?: string;
  /** When only the pseudonym is known (an admin looking a subject up by pseudonym). Neither: an entry about no one. */
  readonly subjectPseudonym?: string;
  /** Field names touched, as `store.field` or `store.field.subfield`; defaults to what the route declares for the action. */
  readonly fields?: readonly string[];
  readonly outcome?: AuditOutcome;
  /**
   * A purpose the actor stated for this one access (a purpose id from the catalogue), when it is narrower than the route's
   * own: an administrator revealing a masked field says why. Defaults to the route's declared purpose.
   */
  readonly purpose?: string;
}

export interface AuditEntry {
  readonly chainId: string;
  readonly seq: number;
  readonly entryId: string;
  readonly at: string;
  /** `YYYY-MM-DD` of `at`: the partition of the by-day index. */
  readonly day: string;
  /** Pseudonymous actor: `subject:<hmac>` for people, `system:<origin>` for the service itself. */
  readonly actorId: string;
  readonly actorRole: ActorRole;
  readonly action: AuditAction;
  /** Pseudonym of the data subject; absent only for entries about no one in particular. */
  readonly subjectPseudonym?: string;
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly fields: readonly string[];
  readonly outcome: AuditOutcome;
  readonly correlationId: string;
  /** `route:<id>` or `worker:<id>`. */
  readonly origin: string;
  readonly prevHash: string;
  readonly hash: string;
  /** Epoch seconds: the retention period's end (DynamoDB TTL). */
  readonly expiresAt: number;
}

export type UnsealedEntry = Omit<AuditEntry, 'hash'>;

/** The hash every chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);

/** Content fields in a fixed order: adding a field to entries means adding it here, so hashes stay reproducible. */
export const HASHED_FIELDS = [
  'chainId',
  'seq',
  'entryId',
  'at',
  'day',
  'actorId',
  'actorRole',
  'action',
  'subjectPseudonym',
  'purpose',
  'categories',
  'fields',
  'outcome',
  'correlationId',
  'origin',
  'prevHash',
  'expiresAt',
] as const satisfies readonly (keyof UnsealedEntry)[];

export function entryHash(entry: UnsealedEntry): string {
  const canonical = JSON.stringify(HASHED_FIELDS.map((field) => [field, entry[field] ?? null]));
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export function sealEntry(entry: UnsealedEntry): AuditEntry {
  return { ...entry, hash: entryHash(entry) };
}

export const subjectChain = (pseudonym: string) => `subject#${pseudonym}`;
export const SYSTEM_CHAIN = 'system';

export interface ChainBreak {
  readonly seq: number;
  readonly reason: 'content-changed' | 'link-broken' | 'missing-entry' | 'out-of-order' | 'head-mismatch';
  readonly detail: string;
}

export interface ChainReport {
  readonly chainId: string;
  readonly checked: number;
  /** The first entry checked; above 1 when older entries have expired by retention. */
  readonly firstSeq?: number;
  readonly lastSeq?: number;
  readonly ok: boolean;
  readonly firstBreak?: ChainBreak;
}

/**
 * Walks a chain in storage order (ascending `seq`) and reports the first break. `head` is the chain's head record (the
 * last seq and hash the writer committed), which catches a truncated tail. Entries before the first one present may have
 * expired by TTL: the walk anchors on the first entry present and says so in `firstSeq`.
 */
export function verifyChain(
  chainId: string,
  entries: readonly AuditEntry[],
  head?: { readonly seq: number; readonly hash: string },
): ChainReport {
  const report = (checked: number, firstBreak?: ChainBreak): ChainReport => ({
    chainId,
    checked,
    firstSeq: entries[0]?.seq,
    lastSeq: entries.at(-1)?.seq,
    ok: !firstBreak,
    firstBreak,
  });
  let previous: AuditEntry | undefined;
  for (const [index, entry] of entries.entries()) {
    if (entry.chainId !== chainId) {
      return report(index, { seq: entry.seq, reason: 'out-of-order', detail: `entry belongs to chain ${entry.chainId}` });
    }
    const { hash, ...content } = entry;
    if (entryHash(content) !== hash) {
      return report(index, { seq: entry.seq, reason: 'content-changed', detail: 'the entry does not match its own hash' });
    }
    if (previous) {
      if (entry.seq <= previous.seq) {
        return report(index, { seq: entry.seq, reason: 'out-of-order', detail: `seq ${entry.seq} follows ${previous.seq}` });
      }
      if (entry.seq !== previous.seq + 1) {
        return report(index, { seq: previous.seq + 1, reason: 'missing-entry', detail: `seq ${previous.seq + 1} is missing` });
      }
      if (entry.prevHash !== previous.hash) {
        return report(index, { seq: entry.seq, reason: 'link-broken', detail: 'prevHash does not match the previous entry' });
      }
    } else if (entry.seq === 1 && entry.prevHash !== GENESIS_HASH) {
      return report(index, { seq: 1, reason: 'link-broken', detail: 'the first entry does not start from the genesis hash' });
    }
    previous = entry;
  }
  if (head && head.seq > 0) {
    const last = entries.at(-1);
    if (!last || last.seq !== head.seq || last.hash !== head.hash) {
      const seq = last && last.seq < head.seq ? last.seq + 1 : head.seq;
      return report(entries.length, { seq, reason: 'head-mismatch', detail: `the chain head records seq ${head.seq}` });
    }
  }
  return report(entries.length);
}

/** Day partition of an ISO timestamp. */
export const dayOf = (iso: string) => iso.slice(0, 10);
