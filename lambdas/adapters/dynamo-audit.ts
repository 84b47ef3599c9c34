/**
 * The audit trail in DynamoDB. One chain per subject (`subject#<pseudonym>`), plus `system` for entries about no one.
 *
 * Appending is optimistic: a chain's head item (seq 0) holds the last seq and hash; an append updates the head on the
 * condition that it still holds what we read, and puts the entry on the condition that its seq is free. Two requests that
 * append to the same chain at once cannot both win, so the chain never forks; the loser re-reads the head and tries again.
 * Writes of personal data put their entry into the same transaction (`transact`), so data and entry commit together.
 */
import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from './dynamodb-sdk';
import { GetCommand, QueryCommand, TransactWriteCommand } from './dynamodb-sdk';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  GENESIS_HASH,
  SYSTEM_CHAIN,
  dayOf,
  sealEntry,
  subjectChain,
  type ActorRole,
  type AuditEntry,
  type AuditNote,
  type AuditOutcome,
} from '../domain/audit';
import { ProblemError } from '../http/problems';
import { allShardKeys, shardedKey } from '../domain/key-shards';
import { indexShards } from '../runtime/index-shards';
import type { AuditFilter } from '../domain/audit-search';
import { queryAll, scanAll } from './dynamo-paging';

/**
 * The by-day index: partition `dayShard`, the entry's day with a shard of its chain (`2026-12-04#07`), so that a day's
 * entries spread over `indexShards` partition key values instead of one (bench P7). `dayShard` is an index attribute, not
 * part of the entry: it is not hashed, and `fmn keys reshard` may rewrite it when the shard count changes.
 */
export const AUDIT_DAY_INDEX = 'byDayShard';

/** The `dayShard` of an entry: one chain's entries of a day are all in one shard. */
export const dayShardOf = (entry: Pick<AuditEntry, 'day' | 'chainId'>, shards: number): string => shardedKey(entry.day, entry.chainId, shards);

/** What the reader returns: the entry as hashed, without the index attribute. */
function withoutIndexKeys(item: Record<string, unknown>): AuditEntry {
  const { dayShard: _dayShard, ...entry } = item;
  return entry as unknown as AuditEntry;
}

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;
export type TransactItem = TransactItems[number];

export interface SubjectPseudonyms {
  subject(subjectId: string): Promise<string>;
}

/** Who acts, why and from where: fixed for one request or one job. */
export interface AuditContext {
  /** The acting person (their subject id, pseudonymised before storing), or absent for the service itself. */
  readonly actorSubjectId?: string;
  readonly actorRole: ActorRole;
  readonly purpose: string;
  readonly correlationId: string;
  /** `route:<id>` or `worker:<id>`. */
  readonly origin: string;
  /** Field names and categories each action touches by default, from the route's declaration. */
  readonly declared: (action: AuditNote['action']) => { fields: readonly string[]; categories: readonly string[] };
  /** For notes that name their own fields: the categories of those fields. */
  readonly categoriesOf: (fields: readonly string[]) => readonly string[];
  readonly retentionDays: number;
  readonly now: () => Date;
  /** Shards of the by-day index (`-c indexShards`). @default `INDEX_SHARDS` from the environment */
  readonly indexShards?: number;
}

/** Subjects' read entries per transaction: two items each (entry and head), under DynamoDB's 100 items a transaction. */
const READS_PER_TRANSACTION = 40;

/** How many times an append retries after losing a race for the chain head. */
const MAX_APPEND_ATTEMPTS = 10;

/** Many requests for one subject at once kept winning the race for its chain: nothing was applied; retrying is safe. */
export class AuditWriteConflictError extends ProblemError {
  constructor() {
    super(409, 'concurrent-update', 'Concurrent update', 'Other changes to this account were being made at the same time; retry.');
  }
}

