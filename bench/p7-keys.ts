/**
 * P7 key distribution: how far the DynamoDB keys let the system scale. A day of traffic for a large population is turned
 * into the items each request writes (the operation model below: which tables, which key attributes, built with the same
 * shard functions the adapters use), and every write is counted against the partition key value of the table and of each
 * index the item lands on, read from the table declarations (`TABLE_SHAPES` in lib/stateful-stack.ts): an item is on an
 * index when it carries the index's partition key attribute (sparse indexes included).
 *
 * One partition key value takes about 1,000 write units per second. If the hottest value of a table or index takes `h`
 * units in a day of `R` requests, the system's request rate can grow to `1,000 × R ÷ h` per second before that value
 * throttles (the day's mix compressed in time): the ceiling. It is computed twice, with the keys as they were before
 * sharding (one value per day, per month, one outbox value, activity written on every login) and as they are now.
 *
 * Write units: an item written in a transaction costs 2 in its table, 1 otherwise; each index the item is on costs 1
 * (items here are under 1 KB). Keys that belong to one subject (their chain, their account) grow with that subject's own
 * activity, not with the system's: the model caps a subject at what a busy person does in a day.
 */
import { TABLE_SHAPES } from '../lib/stateful-stack';
import { shardKey, shardOf } from '../lambdas/domain/key-shards';
import { DRAIN_BATCH, PUBLISHES_IN_FLIGHT } from '../lambdas/domain/recipient-outbox';
import { TABLE_IDS, type TableId } from '../lambdas/runtime/resources';
import { CONSENT_STATS_SHARDS, statsPartition } from '../lambdas/domain/consent-stats';

/** How a key attribute's value is made. */
type KeySource =
  /** Derived from the request's subject (their id, pseudonym, chain, analytics id, email index). */
  | 'subject'
  /** A fresh value per write (a session token hash, a request id, a throttle counter per client). */
  | 'unique'
  /** A value shared across subjects: built from the day, the month or a constant, and maybe a shard of the subject. */
  | { readonly shared: (subject: number, keys: KeyPlan) => string };

interface ItemWrite {
  readonly table: TableId;
  /** The item's key and index attributes (others do not matter here). */
  readonly attributes: Readonly<Record<string, KeySource>>;
  /** Written inside a TransactWriteItems call: twice the write units in the table. */
  readonly transactional: boolean;
  /** Only the subject's first such write of the day happens (lastActiveAt after sharding). */
  readonly oncePerSubjectPerDay?: boolean;
  /** Share of the operation's requests that make this write (e.g. only some consent decisions concern a recipient). */
  readonly probability?: number;
}

export interface Operation {
  /** The route, worker or job id (`lambdas/routes.ts`, `lambdas/schedules.ts`) this models. */
  readonly id: string;
  /** Share of the day's requests (routes), or a count per day (jobs: `perDay`). */
  readonly share?: number;
  readonly perDay?: number;
  /** `subject`: one of the day's active subjects; `none`: a job or admin call about no one (the `system` chain). */
  readonly actor: 'subject' | 'none';
  readonly writes: (keys: KeyPlan) => readonly ItemWrite[];
}

/** Which key shapes are in force: before sharding, or now. */
export interface KeyPlan {
  readonly label: 'before' | 'after';
  /** 0: unsharded (before). */
  readonly shards: number;
  readonly day: string;
  readonly month: string;
  /** Shard of each subject (by its seed), precomputed: the hot loop must not hash strings. */
  shardOfSubject(subject: number): number;
}

const DAY = '2026-12-04';
const MONTH = '2026-12';

const sharded = (value: string) => ({
  shared: (subject: number, keys: KeyPlan) => (keys.shards === 0 ? value : shardKey(value, keys.shardOfSubject(subject))),
});
const constant = (value: string) => ({ shared: () => value });
const SUBJECT_CHAIN_SHARD = { shared: (s: number, k: KeyPlan) => (k.shards === 0 ? k.day : shardKey(k.day, k.shardOfSubject(s))) };
const SYSTEM_CHAIN_SHARD = { shared: (_s: number, k: KeyPlan) => (k.shards === 0 ? k.day : shardKey(k.day, shardOf('system', k.shards))) };

