/**
 * The retention store and the paging helper, with DynamoDB faked at the SDK edge and the audit trail as a plain fake:
 * which writes it sends, how a lost condition becomes `false`, and which failures it refuses to swallow.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { AuditTrail } from '../../lambdas/adapters/dynamo-audit';
import { queryAll, queryCount, queryItems, scanAll } from '../../lambdas/adapters/dynamo-paging';
import { DynamoRetentionStore } from '../../lambdas/adapters/dynamo-retention';
import type { AccountRetention } from '../../lambdas/domain/retention';
import type { RightsRequest } from '../../lambdas/domain/rights';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

type Transact = (items: unknown[], ...notes: unknown[]) => Promise<void>;
const fakeTrail = (transact: jest.MockedFunction<Transact> = jest.fn<Promise<void>, Parameters<Transact>>().mockResolvedValue()) => ({
  trail: { transact } as unknown as AuditTrail,
  transact,
});
const cancelled = (...codes: (string | undefined)[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.length === 0 ? undefined : codes.map((Code) => ({ Code })),
  });

const account: AccountRetention = {
  subjectId: 'sub-1',
  lastActiveAt: '2024-01-10T00:00:00.000Z',
  inactivityNoticeAt: '2026-10-01T00:00:00.000Z',
  inactivityErasureAt: '2026-10-31T00:00:00.000Z',
};
const request = {
  requestId: 'req-1',
  subjectId: 'sub-1',
  type: 'erasure',
  status: 'received',
  dueAt: '2026-11-30',
  history: [{ status: 'received', at: '2026-10-31T00:00:00.000Z', by: 'system' }],
} as unknown as RightsRequest;

beforeEach(() => ddb.reset());

describe('DynamoRetentionStore.inactivePage', () => {
  it('reads every open shard of the month at once, a share of the page each, and carries each shard\'s position', async () => {
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) =>
      input.ExpressionAttributeValues[':month'] === '2024-01#01'
        ? { Items: [{ subjectId: 'b' }], LastEvaluatedKey: { subjectId: 'b' } }
        : { Items: [{ subjectId: 'a' }] },
    );
    const store = new DynamoRetentionStore(db, { users: 'users-t' }, undefined, 2);

    const page = await store.inactivePage('2024-01', '2024-05-01T00:00:00.000Z', 4);

    expect(page).toEqual({ subjectIds: ['a', 'b'], next: { shards: [null, { subjectId: 'b' }] } });
    const inputs = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => [i.ExpressionAttributeValues![':month'], i.Limit, i.ExclusiveStartKey])).toEqual([
      ['2024-01#00', 2, undefined],
      ['2024-01#01', 2, undefined],
    ]);
    expect(inputs[0]).toMatchObject({ IndexName: 'byActivityMonth', ExpressionAttributeValues: { ':cutoff': '2024-05-01T00:00:00.000Z' } });
  });

  it('goes on only where a shard has more, and ends when every shard is read', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ subjectId: 'c' }] });
    const store = new DynamoRetentionStore(db, { users: 'users-t' }, undefined, 2);

    const page = await store.inactivePage('2024-01', '2024-05-01T00:00:00.000Z', 4, { shards: [null, { subjectId: 'b' }] });

    expect(page).toEqual({ subjectIds: ['c'], next: undefined });
    const inputs = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => [i.ExpressionAttributeValues![':month'], i.Limit, i.ExclusiveStartKey])).toEqual([['2024-01#01', 4, { subjectId: 'b' }]]);
  });

  it('starts the month over on a page token of another shard count', async () => {
    ddb.on(QueryCommand).resolves({});
    const store = new DynamoRetentionStore(db, { users: 'users-t' }, undefined, 2);

    await expect(store.inactivePage('2024-01', '2024-05-01T00:00:00.000Z', 4, { shards: [null] })).resolves.toEqual({ subjectIds: [], next: undefined });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
  });
});

describe('DynamoRetentionStore writes', () => {
  it('refuses to write retention state without an audit trail, before sending anything', async () => {
    const store = new DynamoRetentionStore(db, { users: 'users-t' });

    await expect(store.notify(account, 'n', 'e')).rejects.toThrow('without an audit trail');
    await expect(store.placeHold('sub-1', { reason: 'r', at: 'now' }, false)).rejects.toThrow('without an audit trail');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses to file a retention erasure for an account that was never notified', async () => {
    const { trail, transact } = fakeTrail();
    const store = new DynamoRetentionStore(db, { users: 'users-t' }, trail);
    const { inactivityNoticeAt: _n, ...unnotified } = account;

    await expect(store.fileErasure(unnotified, request, 'requests-t')).rejects.toThrow('only after a notice');
    expect(transact).not.toHaveBeenCalled();
  });

  it('files the request and the link conditional on the account as read', async () => {
    const { trail, transact } = fakeTrail();
    const store = new DynamoRetentionStore(db, { users: 'users-t', consent: 'consent-t' }, trail);

    await expect(store.fileErasure(account, request, 'requests-t')).resolves.toBe(true);

    const [items] = transact.mock.calls[0]! as [any[]];
    // The request, the events telling the subject (in the outbox), the account's link, the check for no restriction.
    expect(items.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Put', 'Update', 'ConditionCheck']);
    expect(items[1].Put).toMatchObject({ TableName: 'consent-t', Item: { sk: expect.stringMatching(/^outbox#subject-events#/) } });
    expect((items[2] as any).Update.ExpressionAttributeValues).toEqual({
      ':request': 'req-1',
      ':seen': account.lastActiveAt,
      ':notice': account.inactivityNoticeAt,
    });
  });

  it.each([
    [false, 'SET legalHold = :hold REMOVE inactivityNoticeAt, inactivityErasureAt, retentionErasureRequestId'],
    [true, 'SET legalHold = :hold REMOVE inactivityNoticeAt, inactivityErasureAt'],
  ])('a hold with keepRequest=%s drops the notice and, unless kept, the filed request link', async (keepRequest, expression) => {
    const { trail, transact } = fakeTrail();
    const store = new DynamoRetentionStore(db, { users: 'users-t' }, trail);

    await expect(store.placeHold('sub-1', { reason: 'litigation', at: '2026-11-28T00:00:00.000Z' }, keepRequest)).resolves.toBe(true);

    expect((transact.mock.calls[0]![0][0] as any).Update.UpdateExpression).toBe(expression);
  });

  it('answers false when a condition failed (the account changed or is gone)', async () => {
    const { trail } = fakeTrail(jest.fn().mockRejectedValue(cancelled('None', 'ConditionalCheckFailed')));
    const store = new DynamoRetentionStore(db, { users: 'users-t' }, trail);

    await expect(store.notify(account, 'n', 'e')).resolves.toBe(false);
    await expect(store.liftHold('sub-1')).resolves.toBe(false);
  });

  it.each([
    ['a cancellation for a conflict, not a condition', cancelled('TransactionConflict')],
    ['a cancellation without reasons', cancelled()],
    ['any other error', Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' })],
  ])('rethrows %s instead of reporting "changed"', async (_label, error) => {
    const { trail } = fakeTrail(jest.fn().mockRejectedValue(error));
    const store = new DynamoRetentionStore(db, { users: 'users-t' }, trail);

    await expect(store.placeHold('sub-1', { reason: 'r', at: 'now' }, false)).rejects.toBe(error);
  });
});

describe('paging (queryAll, scanAll, queryItems, queryCount)', () => {
  it('follows LastEvaluatedKey to the last page and tolerates a page without Items', async () => {
    ddb.on(QueryCommand)
      .resolvesOnce({ Items: [{ id: 1 }], LastEvaluatedKey: { id: 1 } })
      .resolvesOnce({ LastEvaluatedKey: { id: 2 } })
      .resolvesOnce({ Items: [{ id: 3 }] });

    await expect(queryAll(db, { TableName: 't', KeyConditionExpression: 'k = :v' })).resolves.toEqual([{ id: 1 }, { id: 3 }]);
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExclusiveStartKey)).toEqual([undefined, { id: 1 }, { id: 2 }]);
  });

  it('scans every page the same way', async () => {
    ddb.on(ScanCommand)
      .resolvesOnce({ Items: [{ id: 'a' }], LastEvaluatedKey: { id: 'a' } })
      .resolvesOnce({});

    await expect(scanAll(db, { TableName: 't' })).resolves.toEqual([{ id: 'a' }]);
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(2);
    expect(ddb.commandCalls(ScanCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({ id: 'a' });
  });

  it('counts over every page without asking for attributes, leaving the caller\'s input untouched', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Count: 3, LastEvaluatedKey: { id: 3 } }).resolvesOnce({ Count: 2 });
    const input = { TableName: 't', KeyConditionExpression: 'k = :v' };
    await expect(queryCount(db, input)).resolves.toBe(5);
    expect(ddb.commandCalls(QueryCommand).map((c) => [c.args[0].input.Select, c.args[0].input.ExclusiveStartKey])).toEqual([
      ['COUNT', undefined],
      ['COUNT', { id: 3 }],
    ]);
    expect(input).toEqual({ TableName: 't', KeyConditionExpression: 'k = :v' });
  });

  it('hands out the first page\'s items before it asks for the next page', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Items: [{ id: 1 }], LastEvaluatedKey: { id: 1 } }).resolvesOnce({ Items: [{ id: 2 }] });
    const items = queryItems(db, { TableName: 't', KeyConditionExpression: 'k = :v' });
    await expect(items.next()).resolves.toEqual({ done: false, value: { id: 1 } });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
    await expect(items.next()).resolves.toEqual({ done: false, value: { id: 2 } });
    await expect(items.next()).resolves.toEqual({ done: true, value: undefined });
  });
});