export class AuditTrail {
  /** Reads noted during the request, written as entries by `flushReads` before the response leaves. */
  private readonly reads = new Map<string, AuditNote>();
  private readonly written: AuditEntry[] = [];
  /**
   * Chain heads this trail itself committed: a later append in the same request starts from them instead of reading the
   * head again. The head update stays conditional, so a head moved meanwhile by someone else still fails and is re-read.
   */
  private readonly heads = new Map<string, { seq: number; hash: string }>();
  /** Subjects this request creates: see `startsNewSubject`. */
  private readonly newSubjects = new Set<string>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly pseudonyms: SubjectPseudonyms,
    readonly context: AuditContext,
  ) {}

  /** Entries committed by this trail so far (for the middleware's checks and for tests). */
  get entries(): readonly AuditEntry[] {
    return this.written;
  }

  /** True while the request has neither written an entry nor noted a read. */
  get untouched(): boolean {
    return this.written.length === 0 && this.reads.size === 0;
  }

  /**
   * Says that this request creates the subject (under a fresh random id), so no chain can exist for it yet: its first
   * append starts at the genesis hash without reading the head. The append stays conditional on the chain not existing,
   * and a failed append reads the head as usual.
   */
  startsNewSubject(subjectId: string): void {
    this.newSubjects.add(subjectId);
  }

  /** Remembers that a subject's data was read; one read entry per subject is written when the request ends. */
  noteRead(subjectId: string, fields?: readonly string[]): void {
    this.noteReadOf({ subjectId }, fields);
  }

  /** Like `noteRead`, for a subject known by pseudonym only, or (`{}`) for a read about no one in particular. */
  noteReadOf(subject: Pick<AuditNote, 'subjectId' | 'subjectPseudonym'>, fields?: readonly string[]): void {
    const key = subject.subjectId ?? `pseudonym:${subject.subjectPseudonym ?? ''}`;
    const previous = this.reads.get(key);
    const merged = fields || previous?.fields ? [...new Set([...(previous?.fields ?? []), ...(fields ?? [])])] : undefined;
    this.reads.set(key, { action: 'read', ...subject, fields: merged });
  }

  /**
   * Writes one entry per subject whose data was read. Called by the HTTP middleware before the answer is sent, and by jobs
   * at the end of a run. Each entry is two items of a transaction (the entry and its chain's head), and a transaction takes
   * at most 100: a job that read many subjects (the outbox drain, the retention job) writes them in several transactions,
   * `READS_PER_TRANSACTION` subjects each. Read entries need no atomicity with one another.
   */
  async flushReads(outcome: AuditOutcome): Promise<void> {
    const notes = [...this.reads.values()];
    this.reads.clear();
    for (let start = 0; start < notes.length; start += READS_PER_TRANSACTION) {
      await this.transact([], ...notes.slice(start, start + READS_PER_TRANSACTION).map((note) => ({ ...note, outcome })));
    }
  }

  /**
   * Runs `items` and the notes' audit entries as one DynamoDB transaction. If only the audit items lost a race, it re-reads
   * the chain heads and retries; any other cancellation is rethrown for the caller to map (e.g. an email already taken).
   */
  async transact(items: TransactItems, ...notes: readonly (AuditNote | undefined)[]): Promise<void> {
    const present = notes.filter((n): n is AuditNote => n !== undefined);
    // Reads already noted for a subject this transaction writes about ride along (they happened first, so they come
    // first): their chain's head is read and updated once, instead of again in a second transaction at the end.
    const riders = [...this.reads].filter(([key]) => present.some((n) => n.subjectId === key));
    const all = [...riders.map(([, note]) => ({ ...note, outcome: 'success' as const })), ...present];
    for (let attempt = 1; ; attempt++) {
      const drafts = await this.draft(all);
      // Used once: after this attempt the chain's head is known (committed) or must be read (lost).
      for (const note of all) if (note.subjectId) this.newSubjects.delete(note.subjectId);
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [...items, ...drafts.items] }));
        this.written.push(...drafts.entries);
        for (const [key] of riders) this.reads.delete(key);
        for (const [chainId, head] of drafts.heads) this.heads.set(chainId, head);
        return;
      } catch (error) {
        // Whatever this request believed about the heads may be stale now: read them again.
        for (const chainId of drafts.heads.keys()) this.heads.delete(chainId);
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const dataFailed = reasons.slice(0, items.length).some((r) => r.Code && r.Code !== 'None');
        const auditFailed = reasons.slice(items.length).some((r) => r.Code === 'ConditionalCheckFailed');
        if (dataFailed || !auditFailed) throw error;
        if (attempt >= MAX_APPEND_ATTEMPTS) throw new AuditWriteConflictError();
        await new Promise((r) => setTimeout(r, Math.random() * 25 * attempt));
      }
    }
  }

  /**
   * The items that append the notes' entries: per chain, one conditional head update and one conditional put per entry
   * (a transaction may touch an item only once, so several entries of one chain share the head update).
   */
  private async draft(
    notes: readonly AuditNote[],
  ): Promise<{ entries: AuditEntry[]; items: TransactItems; heads: Map<string, { seq: number; hash: string }> }> {
    const byChain = new Map<string, { pseudonym?: string; notes: AuditNote[] }>();
    for (const note of notes) {
      const pseudonym = note.subjectId ? await this.pseudonyms.subject(note.subjectId) : note.subjectPseudonym;
      const chainId = pseudonym ? subjectChain(pseudonym) : SYSTEM_CHAIN;
      const group = byChain.get(chainId) ?? { pseudonym, notes: [] };
      group.notes.push(note);
      byChain.set(chainId, group);
    }
    const now = this.context.now();
    const at = now.toISOString();
    const entries: AuditEntry[] = [];
    const items: TransactItems = [];
    const heads = new Map<string, { seq: number; hash: string }>();
    for (const [chainId, group] of byChain) {
      const isNew = group.notes.some((n) => n.subjectId !== undefined && this.newSubjects.has(n.subjectId));
      const head = this.heads.get(chainId) ?? (isNew ? undefined : await this.readHead(chainId));
      const headSeq = head?.seq ?? 0;
      let prevHash = head?.hash ?? GENESIS_HASH;
      let seq = headSeq;
      for (const note of group.notes) {
        const declared = this.context.declared(note.action);
        const fields = note.fields ?? declared.fields;
        const entry = sealEntry({
          chainId,
          seq: ++seq,
          entryId: randomUUID(),
          at,
          day: dayOf(at),
          actorId: await this.actorId(note),
          actorRole: this.context.actorRole,
          action: note.action,
          subjectPseudonym: group.pseudonym,
          purpose: note.purpose ?? this.context.purpose,
          categories: note.fields ? this.context.categoriesOf(fields) : declared.categories,
          fields,
          outcome: note.outcome ?? 'success',
          correlationId: this.context.correlationId,
          origin: this.context.origin,
          prevHash,
          expiresAt: Math.floor(now.getTime() / 1000) + this.context.retentionDays * 86_400,
        });
        prevHash = entry.hash;
        entries.push(entry);
        const Item = { ...entry, dayShard: dayShardOf(entry, this.context.indexShards ?? indexShards()) };
        items.push({ Put: { TableName: this.table, Item, ConditionExpression: 'attribute_not_exists(chainId)' } });
      }
      items.push({
        Update: {
          TableName: this.table,
          Key: { chainId, seq: 0 },
          UpdateExpression: 'SET headSeq = :seq, headHash = :hash',
          ConditionExpression: head ? 'headSeq = :expected' : 'attribute_not_exists(chainId)',
          ExpressionAttributeValues: { ':seq': seq, ':hash': prevHash, ...(head ? { ':expected': headSeq } : {}) },
        },
      });
      heads.set(chainId, { seq, hash: prevHash });
    }
    return { entries, items, heads };
  }

  private async readHead(chainId: string): Promise<{ seq: number; hash: string } | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { chainId, seq: 0 }, ConsistentRead: true }));
    return Item ? { seq: Item.headSeq as number, hash: Item.headHash as string } : undefined;
  }

  /** Without an authenticated actor, a person acting on a public route (registering, logging in) acts on themselves. */
  private async actorId(note: AuditNote): Promise<string> {
    const { actorSubjectId, actorRole, origin } = this.context;
    const person = actorSubjectId ?? (actorRole === 'subject' ? note.subjectId : undefined);
    return person ? `subject:${await this.pseudonyms.subject(person)}` : `system:${origin}`;
  }
}