/** An audit entry on the subject's chain (the head update is a second write to the same partition). */
const auditEntry = (): ItemWrite[] => [
  { table: 'audit', transactional: true, attributes: { chainId: 'subject', actorId: 'subject', dayShard: SUBJECT_CHAIN_SHARD } },
  { table: 'audit', transactional: true, attributes: { chainId: 'subject' } },
];
/** An entry about no one: the `system` chain, one head for the whole deployment. */
const systemAuditEntry = (): ItemWrite[] => [
  { table: 'audit', transactional: true, attributes: { chainId: constant('system'), actorId: constant('system:job'), dayShard: SYSTEM_CHAIN_SHARD } },
  { table: 'audit', transactional: true, attributes: { chainId: constant('system') } },
];
/** Every scheduled job's record of its run (runtime/scheduled-job.ts): one item per job, overwritten. */
const jobRun = (jobId: string): ItemWrite => ({ table: 'jobRuns', transactional: false, attributes: { jobId: constant(jobId) } });
const outboxItem = (probability = 1): ItemWrite => ({
  table: 'consent',
  transactional: true,
  attributes: { subjectId: 'subject', outbox: sharded('pending') },
  probability,
});
/**
 * The consent figures' counters a decision moves (domain/consent-stats.ts): the old bucket, the new one and the day's, in
 * the decision's transaction, on a shard picked at random per write (the subject's number stands in for the draw: as even).
 * The shards are fixed (64), not the plan's: they were never unsharded.
 */
const consentCounters = (count: number, probability = 1): ItemWrite[] =>
  Array.from({ length: count }, () => ({
    table: 'consent' as const,
    transactional: true,
    attributes: { subjectId: { shared: (subject: number) => statsPartition(subject % CONSENT_STATS_SHARDS) } },
    probability,
  }));
/** The account's activity: on every login before; now at most once a day on a password login (domain/accounts.ts `activityDue`). */
const activity = (keys: KeyPlan, oncePerDay = true): ItemWrite => ({
  table: 'users',
  transactional: true,
  attributes: { subjectId: 'subject', activityMonth: keys.shards === 0 ? constant(keys.month) : sharded(keys.month) },
  oncePerSubjectPerDay: oncePerDay && keys.label === 'after',
});

/**
 * A day of traffic. Shares are of the day's requests (they sum to 1); jobs and admin calls run a number of times a day.
 * The mix leans on reads, as an account service's traffic does; every personal-data request writes its audit entry.
 */
