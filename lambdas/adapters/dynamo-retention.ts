/**
 * Retention state of accounts in DynamoDB: finding inactive accounts on the sparse `byActivityMonth` index of the users
 * table (a Query per month, never a Scan), recording a notice, filing the retention erasure, and the legal hold.
 *
 * Every write is conditional on what the job read (the last activity, the notice, no hold), so a login or a hold that lands
 * between the read and the write wins, and a second run of the job finds nothing left to do. Each write carries its audit
 * entry in the same transaction.
 */
import { TransactionCanceledException } from './dynamodb-sdk';
import { GetCommand, QueryCommand } from './dynamodb-sdk';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RESTRICTION } from '../domain/consent';
import type { AccountRetention, LegalHold } from '../domain/retention';
import type { RightsRequest } from '../domain/rights';
import type { AuditTrail } from './dynamo-audit';
import { stateKey } from './dynamo-consent';
import { shardKey } from '../domain/key-shards';
import { indexShards } from '../runtime/index-shards';
import { requestWrite } from './dynamo-rights';

const missing = (what: string): never => {
  throw new Error(`a retention erasure filed without ${what}`);
};

/** The attributes the job and the hold routes read: retention state only, never the profile. */
const RETENTION_ATTRIBUTES = [
  'subjectId',
  'lastActiveAt',
  'inactivityNoticeAt',
  'inactivityErasureAt',
  'retentionErasureRequestId',
  'legalHold',
] as const;

export interface RetentionTables {
  readonly users: string;
  /**
   * The consent ledger, for the subject's restriction of processing (its projection item `state#restriction`). Given to
   * the job and the worker, which must not notice or erase a restricted account; the hold routes do without.
   */
  readonly consent?: string;
  /** The rights requests table, where the job files a retention erasure. */
  readonly rightsRequests?: string;
}

/** Where each shard of a month stands: `'start'`, a key to continue after, or `null` when read to its end. */
type ShardPosition = 'start' | Record<string, unknown> | null;

function shardPositions(startKey: Record<string, unknown> | undefined, shards: number): ShardPosition[] {
  const given = startKey?.shards;
  // A page token from another shard count (a deploy changed it mid-run) is not trusted: the month starts over.
  if (!Array.isArray(given) || given.length !== shards) return Array.from({ length: shards }, () => 'start');
  return given as ShardPosition[];
}

