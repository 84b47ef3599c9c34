/**
 * DynamoDB adapters for accounts: users, subject keys, identity claims, sessions and login throttle counters.
 * Multi-item changes are single transactions, so a failure leaves nothing half-written.
 */
import { TransactionCanceledException } from './dynamodb-sdk';
import { DeleteCommand, GetCommand, PutCommand, BatchGetCommand } from './dynamodb-sdk';
import type { TransactWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PendingRecipientEvent } from '../domain/recipient-outbox';
import type { AuditTrail } from './dynamo-audit';
import { outboxPut } from './dynamo-recipient-outbox';
import { queryAll } from './dynamo-paging';
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
import { activityMonth } from '../domain/retention';
import type { SessionRecord } from '../domain/sessions';

/** Sessions deleted per transaction: DynamoDB allows 100 items, and each transaction also carries its audit entry. */
const SESSIONS_PER_TRANSACTION = 90;

/** Every write of personal data goes through the request's audit trail; an adapter without one refuses to write. */
function requireTrail(audit: AuditTrail | undefined): AuditTrail {
  if (!audit) throw new Error('personal data written without an audit trail');
  return audit;
}

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** Table names resolved on use, so a route is only asked for the tables the operations it runs touch. */
export interface AccountTables {
  /** `consent`: the recipients' outbox, for a correction of a field a recipient receives. */
  table(id: 'users' | 'subjectKeys' | 'identities' | 'sessions' | 'consent'): string;
}

/** Which transaction items failed their condition, by index. */
function failedConditions(error: unknown): number[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
}

/** The users attributes an account correction (or a password re-hash) may change; see `accountCorrectionUpdate`. */
const CORRECTION_FIELDS = ['emailIndex', 'profile', 'passwordHash', 'roles', 'secondFactor', 'updatedAt'] as const satisfies readonly (keyof UserRecord)[];

/**
 * Writes only the fields account corrections own, never the whole item: the retention job, the legal hold and logins
 * write other attributes of the same item (activity, notice, hold) without touching `updatedAt`, and a whole-item Put
 * racing them would silently put back what it read (a lifted hold, a cleared notice).
 */
