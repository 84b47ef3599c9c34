/**
 * The consent ledger in DynamoDB: under the subject's partition, events `event#<time>#<topic>#<seq>` (append-only: put only
 * where none exists) and one projection item per topic `state#<topic>`. An append writes both, and its audit entry, in one
 * transaction conditional on the projection still being at the seq the decision was based on.
 */
import { TransactionCanceledException } from './dynamodb-sdk';
import { GetCommand, QueryCommand } from './dynamodb-sdk';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredAnalyticsEvent } from '../domain/analytics';
import type { AuditAction } from '../domain/audit';
import { stateAfter, type ConsentAction, type ConsentEvent, type ConsentState, type ConsentStore, type ConsentTopic } from '../domain/consent';
import type { PendingRecipientEvent } from '../domain/recipient-outbox';
import type { AuditTrail } from './dynamo-audit';
import { outboxPut } from './dynamo-recipient-outbox';
import { queryAll } from './dynamo-paging';
import { CONSENT_STATS_SHARDS, decisionDeltas, statsPartition } from '../domain/consent-stats';

/**
 * The counter updates of a set of deltas (`domain/consent-stats.ts`), all on one shard picked at random for this write: a
 * transaction cancelled by a conflict on a counter retries on another shard.
 */
export function statsUpdates(table: string, deltas: ReadonlyMap<string, number>, shard = Math.floor(Math.random() * CONSENT_STATS_SHARDS)) {
  return [...deltas].map(([sk, delta]) => ({
    Update: {
      TableName: table,
      Key: { subjectId: statsPartition(shard), sk },
      UpdateExpression: 'ADD #count :delta',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':delta': delta },
    },
  }));
}

const AUDIT_ACTION: Record<ConsentAction, AuditAction> = {
  grant: 'consent.grant',
  withdraw: 'consent.withdraw',
  object: 'consent.object',
  'withdraw-objection': 'consent.unobject',
  restrict: 'restriction.start',
  'lift-restriction': 'restriction.end',
};

/** The key of a topic's projection item (`state#restriction` for the restriction). */
export const stateKey = (topic: ConsentTopic) => `state#${topic}`;
const eventKey = (event: ConsentEvent) => `event#${event.at}#${event.topic}#${String(event.seq).padStart(8, '0')}`;

