/**
 * `fmn consent stats rebuild`: brings the consent figures' counters (domain/consent-stats.ts) in line with the ledger, for
 * a deployment whose ledger was written before the counters existed, or to check them (`--dry-run`).
 *
 * 1. Scan the consent table once (a migration, offline by nature; no serving path scans): every projection counts once in
 *    its bucket, every ledger event (also those kept under `erased#…`) once on its day.
 * 2. Sum the counters as they stand (every shard).
 * 3. Add the difference, bucket by bucket, to shard 0: the counters' sum then equals the ledger's, and a second run adds
 *    nothing. Adding the difference, not overwriting, leaves every shard's own history in place.
 *
 * Decisions made while the scan runs may leave a small difference (one moved after the scan read its projection): run it
 * when consent traffic is quiet, and run `--dry-run` after, which reports any difference left.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '../lambdas/adapters/dynamodb-sdk';
import { scanItems } from '../lambdas/adapters/dynamo-paging';
import { statsUpdates } from '../lambdas/adapters/dynamo-consent';
import { bucketOf, dayBucketOf } from '../lambdas/domain/consent-stats';
import type { ConsentEvent, ConsentState } from '../lambdas/domain/consent';

export interface RebuildReport {
  /** Projections and ledger events counted. */
  readonly projections: number;
  readonly events: number;
  /** Counters whose sum differed from the ledger, and the total of their differences' sizes. */
  readonly countersOff: number;
  readonly difference: number;
  readonly dryRun: boolean;
}

const isCounter = (subjectId: string) => /^stats#\d+$/.test(subjectId);

export async function rebuildConsentStats(db: DynamoDBDocumentClient, table: string, options: { dryRun?: boolean } = {}): Promise<RebuildReport> {
  const ledger = new Map<string, number>();
  const counters = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  let projections = 0;
  let events = 0;
  const items = scanItems<Record<string, unknown>>(db, {
    TableName: table,
    ProjectionExpression: 'subjectId, sk, topic, lastAction, #action, policyVersion, validUntil, #at, #count',
    ExpressionAttributeNames: { '#action': 'action', '#at': 'at', '#count': 'count' },
  });
  for await (const item of items) {
    const subjectId = String(item.subjectId);
    const sk = String(item.sk);
    if (isCounter(subjectId)) add(counters, sk, Number(item.count ?? 0));
    else if (sk.startsWith('state#')) {
      projections++;
      add(ledger, bucketOf(item as unknown as ConsentState)!, 1);
    } else if (sk.startsWith('event#')) {
      events++;
      const event = item as unknown as ConsentEvent;
      add(ledger, dayBucketOf(event.at, event.topic, event.action), 1);
    }
  }
  const deltas = new Map<string, number>();
  for (const key of new Set([...ledger.keys(), ...counters.keys()])) {
    const delta = (ledger.get(key) ?? 0) - (counters.get(key) ?? 0);
    if (delta !== 0) deltas.set(key, delta);
  }
  if (!options.dryRun) {
    const updates = statsUpdates(table, deltas, 0);
    // 25 a transaction: each chunk lands whole or not at all, so a crash leaves a state a rerun corrects
    for (let i = 0; i < updates.length; i += 25) await db.send(new TransactWriteCommand({ TransactItems: updates.slice(i, i + 25) }));
  }
  return {
    projections,
    events,
    countersOff: deltas.size,
    difference: [...deltas.values()].reduce((sum, d) => sum + Math.abs(d), 0),
    dryRun: options.dryRun ?? false,
  };
}
