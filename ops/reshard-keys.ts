/**
 * `fmn keys reshard`: rewrites the sharded index keys (lambdas/domain/key-shards.ts) of existing items to a shard count.
 * Run it after deploying sharding over items written before it (`2026-12`, `pending`, audit entries without `dayShard`),
 * and after changing `-c indexShards`: the readers query the shards of the count they are given, so an item keyed for
 * another count is missed by the retention job, the outbox drain and the audit search until it is rewritten.
 *
 *   - users: `activityMonth` (the month of `lastActiveAt` with the subject's shard);
 *   - consent: `outbox` of pending recipients' events (`pending` with the subject's shard);
 *   - audit: `dayShard` of every entry (the entry's day with its chain's shard). `dayShard` is not hashed, so the chains
 *     still verify; heads (seq 0) carry none.
 *
 * Each rewrite is conditional on the value it read, so a login, a drain or a new entry that lands meanwhile wins (and is
 * already keyed by the running code). Scans, once: this is a migration, not a request path. Idempotent: a second run
 * rewrites nothing.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, UpdateCommand } from '../lambdas/adapters/dynamodb-sdk';
import { scanItems } from '../lambdas/adapters/dynamo-paging';
import { checkShardCount, shardedKey, unsharded } from '../lambdas/domain/key-shards';

export interface ReshardTables {
  readonly users: string;
  readonly consent: string;
  readonly audit: string;
}

export interface ReshardCounts {
  /** Items carrying the key. */
  readonly scanned: number;
  /** Items whose key was (or, with `dryRun`, would be) rewritten. */
  readonly rewritten: number;
  /** Rewrites skipped because the item changed after the scan read it. */
  readonly changed: number;
}

export type ReshardReport = Readonly<Record<'users.activityMonth' | 'consent.outbox' | 'audit.dayShard', ReshardCounts>>;

/** Updates in flight at once: enough to go fast, few enough not to throttle an on-demand table's fresh partitions. */
const IN_FLIGHT = 16;

interface KeyPlan {
  readonly table: string;
  readonly key: readonly string[];
  readonly attribute: string;
  /** Which items carry the attribute (a scan filter); heads and other items are left alone. */
  readonly filter: string;
  readonly projection: readonly string[];
  /** The key the item should carry, or undefined to leave it alone. */
  readonly target: (item: Record<string, unknown>, shards: number) => string | undefined;
}

const PLANS: Readonly<Record<keyof ReshardReport, (tables: ReshardTables) => KeyPlan>> = {
  'users.activityMonth': (t) => ({
    table: t.users,
    key: ['subjectId'],
    attribute: 'activityMonth',
    filter: 'attribute_exists(activityMonth)',
    projection: ['subjectId', 'activityMonth'],
    target: (item, shards) => shardedKey(unsharded(String(item.activityMonth)), String(item.subjectId), shards),
  }),
  'consent.outbox': (t) => ({
    table: t.consent,
    key: ['subjectId', 'sk'],
    attribute: 'outbox',
    filter: 'attribute_exists(outbox)',
    projection: ['subjectId', 'sk', 'outbox'],
    target: (item, shards) => shardedKey(unsharded(String(item.outbox)), String(item.subjectId), shards),
  }),
  'audit.dayShard': (t) => ({
    table: t.audit,
    key: ['chainId', 'seq'],
    attribute: 'dayShard',
    filter: 'attribute_exists(#day)',
    projection: ['chainId', 'seq', '#day', 'dayShard'],
    target: (item, shards) => (typeof item.day === 'string' ? shardedKey(item.day, String(item.chainId), shards) : undefined),
  }),
};

export async function reshardKeys(
  db: DynamoDBDocumentClient,
  tables: ReshardTables,
  options: { readonly shards: number; readonly dryRun?: boolean },
): Promise<ReshardReport> {
  const shards = checkShardCount(options.shards, '--shards');
  const report = {} as Record<keyof ReshardReport, ReshardCounts>;
  for (const [name, plan] of Object.entries(PLANS) as Array<[keyof ReshardReport, (t: ReshardTables) => KeyPlan]>) {
    report[name] = await reshardOne(db, plan(tables), shards, options.dryRun ?? false);
  }
  return report;
}

async function reshardOne(db: DynamoDBDocumentClient, plan: KeyPlan, shards: number, dryRun: boolean): Promise<ReshardCounts> {
  let scanned = 0;
  let rewritten = 0;
  let changed = 0;
  let inFlight: Promise<void>[] = [];
  const items = scanItems<Record<string, unknown>>(db, {
    TableName: plan.table,
    FilterExpression: plan.filter,
    ProjectionExpression: plan.projection.join(', '),
    ...(plan.projection.includes('#day') ? { ExpressionAttributeNames: { '#day': 'day' } } : {}),
  });
  for await (const item of items) {
    scanned++;
    const target = plan.target(item, shards);
    const current = item[plan.attribute];
    if (target === undefined || current === target) continue;
    rewritten++;
    if (dryRun) continue;
    inFlight.push(
      db
        .send(
          new UpdateCommand({
            TableName: plan.table,
            Key: Object.fromEntries(plan.key.map((k) => [k, item[k]])),
            UpdateExpression: 'SET #a = :target',
            // The value read, or (an audit entry written before sharding) still none: anything else is newer.
            ConditionExpression: current === undefined ? 'attribute_exists(#k) AND attribute_not_exists(#a)' : '#a = :current',
            ExpressionAttributeNames: { '#a': plan.attribute, ...(current === undefined ? { '#k': plan.key[0] } : {}) },
            ExpressionAttributeValues: { ':target': target, ...(current === undefined ? {} : { ':current': current }) },
          }),
        )
        .then(
          () => undefined,
          (error: unknown) => {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
            rewritten--;
            changed++;
          },
        ),
    );
    if (inFlight.length >= IN_FLIGHT) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return { scanned, rewritten, changed };
}