export class DynamoConsentStore implements ConsentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly audit?: AuditTrail,
  ) {}

  async states(subjectId: string): Promise<Map<ConsentTopic, ConsentState>> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'subjectId = :s AND begins_with(sk, :state)',
      ExpressionAttributeValues: { ':s': subjectId, ':state': 'state#' },
      ConsistentRead: true,
    });
    return new Map(
      items.map(({ subjectId: _s, sk: _k, ...state }) => [state.topic as ConsentTopic, state as unknown as ConsentState]),
    );
  }

  async append(event: ConsentEvent, previous: ConsentState | undefined, outbox?: PendingRecipientEvent): Promise<'ok' | 'conflict'> {
    if (!this.audit) throw new Error('consent written without an audit trail');
    const expectedSeq = previous?.seq ?? 0;
    const state: ConsentState & { subjectId: string; sk: string } = { subjectId: event.subjectId, sk: stateKey(event.topic), ...stateAfter(event) };
    try {
      await this.audit.transact(
        [
          { Put: { TableName: this.table, Item: { ...event, sk: eventKey(event) }, ConditionExpression: 'attribute_not_exists(sk)' } },
          {
            Put: {
              TableName: this.table,
              Item: state,
              ConditionExpression: expectedSeq === 0 ? 'attribute_not_exists(sk)' : 'seq = :expected',
              ...(expectedSeq === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedSeq } }),
            },
          },
          ...(outbox ? [outboxPut(this.table, outbox)] : []),
          // the figures move with the projection, so they are always the sum of the projections
          ...statsUpdates(this.table, decisionDeltas(previous, state)),
        ],
        { action: AUDIT_ACTION[event.action], subjectId: event.subjectId, fields: [`consent.${event.topic}`] },
      );
      return 'ok';
    } catch (error) {
      if (error instanceof TransactionCanceledException) return 'conflict';
      throw error;
    }
  }

  async history(subjectId: string, limit: number, cursor?: string): Promise<{ events: ConsentEvent[]; next?: string }> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'subjectId = :s AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':s': subjectId, ':event': 'event#' },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
        ExclusiveStartKey: cursor ? { subjectId, sk: cursor } : undefined,
      }),
    );
    this.audit?.noteRead(subjectId, ['consent.history']);
    const events = (page.Items ?? []).map(({ sk: _k, ...event }) => event as ConsentEvent);
    return { events, next: page.LastEvaluatedKey?.sk as string | undefined };
  }

  /**
   * Proof of a topic's current decision: its projection and the ledger event it came from (the event's key follows from
   * the projection's time and seq). Recorded as a read of the subject's consent on their chain.
   */
  async decision(subjectId: string, topic: ConsentTopic): Promise<{ state: ConsentState; event: ConsentEvent } | undefined> {
    const { Item: state } = await this.db.send(new GetCommand({ TableName: this.table, Key: { subjectId, sk: stateKey(topic) }, ConsistentRead: true }));
    this.audit?.noteRead(subjectId, [`consent.${topic}`]);
    if (!state) return undefined;
    const key = eventKey({ at: state.at, topic, seq: state.seq } as ConsentEvent);
    const { Item: event } = await this.db.send(new GetCommand({ TableName: this.table, Key: { subjectId, sk: key }, ConsistentRead: true }));
    if (!event) return undefined;
    const { subjectId: _s, sk: _k, ...projection } = state;
    const { sk: _e, ...decided } = event;
    return { state: projection as ConsentState, event: decided as ConsentEvent };
  }

  /** The newsletter preference: processing for `marketing-email`, so only ever called behind the consent gate. */
  async setNewsletter(subjectId: string, subscribed: boolean, at: string): Promise<void> {
    if (!this.audit) throw new Error('preference written without an audit trail');
    await this.audit.transact(
      [{ Put: { TableName: this.table, Item: { subjectId, sk: 'pref#newsletter', subscribed, at } } }],
      { action: 'update', subjectId, fields: ['consent.subscribed'] },
    );
  }

  async newsletter(subjectId: string): Promise<{ subscribed: boolean; at?: string }> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { subjectId, sk: 'pref#newsletter' }, ConsistentRead: true }));
    this.audit?.noteRead(subjectId, ['consent.subscribed']);
    return { subscribed: Item?.subscribed === true, at: Item?.at as string | undefined };
  }
}

/** Analytics events under a pseudonym, with a TTL: the only place the `analytics` purpose stores anything. */
export class DynamoAnalyticsStore {
  constructor(
    private readonly table: string,
    private readonly audit: AuditTrail,
  ) {}

  /** Up to 25 events in one transaction with their audit entry. */
  async putAll(subjectId: string, items: readonly StoredAnalyticsEvent[]): Promise<void> {
    await this.audit.transact(
      items.map((Item) => ({ Put: { TableName: this.table, Item } })),
      { action: 'create', subjectId, fields: ['analyticsEvents.name', 'analyticsEvents.properties'] },
    );
  }
}

/**
 * The consent figures' counters: every shard of the current-state counters, and the day counters of a range, queried in
 * parallel and summed. A fixed number of small partitions whatever the number of subjects: no Scan.
 */
export class DynamoConsentStats {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Counter key → sum over the shards: every `n#…` counter, and the `d#…` counters of the days `from` to `to` (YYYY-MM-DD). */
  async counts(from: string, to: string): Promise<Map<string, number>> {
    // One query per shard: `n#…` sorts after every `d#…`, so the range from the first day holds both; days after `to`
    // (at most those since, when `to` is in the past) are read and dropped.
    const pages = await Promise.all(
      Array.from({ length: CONSENT_STATS_SHARDS }, (_, shard) =>
        queryAll<{ sk: string; count: number }>(this.db, {
          TableName: this.table,
          KeyConditionExpression: 'subjectId = :p AND sk >= :from',
          ExpressionAttributeValues: { ':p': statsPartition(shard), ':from': `d#${from}` },
          ProjectionExpression: 'sk, #count',
          ExpressionAttributeNames: { '#count': 'count' },
        }),
      ),
    );
    const last = `d#${to}#~`;
    const wanted = (sk: string) => sk.startsWith('n#') || sk <= last;
    const sums = new Map<string, number>();
    for (const item of pages.flat()) if (wanted(item.sk)) sums.set(item.sk, (sums.get(item.sk) ?? 0) + Number(item.count));
    return sums;
  }
}