/** Reading the trail: a chain in order, an actor's or a day's entries in time order. */
export class DynamoAuditReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Shards of the by-day index; must be what the writers use (`INDEX_SHARDS`). */
    private readonly shards: number = indexShards(),
  ) {}

  async chainHead(chainId: string): Promise<{ seq: number; hash: string } | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { chainId, seq: 0 }, ConsistentRead: true }));
    return Item ? { seq: Item.headSeq as number, hash: Item.headHash as string } : undefined;
  }

  /** Every entry of a chain, oldest first (for verification). */
  async wholeChain(chainId: string): Promise<AuditEntry[]> {
    const items = await queryAll<Record<string, unknown>>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'chainId = :c AND seq > :zero',
      ExpressionAttributeValues: { ':c': chainId, ':zero': 0 },
      ConsistentRead: true,
    });
    return items.map(withoutIndexKeys);
  }

  /** Every chain id in the table (a scan of head items; for the verification command). */
  async chainIds(): Promise<string[]> {
    const heads = await scanAll<{ chainId: string }>(this.db, {
      TableName: this.table,
      FilterExpression: 'seq = :zero',
      ExpressionAttributeValues: { ':zero': 0 },
      ProjectionExpression: 'chainId',
    });
    return heads.map((h) => h.chainId).sort();
  }

  /**
   * One page of entries matching a filter, newest first. Exactly one access path is used: the subject's chain, the actor
   * index, or the by-day index (one day per page walk, from `to` back to `from`; each day's shards read in parallel and
   * merged in time order).
   */
  async page(filter: AuditFilter, limit: number, cursor?: AuditCursor): Promise<{ entries: AuditEntry[]; next?: AuditCursor }> {
    const values: Record<string, unknown> = {};
    const names: Record<string, string> = {};
    const filters: string[] = [];
    if (filter.action) {
      filters.push('#action = :action');
      names['#action'] = 'action';
      values[':action'] = filter.action;
    }
    const range = (attribute: string) => {
      names['#t'] = attribute;
      values[':from'] = filter.from;
      values[':to'] = filter.to;
      return '#t BETWEEN :from AND :to';
    };

    if (filter.chainId) {
      // Time bounds on a chain filter on `at`; the key is seq.
      filters.push('#at BETWEEN :from AND :to');
      names['#at'] = 'at';
      values[':from'] = filter.from;
      values[':to'] = filter.to;
      values[':zero'] = 0;
      if (filter.actorId) {
        filters.push('actorId = :actor');
        values[':actor'] = filter.actorId;
      }
      values[':c'] = filter.chainId;
      return this.query({ KeyConditionExpression: 'chainId = :c AND seq > :zero', names, values, filters }, limit, cursor);
    }
    if (filter.actorId) {
      values[':actor'] = filter.actorId;
      return this.query({ IndexName: 'byActor', KeyConditionExpression: `actorId = :actor AND ${range('at')}`, names, values, filters }, limit, cursor);
    }
    // By day: walk the days from the newest, each day's shards at once.
    let day = cursor?.day ?? dayOf(filter.to);
    let after = cursor?.after;
    const entries: AuditEntry[] = [];
    while (day >= dayOf(filter.from) && entries.length < limit) {
      const page = await this.dayPage(day, { ...filter, to: after?.at ?? filter.to }, names, values, filters, limit - entries.length, after);
      entries.push(...page.entries);
      if (page.more) return { entries, next: { day, after: positionOf(entries[entries.length - 1]) } };
      day = previousDay(day);
      after = undefined;
    }
    return { entries, next: day >= dayOf(filter.from) ? { day } : undefined };
  }

  /**
   * Up to `want` entries of one day, newest first across its shards: every shard is read (in parallel) for its newest
   * `want` entries after `after`, and the lists are merged. The order is total, (at, chainId, seq) descending, so the last
   * entry handed out is the position of every shard at once: a shard resumes at `at <= after.at` and drops what is not
   * after it. `more`: some shard may hold entries not handed out yet.
   */
  private async dayPage(
    day: string,
    window: { from: string; to: string },
    names: Record<string, string>,
    values: Record<string, unknown>,
    filters: string[],
    want: number,
    after?: AuditPosition,
  ): Promise<{ entries: AuditEntry[]; more: boolean }> {
    const shards = await Promise.all(
      allShardKeys(day, this.shards).map((dayShard) =>
        this.shardEntries(
          {
            IndexName: AUDIT_DAY_INDEX,
            KeyConditionExpression: '#ds = :ds AND #t BETWEEN :from AND :to',
            names: { ...names, '#ds': 'dayShard', '#t': 'at' },
            values: { ...values, ':ds': dayShard, ':from': window.from, ':to': window.to },
            filters,
          },
          want,
          after,
        ),
      ),
    );
    const merged = shards.flatMap((s) => s.entries).sort(newestFirst);
    const entries = merged.slice(0, want);
    const more = merged.length > want || shards.some((s) => s.more);
    return { entries, more };
  }

  /** A shard's newest `want` entries strictly after `after` in the merge order, reading on past filtered-out pages. */
  private async shardEntries(
    q: { IndexName: string; KeyConditionExpression: string; names: Record<string, string>; values: Record<string, unknown>; filters: string[] },
    want: number,
    after?: AuditPosition,
  ): Promise<{ entries: AuditEntry[]; more: boolean }> {
    const entries: AuditEntry[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: q.IndexName,
          KeyConditionExpression: q.KeyConditionExpression,
          FilterExpression: q.filters.length > 0 ? q.filters.join(' AND ') : undefined,
          ExpressionAttributeNames: q.names,
          ExpressionAttributeValues: q.values,
          ScanIndexForward: false,
          Limit: want - entries.length + (after ? 1 : 0),
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const entry = withoutIndexKeys(item);
        if (!after || newestFirst(entry, after) > 0) entries.push(entry);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && entries.length < want);
    return { entries: entries.slice(0, want), more: ExclusiveStartKey !== undefined || entries.length > want };
  }

  private async query(
    q: { IndexName?: string; KeyConditionExpression: string; names: Record<string, string>; values: Record<string, unknown>; filters: string[] },
    limit: number,
    cursor?: AuditCursor,
  ): Promise<{ entries: AuditEntry[]; next?: AuditCursor }> {
    const entries: AuditEntry[] = [];
    let ExclusiveStartKey = cursor?.key;
    // A filter can leave a page short; keep reading until the page is full or the partition ends.
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: q.IndexName,
          KeyConditionExpression: q.KeyConditionExpression,
          FilterExpression: q.filters.length > 0 ? q.filters.join(' AND ') : undefined,
          ExpressionAttributeNames: Object.keys(q.names).length > 0 ? q.names : undefined,
          ExpressionAttributeValues: q.values,
          ScanIndexForward: false,
          Limit: limit - entries.length,
          ExclusiveStartKey,
        }),
      );
      entries.push(...(page.Items ?? []).map(withoutIndexKeys));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && entries.length < limit);
    return { entries, next: ExclusiveStartKey ? { key: ExclusiveStartKey } : undefined };
  }
}

/** An entry's place in the by-day merge order. */
export interface AuditPosition {
  readonly at: string;
  readonly chainId: string;
  readonly seq: number;
}

const positionOf = (entry: AuditEntry): AuditPosition => ({ at: entry.at, chainId: entry.chainId, seq: entry.seq });

/** Negative when `a` comes first: newer `at`, then the greater chain id, then the greater seq (a total order). */
function newestFirst(a: AuditPosition, b: AuditPosition): number {
  if (a.at !== b.at) return a.at > b.at ? -1 : 1;
  if (a.chainId !== b.chainId) return a.chainId > b.chainId ? -1 : 1;
  return b.seq - a.seq;
}


export interface AuditCursor {
  /** The by-day walk: the day still to read, and in it the last entry handed out (every shard resumes after it). */
  readonly day?: string;
  readonly after?: AuditPosition;
  /** A chain or the actor index: the DynamoDB key to continue after. */
  readonly key?: Record<string, unknown>;
}

function previousDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return dayOf(date.toISOString());
}