export const OPERATIONS: readonly Operation[] = [
  { id: 'getMe', share: 0.3, actor: 'subject', writes: () => auditEntry() },
  { id: 'myConsents', share: 0.12, actor: 'subject', writes: () => auditEntry() },
  {
    id: 'analyticsEvents',
    share: 0.25,
    actor: 'subject',
    writes: () => [{ table: 'analyticsEvents', transactional: true, attributes: { analyticsId: 'subject' } }, ...auditEntry()],
  },
  {
    id: 'putConsent',
    share: 0.08,
    actor: 'subject',
    // The ledger event, the projection the gate reads, the audit entry; a withdrawal for a purpose a recipient serves (here
    // a quarter of the decisions) adds the outbox item.
    writes: () => [
      { table: 'consent', transactional: true, attributes: { subjectId: 'subject' } },
      { table: 'consent', transactional: true, attributes: { subjectId: 'subject' } },
      outboxItem(0.25),
      ...consentCounters(3),
      ...auditEntry(),
    ],
  },
  {
    id: 'login',
    share: 0.1,
    actor: 'subject',
    writes: (keys) => [
      { table: 'sessions', transactional: true, attributes: { tokenHash: 'unique', subjectId: 'subject' } },
      activity(keys),
      // A failed attempt counts per account and per client; the success deletes the account's counter.
      { table: 'loginThrottle', transactional: false, attributes: { counterKey: 'subject' } },
      ...auditEntry(),
    ],
  },
  { id: 'loginOidc', share: 0.02, actor: 'subject', writes: (keys) => [{ table: 'sessions', transactional: true, attributes: { tokenHash: 'unique', subjectId: 'subject' } }, activity(keys, false), ...auditEntry()] },
  // The authorizer slides a session's idle expiry at most every few minutes (domain/sessions.ts): about one request in ten.
  { id: 'authorizer', share: 0.0, perDay: 5_000_000, actor: 'subject', writes: () => [{ table: 'sessions', transactional: false, attributes: { tokenHash: 'unique', subjectId: 'subject' } }] },
  { id: 'logout', share: 0.03, actor: 'subject', writes: () => [{ table: 'sessions', transactional: true, attributes: { tokenHash: 'unique', subjectId: 'subject' } }, ...auditEntry()] },
  { id: 'logoutEverywhere', share: 0.002, actor: 'subject', writes: () => [{ table: 'sessions', transactional: false, attributes: { tokenHash: 'unique', subjectId: 'subject' } }, ...auditEntry()] },
  { id: 'listSessions', share: 0.01, actor: 'subject', writes: () => auditEntry() },
  {
    id: 'register',
    share: 0.005,
    actor: 'subject',
    writes: (keys) => [
      { table: 'users', transactional: true, attributes: { subjectId: 'subject', emailIndex: 'subject', activityMonth: keys.shards === 0 ? constant(keys.month) : sharded(keys.month) } },
      { table: 'subjectKeys', transactional: true, attributes: { subjectId: 'subject' } },
      { table: 'identities', transactional: true, attributes: { identityKey: 'subject', subjectId: 'subject' } },
      { table: 'sessions', transactional: true, attributes: { tokenHash: 'unique', subjectId: 'subject' } },
      { table: 'consent', transactional: true, attributes: { subjectId: 'subject' } },
      // a sign-up tick is a first decision: a new bucket and the day's count
      ...consentCounters(2),
      ...auditEntry(),
    ],
  },
  {
    id: 'patchMe',
    share: 0.02,
    actor: 'subject',
    writes: () => [
      { table: 'users', transactional: true, attributes: { subjectId: 'subject', emailIndex: 'subject' } },
      { table: 'identities', transactional: true, attributes: { identityKey: 'subject', subjectId: 'subject' } },
      outboxItem(),
      ...auditEntry(),
    ],
  },
  { id: 'myAudit', share: 0.01, actor: 'subject', writes: () => auditEntry() },
  { id: 'consentHistory', share: 0.01, actor: 'subject', writes: () => auditEntry() },
  { id: 'restrict', share: 0.0005, actor: 'subject', writes: () => [{ table: 'consent', transactional: true, attributes: { subjectId: 'subject' } }, outboxItem(), ...consentCounters(3), ...auditEntry()] },
  { id: 'liftRestriction', share: 0.0003, actor: 'subject', writes: () => [{ table: 'consent', transactional: true, attributes: { subjectId: 'subject' } }, outboxItem(), ...consentCounters(3), ...auditEntry()] },
  { id: 'object', share: 0.001, actor: 'subject', writes: () => [{ table: 'consent', transactional: true, attributes: { subjectId: 'subject' } }, ...consentCounters(3), ...auditEntry()] },
  { id: 'withdrawObjection', share: 0.0005, actor: 'subject', writes: () => [{ table: 'consent', transactional: true, attributes: { subjectId: 'subject' } }, ...consentCounters(3), ...auditEntry()] },
  { id: 'newsletter', share: 0.01, actor: 'subject', writes: () => [{ table: 'consent', transactional: true, attributes: { subjectId: 'subject' } }, outboxItem(), ...auditEntry()] },
  {
    id: 'createRequest',
    share: 0.0004,
    actor: 'subject',
    // A new request is `queued`: the byStatus partition every new request shares.
    writes: () => [{ table: 'rightsRequests', transactional: true, attributes: { requestId: 'unique', subjectId: 'subject', status: constant('queued') } }, outboxItem(), ...auditEntry()],
  },
  {
    id: 'recipientAck',
    // Two recipients answer each erasure or export (about 20,000 a day at this mix): an update of the request, which stays
    // in the byStatus partition of `awaiting_recipients` until the last answer, and the ack on the subject's trail. The
    // last of the two completes the request, which tells the subject (an outbox item).
    perDay: 40_000,
    actor: 'subject',
    writes: () => [{ table: 'rightsRequests', transactional: true, attributes: { requestId: 'unique', subjectId: 'subject', status: constant('awaiting_recipients') } }, outboxItem(0.5), ...auditEntry()],
  },
  { id: 'myRequests', share: 0.002, actor: 'subject', writes: () => auditEntry() },
  { id: 'myRequest', share: 0.002, actor: 'subject', writes: () => auditEntry() },
  { id: 'downloadExport', share: 0.0002, actor: 'subject', writes: () => auditEntry() },
  { id: 'erasureReceipt', share: 0.0001, actor: 'subject', writes: () => [] },
  {
    id: 'rightsRequestWorker',
    share: 0.0004,
    actor: 'subject',
    // Per request: in-progress then completed (two status moves), the subject's data deleted or exported, the recipients told.
    writes: () => [
      { table: 'rightsRequests', transactional: true, attributes: { requestId: 'unique', subjectId: 'subject', status: constant('in-progress') } },
      { table: 'rightsRequests', transactional: true, attributes: { requestId: 'unique', subjectId: 'subject', status: constant('completed') } },
      // Each status move tells the subject (subject-events through the outbox, in the same transaction).
      outboxItem(),
      outboxItem(),
      { table: 'users', transactional: false, attributes: { subjectId: 'subject' } },
      { table: 'subjectKeys', transactional: false, attributes: { subjectId: 'subject' } },
      { table: 'consent', transactional: false, attributes: { subjectId: 'subject' } },
      // an erasure (about half the requests) takes the subject's projections out of the consent figures
      ...consentCounters(3, 0.5),
      { table: 'analyticsEvents', transactional: false, attributes: { analyticsId: 'subject' } },
      { table: 'loginThrottle', transactional: false, attributes: { counterKey: 'subject' } },
      ...auditEntry(),
      ...auditEntry(),
    ],
  },
  // Admin routes: a few thousand calls a day, each on a subject's chain or (a search about no one) the system chain.
  { id: 'adminAudit', perDay: 2_000, actor: 'none', writes: () => systemAuditEntry() },
  { id: 'adminRequests', perDay: 2_000, actor: 'none', writes: () => systemAuditEntry() },
  ...(['approveRequest', 'rejectRequest', 'extendRequest', 'completeRequest'] as const).map(
    (id): Operation => ({
      id,
      perDay: 500,
      actor: 'subject',
      writes: () => [{ table: 'rightsRequests', transactional: true, attributes: { requestId: 'unique', subjectId: 'subject', status: constant('completed') } }, outboxItem(), ...auditEntry()],
    }),
  ),
  ...(['setLegalHold', 'liftLegalHold'] as const).map(
    (id): Operation => ({ id, perDay: 50, actor: 'subject', writes: () => [{ table: 'users', transactional: true, attributes: { subjectId: 'subject' } }, ...auditEntry()] }),
  ),
  // Breach records: a handful of incidents a year, each changed a few dozen times; every record shares the one `listed`
  // partition of the byAwareness index, and its audit entries go on the system chain (about no one subject).
  ...(['createIncident', 'updateIncident', 'startIncidentScope'] as const).map(
    (id): Operation => ({
      id,
      perDay: 20,
      actor: 'none',
      writes: () => [{ table: 'incidents', transactional: true, attributes: { incidentId: 'unique', listed: constant('incident') } }, ...systemAuditEntry()],
    }),
  ),
  // An admin confirms password and code again before sensitive work: the session stamped, the throttle counted.
  {
    id: 'reauthenticate',
    perDay: 500,
    actor: 'subject',
    writes: () => [
      { table: 'sessions', transactional: false, attributes: { tokenHash: 'unique', subjectId: 'subject' } },
      { table: 'loginThrottle', transactional: false, attributes: { counterKey: 'subject' } },
      ...auditEntry(),
    ],
  },
  { id: 'createAdmin', perDay: 1, actor: 'subject', writes: () => [{ table: 'users', transactional: true, attributes: { subjectId: 'subject', emailIndex: 'subject' } }, ...auditEntry()] },
  // A DLQ redrive moves queue messages (no table write) and writes one entry about no one.
  { id: 'redriveQueue', perDay: 2, actor: 'none', writes: () => systemAuditEntry() },
  // Jobs. The outbox drain runs every minute and deletes each event it publishes (one per outbox write above).
  { id: 'drainRecipientOutbox', perDay: 1_440, actor: 'none', writes: () => [...systemAuditEntry(), jobRun('drainRecipientOutbox')] },
  { id: 'retention', perDay: 1, actor: 'none', writes: () => [...systemAuditEntry(), jobRun('retention')] },
  // The retention job's notices: accounts crossing the inactivity line each day (a 24-month clock over 10 M accounts).
  { id: 'retentionNotice', perDay: 15_000, actor: 'subject', writes: () => [{ table: 'users', transactional: true, attributes: { subjectId: 'subject' } }, ...auditEntry()] },
  { id: 'overdueRequests', perDay: 1, actor: 'none', writes: () => [...systemAuditEntry(), jobRun('overdueRequests')] },
  { id: 'resendLostJobs', perDay: 24, actor: 'none', writes: () => [...systemAuditEntry(), jobRun('resendLostJobs')] },
];

