/**
 * Rights requests in DynamoDB. Every state change is conditional on the state it was read in, and carries its audit entry
 * in the same transaction, so two workers (or a worker and an admin) cannot both move one request.
 *
 * Every write of a request passes `requestWrite`, which adds the subject's events (`domain/subject-events.ts`) to the
 * outbox in the same transaction: each state change and extension is told, including states added later, and none is
 * told that did not happen.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from './dynamodb-sdk';
import { GetCommand, QueryCommand, UpdateCommand } from './dynamodb-sdk';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  canMove,
  FINAL_STATUSES,
  InvalidTransitionError,
  withoutFreeText,
  type RequestStatus,
  type RightsRequest,
  type StatusChange,
} from '../domain/rights';
import { finishedRequestExpiresAt } from '../domain/retention';
import type { AuditNote } from '../domain/audit';
import type { PendingRecipientEvent } from '../domain/recipient-outbox';
import type { AuditTrail } from './dynamo-audit';
import { outboxPut, subjectEventsPut } from './dynamo-recipient-outbox';
import { subjectEventsOf } from '../domain/subject-events';
import { queryAll, queryCount } from './dynamo-paging';
import { RECIPIENT_IDS } from '../recipients';

export class DynamoRightsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly audit?: AuditTrail,
    /** The consent table, for the outbox (the subject's events, and recipients' events); resolved only by a write. */
    private readonly outboxTable?: () => string,
  ) {}

  private requireOutboxTable(): string {
    if (!this.outboxTable) throw new Error('a rights request written without the outbox table');
    return this.outboxTable();
  }

  private trail(): AuditTrail {
    if (!this.audit) throw new Error('rights request written without an audit trail');
    return this.audit;
  }

  async create(request: RightsRequest): Promise<void> {
    await this.trail().transact(
      requestWrite(
        { Put: { TableName: this.table, Item: request, ConditionExpression: 'attribute_not_exists(requestId)' } },
        () => this.requireOutboxTable(),
        undefined,
        request,
      ),
      { action: 'create', subjectId: request.subjectId, fields: ['rightsRequests.type', 'rightsRequests.status'] },
    );
  }

  async get(requestId: string): Promise<RightsRequest | undefined> {
    const request = await this.getQuiet(requestId);
    if (request && !request.subjectId.startsWith('erased#')) this.audit?.noteRead(request.subjectId, ['rightsRequests.status']);
    return request;
  }

  async listForSubject(subjectId: string): Promise<RightsRequest[]> {
    const items = await queryAll<RightsRequest>(this.db, {
      TableName: this.table,
      IndexName: 'bySubject',
      KeyConditionExpression: 'subjectId = :s',
      ExpressionAttributeValues: { ':s': subjectId },
      ScanIndexForward: false,
    });
    if (items.length > 0) this.audit?.noteRead(subjectId, ['rightsRequests.status']);
    // The index is eventually consistent: re-read each item for its current state.
    return Promise.all(items.map(async (i) => (await this.getQuiet(i.requestId)) ?? i));
  }

  private async getQuiet(requestId: string): Promise<RightsRequest | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { requestId }, ConsistentRead: true }));
    return Item as RightsRequest | undefined;
  }

  /** Requests in a status, oldest due first; `dueBefore` (YYYY-MM-DD, exclusive) narrows to overdue ones. */
  async listByStatus(status: RequestStatus, dueBefore?: string): Promise<RightsRequest[]> {
    return queryAll<RightsRequest>(this.db, {
      TableName: this.table,
      IndexName: 'byStatus',
      KeyConditionExpression: dueBefore ? '#s = :s AND dueAt < :d' : '#s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status, ...(dueBefore ? { ':d': dueBefore } : {}) },
    });
  }

  /**
   * How many requests in `status` are due before `day` (YYYY-MM-DD, exclusive), counted on the byStatus index. `Select:
   * COUNT` returns no attributes at all: the index projects whole items, erasure identifiers included, and a count needs none.
   */
  countDueBefore(status: RequestStatus, day: string): Promise<number> {
    return queryCount(this.db, {
      TableName: this.table,
      IndexName: 'byStatus',
      KeyConditionExpression: '#status = :status AND #dueAt < :day',
      ExpressionAttributeNames: { '#status': 'status', '#dueAt': 'dueAt' },
      ExpressionAttributeValues: { ':status': status, ':day': day },
    });
  }

  /**
   * Requests awaiting their recipients (with `day`: not yet past their own due date, `dueAt >= day`), with only each
   * recipient's deadline and status (a projection: no reason, no subject id): for the overdue job to find recipients past
   * theirs, and for the admins' overview of the recipients.
   */
  async awaitingRecipientDeadlines(day?: string): Promise<Pick<RightsRequest, 'requestId' | 'recipients'>[]> {
    const names = Object.fromEntries(RECIPIENT_IDS.map((id, i) => [`#r${i}`, id]));
    return queryAll<Pick<RightsRequest, 'requestId' | 'recipients'>>(this.db, {
      TableName: this.table,
      IndexName: 'byStatus',
      KeyConditionExpression: day ? '#s = :s AND dueAt >= :d' : '#s = :s',
      ProjectionExpression: ['requestId', ...RECIPIENT_IDS.flatMap((_, i) => [`recipients.#r${i}.answerBy`, `recipients.#r${i}.#s`])].join(', '),
      ExpressionAttributeNames: { '#s': 'status', ...names },
      ExpressionAttributeValues: { ':s': 'awaiting_recipients', ...(day ? { ':d': day } : {}) },
    });
  }

  /**
   * One page of queued requests on the byStatus index, as ids, types and change times only (no personal attribute, so
   * no audit entry): what the job that re-sends lost jobs needs.
   */
  async queuedPage(
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<{ requests: QueuedRequest[]; next?: Record<string, unknown> }> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :queued',
        ProjectionExpression: 'requestId, #t, #s, updatedAt',
        ExpressionAttributeNames: { '#s': 'status', '#t': 'type' },
        ExpressionAttributeValues: { ':queued': 'queued' },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return { requests: (page.Items ?? []) as QueuedRequest[], next: page.LastEvaluatedKey };
  }

  /**
   * Records that a queued request's job is sent again: `updatedAt` moves to `now`, so the next re-send waits a full period
   * again (and a worker that read the request before retries on the changed token). False if the request is no longer
   * queued as read (the worker or an admin moved it). No state changes and no personal field is written: no audit entry.
   */
  async markResent(request: QueuedRequest, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { requestId: request.requestId },
          UpdateExpression: 'SET updatedAt = :now',
          ConditionExpression: '#s = :queued AND updatedAt = :seen',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':now': now.toISOString(), ':queued': 'queued', ':seen': request.updatedAt },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Moves a request from the status it was read in to `to`, with extra attributes, if nobody moved it meanwhile. Returns
   * the new request; throws InvalidTransitionError if the machine forbids it or it already moved.
   */
  async transition(
    request: RightsRequest,
    to: RequestStatus,
    change: Omit<StatusChange, 'status' | 'at'>,
    now: Date,
    extra: Partial<RightsRequest> = {},
    outbox?: PendingRecipientEvent,
  ): Promise<RightsRequest> {
    if (!canMove(request.status, to)) throw new InvalidTransitionError(request.status, to);
    const at = now.toISOString();
    const next: RightsRequest = {
      ...request,
      ...extra,
      status: to,
      history: to === request.status ? request.history : [...request.history, { status: to, at, ...change }],
      // Every way into a final state passes here, so no finished request is kept without its end date.
      ...(FINAL_STATUSES.includes(to) ? { expiresAt: finishedRequestExpiresAt(now) } : {}),
      updatedAt: at,
    };
    await this.replace(request, next, ['rightsRequests.status'], undefined, outbox);
    return next;
  }

  /** Replaces the item if it is unchanged since read (same `updatedAt`), with an audit entry naming `fields`. */
  async replace(previous: RightsRequest, changed: RightsRequest, fields: readonly string[], note?: AuditNote, outbox?: PendingRecipientEvent): Promise<void> {
    // A request kept under a pseudonym (erased subject) keeps no free text, including any written after the erasure.
    const next = changed.subjectId.startsWith('erased#') ? withoutFreeText(changed) : changed;
    const subjectId = previous.subjectId.startsWith('erased#') ? undefined : previous.subjectId;
    try {
      await this.trail().transact(
        [
          ...requestWrite(
            {
              Put: {
                TableName: this.table,
                Item: next,
                ConditionExpression: 'updatedAt = :u AND #s = :s',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':u': previous.updatedAt, ':s': previous.status },
              },
            },
            () => this.requireOutboxTable(),
            previous,
            next,
          ),
          ...(outbox ? [outboxPut(this.requireOutboxTable(), outbox)] : []),
        ],
        note ??
          (subjectId
          ? { action: 'update', subjectId, fields }
          : { action: 'update', subjectPseudonym: previous.subjectId.slice('erased#'.length), fields }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new InvalidTransitionError(previous.status, next.status);
      throw error;
    }
  }
}

/**
 * The transaction items of one write of a request: the request's own Put and, when the write changes what the subject is
 * told of, the outbox item with its events. The one place a request is written (this store, and the retention job's filing).
 */
export function requestWrite<P>(
  put: P,
  outboxTable: () => string,
  previous: RightsRequest | undefined,
  next: RightsRequest,
): [P] | [P, ReturnType<typeof subjectEventsPut>] {
  const events = subjectEventsOf(previous, next);
  return events ? [put, subjectEventsPut(outboxTable(), events)] : [put];
}

/** A queued request as the byStatus index gives it to the job that re-sends lost jobs. */
export type QueuedRequest = Pick<RightsRequest, 'requestId' | 'type' | 'status' | 'updatedAt'>;
