/**
 * The recipients' outbox in DynamoDB (`domain/recipient-outbox.ts`): a pending event is an item of the consent table under
 * the subject's partition, `outbox#<source kind>#<source id>#<type>`, written in the same transaction as the change it
 * reports (the consent ledger's, the account's or the request's). Its `outbox` attribute (`pending#NN`, a shard of the
 * subject) puts it on the sparse `byOutbox` index (sorted by `at`), which the drain job queries, every shard at once,
 * instead of scanning. One `pending` value would take every outbox write of the deployment: past about 1,000 a second it
 * would throttle the index, and with it the consent, account and request writes the outbox items ride with (bench P7).
 * Under the subject's partition, the erasure's consent step deletes whatever is still pending, and its verification finds
 * anything left.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, QueryCommand } from './dynamodb-sdk';
import type { PendingRecipientEvent, StoredPendingEvent } from '../domain/recipient-outbox';
import { allShardKeys, shardedKey } from '../domain/key-shards';
import { indexShards } from '../runtime/index-shards';

export const OUTBOX_SK_PREFIX = 'outbox#';
export const OUTBOX_INDEX = 'byOutbox';
const PENDING = 'pending';

/** The transaction item that records a pending event beside the change. */
export function outboxPut(table: string, pending: PendingRecipientEvent) {
  const { subjectId, ...recipientEvent } = pending;
  return {
    Put: {
      TableName: table,
      Item: {
        subjectId,
        sk: `${OUTBOX_SK_PREFIX}${pending.source.kind}#${pending.source.id}#${pending.type}`,
        // The writers (consent, accounts, rights) call this and need not know about shards.
        outbox: shardedKey(PENDING, subjectId, indexShards()),
        at: pending.at,
        recipientEvent,
      },
    },
  };
}

export class DynamoRecipientOutbox {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Shards of the outbox key; must be what the writers use (`INDEX_SHARDS`). */
    private readonly shards: number = indexShards(),
  ) {}

  /** The oldest `limit` pending events: each shard's oldest `limit`, read in parallel, merged by time. */
  async pending(limit: number): Promise<StoredPendingEvent[]> {
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
    return oldest.map((item) => ({ key: item.sk as string, event: { subjectId: item.subjectId, ...item.recipientEvent } as PendingRecipientEvent }));
  }

  async done(stored: StoredPendingEvent): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { subjectId: stored.event.subjectId, sk: stored.key } }));
  }
}