/** Route, worker and job ids the model covers on purpose without a write of their own (they write nothing). */
export const WRITES_NOTHING: readonly string[] = ['health', 'openApi', 'purposes', 'fallback'];

export interface P7Sizes {
  readonly subjects: number;
  readonly requests: number;
  /** Share of the subjects active on the day (the requests are spread over them). */
  readonly dailyActive: number;
  readonly shards: number;
}

export interface P7Target {
  /** `table` or `table.index`. */
  readonly target: string;
  readonly partitionKey: string;
  readonly writeUnits: number;
  readonly keys: number;
  /** The hottest value, as written (`subject` for a subject's own key, `unique` for a fresh key per write). */
  readonly hottestKey: string;
  readonly hottestUnits: number;
  /** Of the target's write units. */
  readonly hottestShare: number;
  /** Requests per second at which the hottest value reaches 1,000 write units per second. */
  readonly ceilingPerSecond: number;
}

export interface P7Plan {
  readonly label: 'before' | 'after';
  readonly shards: number;
  readonly targets: readonly P7Target[];
  /** The lowest ceiling and where it is. */
  readonly binding: P7Target;
}

/**
 * A limit outside the keys: the outbox drain (lambdas/handlers/drain-recipient-outbox.ts) runs once a minute and takes
 * batches of DRAIN_BATCH, until 20 s of its 60 s timeout are left. Each batch is published as chains, one per subject,
 * PUBLISHES_IN_FLIGHT at once (domain/recipient-outbox.ts), then its reads are audited. At an estimated 30 ms an event
 * (an SNS publish and a DynamoDB delete, and for some the account and key reads) and 60 ms a batch for the query of the
 * pending shards and the audit write, a batch of distinct subjects takes ceil(100 / 16) × 30 + 60 = 270 ms: about 14,800
 * events a run. Estimated, not measured: the local cloud's latencies are not AWS's. Keep these in step with the handler.
 */