export function accountCorrectionUpdate(table: string, previous: UserRecord, next: UserRecord) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':previous': previous.updatedAt };
  const set: string[] = [];
  const remove: string[] = [];
  for (const field of CORRECTION_FIELDS) {
    names[`#${field}`] = field;
    if (next[field] !== undefined) {
      set.push(`#${field} = :${field}`);
      values[`:${field}`] = next[field];
    } else if (previous[field] !== undefined) {
      remove.push(`#${field}`);
    } else {
      delete names[`#${field}`];
    }
  }
  return {
    TableName: table,
    Key: { subjectId: next.subjectId },
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    // Optimistic concurrency: two corrections racing cannot silently overwrite each other.
    ConditionExpression: 'attribute_exists(subjectId) AND updatedAt = :previous',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: AccountTables,
    private readonly audit?: AuditTrail,
  ) {}

  async create(user: UserRecord, wrappedKey: string, claims: readonly IdentityClaim[], session: SessionRecord): Promise<void> {
    const items: TransactItems = [
      ...claims.map((claim) => this.claimPut(claim, user.subjectId, user.createdAt)),
      { Put: { TableName: this.tables.table('users'), Item: user, ConditionExpression: 'attribute_not_exists(subjectId)' } },
      { Put: { TableName: this.tables.table('subjectKeys'), Item: { subjectId: user.subjectId, wrappedKey, createdAt: user.createdAt } } },
      { Put: { TableName: this.tables.table('sessions'), Item: session } },
    ];
    const audit = requireTrail(this.audit);
    audit.startsNewSubject(user.subjectId);
    try {
      await audit.transact(items, { action: 'create', subjectId: user.subjectId });
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
    const subjectId = Item?.subjectId as string | undefined;
    if (subjectId) this.audit?.noteRead(subjectId);
    return subjectId;
  }

  async get(subjectId: string): Promise<UserRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.table('users'), Key: { subjectId }, ConsistentRead: true }));
    if (Item) this.audit?.noteRead(subjectId);
    return Item as UserRecord | undefined;
  }

  async update(
    previous: UserRecord,
    next: UserRecord,
    emailClaimChange?: { remove: string; add: string },
    addClaims: readonly IdentityClaim[] = [],
    fields?: readonly string[],
    outbox?: PendingRecipientEvent,
  ): Promise<void> {
    const claimPuts = [
      ...(emailClaimChange ? [this.claimPut({ identityKey: emailClaimChange.add, kind: 'email' }, next.subjectId, next.updatedAt)] : []),
      ...addClaims.map((claim) => this.claimPut(claim, next.subjectId, next.updatedAt)),
    ];
    const items: TransactItems = [
      ...claimPuts,
      { Update: accountCorrectionUpdate(this.tables.table('users'), previous, next) },
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
      // the consent table is resolved only here: routes that never correct a field recipients receive do not declare it
      ...(outbox ? [outboxPut(this.tables.table('consent'), outbox)] : []),
    ];
    try {
      await requireTrail(this.audit).transact(items, { action: 'update', subjectId: next.subjectId, fields });
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
    private readonly audit?: AuditTrail,
    /** The users table, resolved only when a login records activity (routes that only end sessions do not declare it). */
    private readonly usersTable?: () => string,
  ) {}

  async put(session: SessionRecord, options: { recordActivity?: boolean } = {}): Promise<void> {
    const at = (session as SessionRecord & { createdAt?: string }).createdAt ?? new Date().toISOString();
    const activity = options.recordActivity
      ? [
          {
            Update: {
              TableName: this.usersTableName(),
              Key: { subjectId: session.subjectId },
              // The retention clock restarts and any inactivity notice is withdrawn (with the link to a retention erasure,
              // which the worker then refuses to start: see domain/request-jobs.ts); the account must still exist.
              UpdateExpression:
                'SET lastActiveAt = :at, activityMonth = :month REMOVE inactivityNoticeAt, inactivityErasureAt, retentionErasureRequestId',
              ConditionExpression: 'attribute_exists(subjectId)',
              ExpressionAttributeValues: { ':at': at, ':month': activityMonth(at) },
            },
          },
        ]
      : [];
    await requireTrail(this.audit).transact([{ Put: { TableName: this.table, Item: session } }, ...activity], {
      action: 'login',
      subjectId: session.subjectId,
    });
  }

  private usersTableName(): string {
    if (!this.usersTable) throw new Error('login activity recorded without the users table');
    return this.usersTable();
  }

  async listForSubject(subjectId: string): Promise<SessionRecord[]> {
    const sessions = await queryAll<SessionRecord>(this.db, {
      TableName: this.table,
      IndexName: 'bySubject',
      KeyConditionExpression: 'subjectId = :subject',
      ExpressionAttributeValues: { ':subject': subjectId },
    });
    this.audit?.noteRead(subjectId);
    return sessions;
  }

  async delete(tokenHash: string, subjectId: string): Promise<void> {
    await requireTrail(this.audit).transact(
      [
        {
          Delete: {
            TableName: this.table,
            Key: { tokenHash },
            // Only the subject's own session; a vanished one (already expired or logged out) is not an error.
            ConditionExpression: 'attribute_not_exists(tokenHash) OR subjectId = :subject',
            ExpressionAttributeValues: { ':subject': subjectId },
          },
        },
      ],
      { action: 'logout', subjectId },
    );
  }

  async markReauthenticated(tokenHash: string, subjectId: string, at: string): Promise<boolean> {
    try {
      await requireTrail(this.audit).transact(
        [
          {
            Update: {
              TableName: this.table,
              Key: { tokenHash },
              UpdateExpression: 'SET reauthenticatedAt = :at',
              // The subject's own session, still there: a logout meanwhile must not be undone by this write.
              ConditionExpression: 'attribute_exists(tokenHash) AND subjectId = :subject',
              ExpressionAttributeValues: { ':at': at, ':subject': subjectId },
            },
          },
        ],
        { action: 'update', subjectId, fields: ['sessions.reauthenticatedAt'] },
      );
      return true;
    } catch (error) {
      if (failedConditions(error)?.includes(0)) return false;
      throw error;
    }
  }

  async deleteAllForSubject(subjectId: string, keep?: string): Promise<number> {
    const trail = requireTrail(this.audit);
    const sessions = (await this.listForSubject(subjectId)).filter((s) => s.tokenHash !== keep);
    for (let i = 0; i < sessions.length; i += SESSIONS_PER_TRANSACTION) {
      await trail.transact(
        sessions.slice(i, i + SESSIONS_PER_TRANSACTION).map((s) => ({ Delete: { TableName: this.table, Key: { tokenHash: s.tokenHash } } })),
        { action: 'logout', subjectId },
      );
    }
    return sessions.length;
  }
}

/** A stored counter as its three numbers; no item (or none yet) is the empty counter. */
function counterOf(item: Record<string, unknown> | undefined): ThrottleCounter {
  if (!item) return EMPTY_COUNTER;
  return { failures: item.failures as number, windowStart: item.windowStart as number, lockedUntil: item.lockedUntil as number };
}

export class DynamoThrottleStore implements ThrottleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(key: string): Promise<ThrottleCounter> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { counterKey: key }, ConsistentRead: true }));
    return counterOf(Item);
  }

  /** Several counters in one round trip (login reads the account's and the client's), in the order of `keys`. */
  async getMany(keys: readonly string[]): Promise<ThrottleCounter[]> {
    const found = new Map<string, Record<string, unknown>>();
    let pending: Record<string, unknown>[] = [...new Set(keys)].map((counterKey) => ({ counterKey }));
    // BatchGetItem may leave keys unprocessed under throttling: ask again for those, a bounded number of times.
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 5) throw new Error('login throttle counters: BatchGetItem left keys unprocessed after 5 attempts');
      const { Responses, UnprocessedKeys } = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of Responses?.[this.table] ?? []) found.set(item.counterKey as string, item);
      pending = (UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
    return keys.map((key) => counterOf(found.get(key)));
  }

  async recordFailure(key: string, expected: ThrottleCounter, next: ThrottleCounter, expiresAt: number): Promise<boolean> {
    // An empty counter may also be an item whose TTL passed but which DynamoDB has not deleted yet: `get` reads it as
    // stored, so the condition compares against what was read either way.
    const condition =
      expected === EMPTY_COUNTER
        ? 'attribute_not_exists(counterKey)'
        : 'failures = :failures AND windowStart = :windowStart AND lockedUntil = :lockedUntil';
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { counterKey: key, ...next, expiresAt },
          ConditionExpression: condition,
          ExpressionAttributeValues:
            expected === EMPTY_COUNTER
              ? undefined
              : { ':failures': expected.failures, ':windowStart': expected.windowStart, ':lockedUntil': expected.lockedUntil },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async clear(key: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { counterKey: key } }));
  }
}
