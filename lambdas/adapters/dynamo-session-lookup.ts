/**
 * The authorizer's view of the sessions table: one consistent read per request, and the idle expiry slid now and then.
 * Apart from DynamoSessionStore so the authorizer's bundle holds nothing of the accounts use cases.
 */
import { GetCommand, UpdateCommand } from './dynamodb-sdk';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SessionRecord, SessionTimes } from '../domain/sessions';

export type LiveSessionRecord = SessionRecord & SessionTimes;

export class DynamoSessionLookup {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(tokenHash: string): Promise<LiveSessionRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { tokenHash }, ConsistentRead: true }));
    return Item as LiveSessionRecord | undefined;
  }

  /** Records a use and slides the idle expiry; never resurrects a session deleted meanwhile (a concurrent logout). */
  async touch(tokenHash: string, usedAt: string, idleExpiresAt: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { tokenHash },
        UpdateExpression: 'SET lastUsedAt = :used, idleExpiresAt = :idle',
        ConditionExpression: 'attribute_exists(tokenHash)',
        ExpressionAttributeValues: { ':used': usedAt, ':idle': idleExpiresAt },
      }),
    );
  }
}