export const DRAIN_MS_PER_EVENT_ESTIMATE = 30;
export const DRAIN_MS_PER_BATCH_OVERHEAD_ESTIMATE = 60;
const DRAIN_MS_PER_BATCH = Math.ceil(DRAIN_BATCH / PUBLISHES_IN_FLIGHT) * DRAIN_MS_PER_EVENT_ESTIMATE + DRAIN_MS_PER_BATCH_OVERHEAD_ESTIMATE;
export const DRAIN_EVENTS_PER_DAY = Math.floor((60_000 - 20_000) / DRAIN_MS_PER_BATCH) * DRAIN_BATCH * 1_440;

export interface P7Drain {
  /** Outbox items the day writes (after sharding: the same count). */
  readonly eventsPerDay: number;
  readonly capacityPerDay: number;
  /** Requests per second at which the day's outbox writes reach the drain's capacity. */
  readonly ceilingPerSecond: number;
}

export interface P7Result {
  readonly subjects: number;
  readonly requests: number;
  readonly dailyActive: number;
  readonly before: P7Plan;
  readonly after: P7Plan;
  readonly drain: P7Drain;
  /** Requests per second the issue targets. */
  readonly target: number;
}

export const P7_TARGET_PER_SECOND = 20_000;
const PARTITION_UNITS_PER_SECOND = 1_000;