export class DynamoRetentionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: RetentionTables,
    private readonly audit?: AuditTrail,
    /** Shards of the activity month (`INDEX_SHARDS`), as the logins write it. */
    private readonly shards: number = indexShards(),
  ) {}

  private trail(): AuditTrail {
    if (!this.audit) throw new Error('retention state written without an audit trail');
    return this.audit;
  }

  /**
   * One page of subject ids whose last activity in `month` (YYYY-MM) is at or before `cutoff` (ISO). The month is sharded
   * (`2026-12#07`): a page reads every shard still open in parallel, a share of `limit` each, and `next` carries each
   * shard's position (`null` once it is read to its end), so the job's paging loop walks them all without knowing they
   * exist, in as many round trips as one unsharded month would take. The index holds keys only, so nothing but ids and
   * times is read here.
   */
  async inactivePage(
    month: string,
    cutoff: string,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<{ subjectIds: string[]; next?: Record<string, unknown> }> {
    const positions = shardPositions(startKey, this.shards);
    const perShard = Math.max(1, Math.ceil(limit / Math.max(1, positions.filter((p) => p !== null).length)));
    const pages = await Promise.all(
      positions.map(async (position, shard) => {
        if (position === null) return { ids: [] as string[], next: null };
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tables.users,
            IndexName: 'byActivityMonth',
            KeyConditionExpression: 'activityMonth = :month AND lastActiveAt <= :cutoff',
            ExpressionAttributeValues: { ':month': shardKey(month, shard), ':cutoff': cutoff },
            Limit: perShard,
            ExclusiveStartKey: position === 'start' ? undefined : position,
          }),
        );
        return { ids: (page.Items ?? []).map((i) => i.subjectId as string), next: page.LastEvaluatedKey ?? null };
      }),
    );
    const next = pages.map((p) => p.next);
    return { subjectIds: pages.flatMap((p) => p.ids), next: next.some((p) => p !== null) ? { shards: next } : undefined };
  }

  /**
   * The account's retention state, read consistently (the index is eventually consistent), or undefined if it is gone.
   * With the consent table, the restriction is read alongside (one small GetItem, in parallel): `restrictedSince`.
   * `withRoles` adds the roles (the job's admin rule); the legal-hold routes do not read them.
   */
  async get(subjectId: string, { withRoles = false }: { withRoles?: boolean } = {}): Promise<AccountRetention | undefined> {
    const [{ Item }, restrictedSince] = await Promise.all([
      this.db.send(
        new GetCommand({
          TableName: this.tables.users,
          Key: { subjectId },
          ConsistentRead: true,
          // ROLES is a DynamoDB reserved word: named through a placeholder.
          ProjectionExpression: [...RETENTION_ATTRIBUTES, ...(withRoles ? ['#roles'] : [])].join(', '),
          ...(withRoles ? { ExpressionAttributeNames: { '#roles': 'roles' } } : {}),
        }),
      ),
      this.restrictedSince(subjectId),
    ]);
    if (!Item) return undefined;
    return { ...(Item as AccountRetention), ...(restrictedSince ? { restrictedSince } : {}) };
  }

  /** When the subject restricted processing, if the restriction stands (the projection's last action is `restrict`). */
  private async restrictedSince(subjectId: string): Promise<string | undefined> {
    if (!this.tables.consent) return undefined;
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tables.consent,
        Key: { subjectId, sk: stateKey(RESTRICTION) },
        ConsistentRead: true,
        ProjectionExpression: 'lastAction, #at',
        ExpressionAttributeNames: { '#at': 'at' },
      }),
    );
    return Item?.lastAction === 'restrict' ? (Item.at as string) : undefined;
  }

  /**
   * With the consent table: a check, in the same transaction as a notice or a filing, that the subject has not restricted
   * processing since the account was read. A restriction that lands first cancels the write; one that lands after finds
   * the notice or the filed erasure and stops it (handlers/restrict.ts).
   */
  private notRestricted(subjectId: string) {
    if (!this.tables.consent) return [];
    return [
      {
        ConditionCheck: {
          TableName: this.tables.consent,
          Key: { subjectId, sk: stateKey(RESTRICTION) },
          ConditionExpression: 'attribute_not_exists(sk) OR lastAction <> :restrict',
          ExpressionAttributeValues: { ':restrict': 'restrict' },
        },
      },
    ];
  }

  /** Records the inactivity notice; false when the account changed since it was read (a login, a hold, a notice). */
  async notify(account: AccountRetention, noticeAt: string, erasureAt: string): Promise<boolean> {
    return this.unlessChanged(() =>
      this.trail().transact(
        [
          {
            Update: {
              TableName: this.tables.users,
              Key: { subjectId: account.subjectId },
              UpdateExpression: 'SET inactivityNoticeAt = :notice, inactivityErasureAt = :erasure',
              ConditionExpression: 'lastActiveAt = :seen AND attribute_not_exists(inactivityNoticeAt) AND attribute_not_exists(legalHold)',
              ExpressionAttributeValues: { ':notice': noticeAt, ':erasure': erasureAt, ':seen': account.lastActiveAt },
            },
          },
          ...this.notRestricted(account.subjectId),
        ],
        { action: 'update', subjectId: account.subjectId, fields: ['users.inactivityNoticeAt', 'users.inactivityErasureAt'] },
      ),
    );
  }

  /**
   * Files the retention erasure: the request and its id on the account in one transaction, conditional on the account
   * being exactly as read (same last activity and notice, no hold, nothing filed). False when it changed meanwhile.
   */
  async fileErasure(account: AccountRetention, request: RightsRequest, requestsTable = this.tables.rightsRequests): Promise<boolean> {
    if (!account.inactivityNoticeAt) throw new Error('a retention erasure is filed only after a notice');
    if (!requestsTable) throw new Error('a retention erasure filed without the rights requests table');
    return this.unlessChanged(() =>
      this.trail().transact(
        [
          ...requestWrite(
            { Put: { TableName: requestsTable, Item: request, ConditionExpression: 'attribute_not_exists(requestId)' } },
            () => this.tables.consent ?? missing('the consent table (the outbox)'),
            undefined,
            request,
          ),
          {
            Update: {
              TableName: this.tables.users,
              Key: { subjectId: account.subjectId },
              UpdateExpression: 'SET retentionErasureRequestId = :request',
              ConditionExpression:
                'lastActiveAt = :seen AND inactivityNoticeAt = :notice AND attribute_not_exists(retentionErasureRequestId) AND ' +
                'attribute_not_exists(legalHold)',
              ExpressionAttributeValues: { ':request': request.requestId, ':seen': account.lastActiveAt, ':notice': account.inactivityNoticeAt },
            },
          },
          ...this.notRestricted(account.subjectId),
        ],
        {
          action: 'create',
          subjectId: account.subjectId,
          fields: ['rightsRequests.type', 'rightsRequests.status', 'rightsRequests.origin', 'users.retentionErasureRequestId'],
        },
      ),
    );
  }

  /**
   * Places a hold. The notice goes (a fresh one comes after the hold is lifted); the filed erasure's id goes too unless it
   * could not be stopped (`keepRequest`). False when there is no such account.
   */
  async placeHold(subjectId: string, hold: LegalHold, keepRequest: boolean): Promise<boolean> {
    return this.withdrawNotice(subjectId, keepRequest, { set: 'SET legalHold = :hold ', values: { ':hold': hold }, fields: ['users.legalHold'] });
  }

  /**
   * After the subject restricted processing: the notice goes (a fresh one comes once the restriction is lifted), and the
   * filed erasure's id unless it could not be stopped (`keepRequest`). False when there is no such account.
   */
  async withdrawNoticeForRestriction(subjectId: string, keepRequest: boolean): Promise<boolean> {
    return this.withdrawNotice(subjectId, keepRequest, {
      set: '',
      values: {},
      fields: ['users.inactivityNoticeAt', 'users.inactivityErasureAt', ...(keepRequest ? [] : ['users.retentionErasureRequestId'])],
    });
  }

  private async withdrawNotice(
    subjectId: string,
    keepRequest: boolean,
    extra: { set: string; values: Record<string, unknown>; fields: string[] },
  ): Promise<boolean> {
    const removed = ['inactivityNoticeAt', 'inactivityErasureAt', ...(keepRequest ? [] : ['retentionErasureRequestId'])];
    return this.unlessChanged(() =>
      this.trail().transact(
        [
          {
            Update: {
              TableName: this.tables.users,
              Key: { subjectId },
              UpdateExpression: `${extra.set}REMOVE ${removed.join(', ')}`,
              ConditionExpression: 'attribute_exists(subjectId)',
              ...(Object.keys(extra.values).length > 0 ? { ExpressionAttributeValues: extra.values } : {}),
            },
          },
        ],
        { action: 'update', subjectId, fields: extra.fields },
      ),
    );
  }

  /** Lifts a hold (lifting none is not an error). False when there is no such account. */
  async liftHold(subjectId: string): Promise<boolean> {
    return this.unlessChanged(() =>
      this.trail().transact(
        [
          {
            Update: {
              TableName: this.tables.users,
              Key: { subjectId },
              UpdateExpression: 'REMOVE legalHold',
              ConditionExpression: 'attribute_exists(subjectId)',
            },
          },
        ],
        { action: 'update', subjectId, fields: ['users.legalHold'] },
      ),
    );
  }

  /** Runs a conditional write: true if it committed, false if a data condition failed; anything else is rethrown. */
  private async unlessChanged(write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')) {
        return false;
      }
      throw error;
    }
  }
}
