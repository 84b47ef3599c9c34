/**
 * The recipients' outbox in DynamoDB (`domain/recipient-outbox.ts`): a pending event is an item of the consent table under
 * the subject's partition, `outbox#<source kind>#<source id>#<type>`, written in the same transaction as the change it
 * reports (the consent ledger's, the account's or the request's). Its `outbox` attribute (`pending`) puts it on the sparse
 * `byOutbox` index (sorted by `at`), which the drain job queries instead of scanning. Under the subject's partition, the
 * erasure's consent step deletes whatever is still pending, and its verification finds anything left.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, QueryCommand } from './dynamodb-sdk';
import type { PendingRecipientEvent, StoredPendingEvent } from '../domain/recipient-outbox';

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
        outbox: PENDING,
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
  ) {}

  async pending(limit: number): Promise<StoredPendingEvent[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: OUTBOX_INDEX,
        KeyConditionExpression: 'outbox = :pending',
        ExpressionAttributeValues: { ':pending': PENDING },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    return Items.map((item) => ({ key: item.sk as string, event: { subjectId: item.subjectId, ...item.recipientEvent } as PendingRecipientEvent }));
  }

  async done(stored: StoredPendingEvent): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { subjectId: stored.event.subjectId, sk: stored.key } }));
  }
}
