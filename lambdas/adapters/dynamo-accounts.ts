/**
 * DynamoDB adapters for accounts: users, subject keys, identity claims, sessions and login throttle counters.
 * Multi-item changes are single transactions, so a failure leaves nothing half-written.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  AccountChangedError,
  EmailTakenError,
  type AccountStore,
  type IdentityClaim,
  type SessionStore,
  type ThrottleStore,
  type UserRecord,
} from '../domain/accounts';
import { EMPTY_COUNTER, type ThrottleCounter } from '../domain/login-throttle';
import type { SessionRecord } from '../domain/sessions';

/** BatchWriteItem retries of unprocessed items before giving up (with exponential backoff, about 6 s in all). */
const MAX_BATCH_ATTEMPTS = 8;

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** Table names resolved on use, so a route is only asked for the tables the operations it runs touch. */
export interface AccountTables {
  table(id: 'users' | 'subjectKeys' | 'identities' | 'sessions'): string;
}

/** Which transaction items failed their condition, by index. */
function failedConditions(error: unknown): number[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
}

export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: AccountTables,
  ) {}

  async create(user: UserRecord, wrappedKey: string, claims: readonly IdentityClaim[], session: SessionRecord): Promise<void> {
    const items: TransactItems = [
      ...claims.map((claim) => this.claimPut(claim, user.subjectId, user.createdAt)),
      { Put: { TableName: this.tables.table('users'), Item: user, ConditionExpression: 'attribute_not_exists(subjectId)' } },
      { Put: { TableName: this.tables.table('subjectKeys'), Item: { subjectId: user.subjectId, wrappedKey, createdAt: user.createdAt } } },
      { Put: { TableName: this.tables.table('sessions'), Item: session } },
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.some((i) => i < claims.length)) throw new EmailTakenError();
      throw error;
    }
  }

  private claimPut(claim: IdentityClaim, subjectId: string, at: string): TransactItems[number] {
    return {
      Put: {
        TableName: this.tables.table('identities'),
        Item: { identityKey: claim.identityKey, kind: claim.kind, subjectId, createdAt: at },
        ConditionExpression: 'attribute_not_exists(identityKey)',
      },
    };
  }

  async subjectFor(identityKey: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.table('identities'), Key: { identityKey }, ConsistentRead: true }));
    return Item?.subjectId as string | undefined;
  }

  async get(subjectId: string): Promise<UserRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.table('users'), Key: { subjectId }, ConsistentRead: true }));
    return Item as UserRecord | undefined;
  }

  async update(
    previous: UserRecord,
    next: UserRecord,
    emailClaimChange?: { remove: string; add: string },
    addClaims: readonly IdentityClaim[] = [],
  ): Promise<void> {
    const claimPuts = [
      ...(emailClaimChange ? [this.claimPut({ identityKey: emailClaimChange.add, kind: 'email' }, next.subjectId, next.updatedAt)] : []),
      ...addClaims.map((claim) => this.claimPut(claim, next.subjectId, next.updatedAt)),
    ];
    const items: TransactItems = [
      ...claimPuts,
      {
        Put: {
          TableName: this.tables.table('users'),
          Item: next,
          // Optimistic concurrency: two corrections racing cannot silently overwrite each other.
          ConditionExpression: 'updatedAt = :previous',
          ExpressionAttributeValues: { ':previous': previous.updatedAt },
        },
      },
      ...(emailClaimChange
        ? [
            {
              Delete: {
                TableName: this.tables.table('identities'),
                Key: { identityKey: emailClaimChange.remove },
                ConditionExpression: 'subjectId = :subject',
                ExpressionAttributeValues: { ':subject': next.subjectId },
              },
            },
          ]
        : []),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.some((i) => i < claimPuts.length)) throw new EmailTakenError();
      if (failed && failed.length > 0) throw new AccountChangedError();
      throw error;
    }
  }
}

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(session: SessionRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: session }));
  }

  async listForSubject(subjectId: string): Promise<SessionRecord[]> {
    const sessions: SessionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'bySubject',
          KeyConditionExpression: 'subjectId = :subject',
          ExpressionAttributeValues: { ':subject': subjectId },
          ExclusiveStartKey: startKey,
        }),
      );
      sessions.push(...((page.Items ?? []) as SessionRecord[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return sessions;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { tokenHash } }));
  }

  async deleteAllForSubject(subjectId: string, keep?: string): Promise<number> {
    const sessions = (await this.listForSubject(subjectId)).filter((s) => s.tokenHash !== keep);
    for (let i = 0; i < sessions.length; i += 25) {
      let requests: Record<string, any[]> | undefined = {
        [this.table]: sessions.slice(i, i + 25).map((s) => ({ DeleteRequest: { Key: { tokenHash: s.tokenHash } } })),
      };
      for (let attempt = 0; requests && Object.keys(requests).length > 0; attempt++) {
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error('sessions could not all be deleted; retry the request');
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 6)));
        const { UnprocessedItems } = await this.db.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = UnprocessedItems as Record<string, any[]> | undefined;
      }
    }
    return sessions.length;
  }
}

export class DynamoThrottleStore implements ThrottleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(key: string): Promise<ThrottleCounter> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { counterKey: key }, ConsistentRead: true }));
    if (!Item) return EMPTY_COUNTER;
    return { failures: Item.failures as number, windowStart: Item.windowStart as number, lockedUntil: Item.lockedUntil as number };
  }

  async recordFailure(key: string, next: ThrottleCounter, expiresAt: number): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { counterKey: key, ...next, expiresAt } }));
  }

  async clear(key: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { counterKey: key } }));
  }
}