/** Deterministic (xorshift32): the same day every run. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

interface Counter {
  readonly target: string;
  readonly table: TableId;
  readonly partitionKey: string;
  readonly index: boolean;
  units: number;
  bySubject?: Uint32Array;
  readonly shared: Map<string, number>;
  uniqueKeys: number;
  uniqueMax: number;
}

/** Every table and index of the declarations, with its partition key attribute. */
export function declaredTargets(): Array<{ target: string; table: TableId; partitionKey: string; index: boolean }> {
  return TABLE_IDS.flatMap((table) => [
    { target: table, table, partitionKey: TABLE_SHAPES[table].partitionKey.name, index: false },
    ...(TABLE_SHAPES[table].indexes ?? []).map((i) => ({ target: `${table}.${i.indexName}`, table, partitionKey: i.partitionKey.name, index: true })),
  ]);
}

function simulate(sizes: P7Sizes, label: 'before' | 'after'): P7Plan {
  const shards = label === 'before' ? 0 : sizes.shards;
  // Only the day's active subjects write; they are numbered 0 … active − 1.
  const active = Math.max(1, Math.round(sizes.subjects * sizes.dailyActive));
  const subjectShards = new Uint8Array(active);
  if (shards > 0) for (let s = 0; s < active; s++) subjectShards[s] = shardOf(`subject#${s}`, shards);
  const keys: KeyPlan = { label, shards, day: DAY, month: MONTH, shardOfSubject: (s) => subjectShards[s] };
  const counters = declaredTargets().map((t): Counter => ({ ...t, units: 0, shared: new Map(), uniqueKeys: 0, uniqueMax: 0 }));
  const countersOf = new Map<TableId, Counter[]>();
  for (const c of counters) countersOf.set(c.table, [...(countersOf.get(c.table) ?? []), c]);
  const activeToday = new Uint8Array(active);
  const next = random(0x5eed);

  const sharedValues = new Map<object, string[]>();
  const record = (write: ItemWrite, subject: number) => {
    for (const c of countersOf.get(write.table) ?? []) {
      const source = write.attributes[c.partitionKey];
      if (source === undefined) continue; // not on this index (sparse), or a table key this model leaves out
      const units = c.index ? 1 : write.transactional ? 2 : 1;
      c.units += units;
      if (source === 'subject') {
        c.bySubject ??= new Uint32Array(active);
        c.bySubject[subject] += units;
      } else if (source === 'unique') {
        c.uniqueKeys++;
        c.uniqueMax = Math.max(c.uniqueMax, units);
      } else {
        // A shared value depends on the subject's shard only: built once per shard, not once per write.
        let byShard = sharedValues.get(source);
        if (!byShard) sharedValues.set(source, (byShard = []));
        const shard = subjectShards[subject];
        const value = (byShard[shard] ??= source.shared(subject, keys));
        c.shared.set(value, (c.shared.get(value) ?? 0) + units);
      }
    }
  };
  for (const op of OPERATIONS) {
    const count = op.perDay ?? Math.round((op.share ?? 0) * sizes.requests);
    // Jobs and admin calls scale with the population only through their own counts; the small test sizes scale them down.
    const scaled = op.perDay === undefined ? count : Math.max(1, Math.round((count * sizes.requests) / 50_000_000));
    const writes = op.writes(keys);
    for (let i = 0; i < scaled; i++) {
      const subject = Math.floor(next() * active);
      for (const write of writes) {
        if (write.probability !== undefined && write.probability < 1 && next() >= write.probability) continue;
        if (write.oncePerSubjectPerDay) {
          if (activeToday[subject]) continue;
          activeToday[subject] = 1;
        }
        record(write, subject);
      }
    }
  }

  const targets = counters.map((c): P7Target => {
    let hottestKey = 'none';
    let hottestUnits = 0;
    let keyCount = c.uniqueKeys + c.shared.size;
    if (c.uniqueMax > hottestUnits) [hottestKey, hottestUnits] = ['unique', c.uniqueMax];
    if (c.bySubject) {
      let max = 0;
      for (let s = 0; s < c.bySubject.length; s++) {
        if (c.bySubject[s] > 0) keyCount++;
        if (c.bySubject[s] > max) max = c.bySubject[s];
      }
      if (max > hottestUnits) [hottestKey, hottestUnits] = ['subject', max];
    }
    for (const [value, units] of c.shared) if (units > hottestUnits) [hottestKey, hottestUnits] = [value, units];
    return {
      target: c.target,
      partitionKey: c.partitionKey,
      writeUnits: c.units,
      keys: keyCount,
      hottestKey,
      hottestUnits,
      hottestShare: c.units === 0 ? 0 : round4(hottestUnits / c.units),
      ceilingPerSecond: hottestUnits === 0 ? Infinity : Math.round((PARTITION_UNITS_PER_SECOND * sizes.requests) / hottestUnits),
    };
  });
  const binding = [...targets].sort((a, b) => a.ceilingPerSecond - b.ceilingPerSecond)[0];
  return { label, shards, targets, binding };
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export function runP7(sizes: P7Sizes, log: (line: string) => void = () => {}): P7Result {
  const before = simulate(sizes, 'before');
  log(`P7 before: binding ${before.binding.target} (${before.binding.hottestKey}) at ${before.binding.ceilingPerSecond} req/s`);
  const after = simulate(sizes, 'after');
  log(`P7 after (${sizes.shards} shards): binding ${after.binding.target} (${after.binding.hottestKey}) at ${after.binding.ceilingPerSecond} req/s`);
  const eventsPerDay = after.targets.find((t) => t.target === 'consent.byOutbox')?.writeUnits ?? 0;
  const drain: P7Drain = {
    eventsPerDay,
    capacityPerDay: DRAIN_EVENTS_PER_DAY,
    ceilingPerSecond: eventsPerDay === 0 ? Infinity : Math.round((DRAIN_EVENTS_PER_DAY / eventsPerDay) * (sizes.requests / 86_400)),
  };
  log(`P7 outbox drain: ${eventsPerDay} events a day for ${DRAIN_EVENTS_PER_DAY} of capacity: binds at ${drain.ceilingPerSecond} req/s`);
  return { subjects: sizes.subjects, requests: sizes.requests, dailyActive: sizes.dailyActive, before, after, drain, target: P7_TARGET_PER_SECOND };
}
