/**
 * The recipients' outbox in DynamoDB (`domain/recipient-outbox.ts`): a pending event is an item of the consent table under
 * the subject's partition, `outbox#<source kind>#<source id>#<type>`, written in the same transaction as the change it
 * reports (the consent ledger's, the account's or the request's). Its `outbox` attribute (`pending#NN`, a shard of the
 * subject) puts it on the sparse `byOutbox` index (sorted by `at`), which the drain job queries, every shard at once,
 * instead of scanning. One `pending` value would take every outbox write of the deployment: past about 1,000 a second it
 * would throttle the index, and with it the consent, account and request writes the outbox items ride with (bench P7).
 * Under the subject's partition, the erasure's consent step deletes whatever is still pending, and its verification finds
 * anything left.
 *
 * The subject's own events (a rights request's changes, `domain/subject-events.ts`) use the same outbox, one item per write
 * of the request holding that write's events in order (`subjectEvents`). It lives under the request's subject id as written:
 * the pseudonym once the request is kept for an erased subject, so nothing is written back under an erased subject's id.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, QueryCommand } from './dynamodb-sdk';
import type { PendingRecipientEvent, StoredOutboxItem } from '../domain/recipient-outbox';
import type { PendingSubjectEvents } from '../domain/subject-events';
import { allShardKeys, shardedKey } from '../domain/key-shards';
import { indexShards } from '../runtime/index-shards';

export const OUTBOX_SK_PREFIX = 'outbox#';
export const OUTBOX_INDEX = 'byOutbox';
const PENDING = 'pending';

/** The key kind of the subject's events (`outbox#subject-events#<requestId>#<first sequence>`). */
const SUBJECT_EVENTS_KIND = 'subject-events';

/** A pending item: every kind goes on the one index, under the same key scheme, so the drain sees them in one query. */
function pendingPut(table: string, subjectId: string, key: string, at: string, payload: Record<string, unknown>) {
  return { Put: { TableName: table, // The writers (consent, accounts, rights) call this and need not know about shards.
    Item: { subjectId, sk: `${OUTBOX_SK_PREFIX}${key}`, outbox: shardedKey(PENDING, subjectId, indexShards()), at, ...payload } } };
}

/** The transaction item that records a pending event beside the change. */
export function outboxPut(table: string, pending: PendingRecipientEvent) {
  const { subjectId, ...recipientEvent } = pending;
  return pendingPut(table, subjectId, `${pending.source.kind}#${pending.source.id}#${pending.type}`, pending.at, { recipientEvent });
}

/** The transaction item that records a request write's events for the subject (`domain/subject-events.ts`). */
export function subjectEventsPut(table: string, pending: PendingSubjectEvents) {
  return pendingPut(table, pending.subjectId, `${SUBJECT_EVENTS_KIND}#${pending.requestId}#${pending.firstSequence}`, pending.at, {
    subjectEvents: pending.events,
  });
}

export class DynamoRecipientOutbox {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Shards of the outbox key; must be what the writers use (`INDEX_SHARDS`). */
    private readonly shards: number = indexShards(),
  ) {}

  /** The oldest `limit` pending items: each shard's oldest `limit`, read in parallel, merged by time. */
  async pending(limit: number): Promise<StoredOutboxItem[]> {
    const shards = await Promise.all(
      allShardKeys(PENDING, this.shards).map(async (shard) => {
        const { Items = [] } = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: OUTBOX_INDEX,
            KeyConditionExpression: 'outbox = :pending',
            ExpressionAttributeValues: { ':pending': shard },
            ScanIndexForward: true,
            Limit: limit,
          }),
        );
        return Items;
      }),
    );
    const oldest = shards
      .flat()
      .sort((a, b) => (a.at === b.at ? 0 : (a.at as string) < (b.at as string) ? -1 : 1))
      .slice(0, limit);
    return oldest.map((item): StoredOutboxItem =>
      item.subjectEvents
        ? { key: item.sk as string, subjectId: item.subjectId as string, at: item.at as string, subjectEvents: item.subjectEvents }
        : { key: item.sk as string, event: { subjectId: item.subjectId, ...item.recipientEvent } as PendingRecipientEvent },
    );
  }

  async done(stored: StoredOutboxItem): Promise<void> {
    const subjectId = 'subjectEvents' in stored ? stored.subjectId : stored.event.subjectId;
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { subjectId, sk: stored.key } }));
  }
}
