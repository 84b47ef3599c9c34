/**
 * The audit trail's DynamoDB adapter with the SDK faked: which cancellations it retries (only lost races for a chain
 * head), which it passes on, how several entries of one chain share a head update, and how the reader walks pages.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { AuditTrail, AuditWriteConflictError, DynamoAuditReader, type AuditContext } from '../../lambdas/adapters/dynamo-audit';
import { GENESIS_HASH, verifyChain, type AuditEntry } from '../../lambdas/domain/audit';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(DynamoDBDocumentClient);
const now = new Date('2026-11-28T12:00:00.000Z');
const context: AuditContext = {
  actorRole: 'subject',
  purpose: 'account',
  correlationId: 'c-1',
  origin: 'route:unit',
  declared: () => ({ fields: ['users.profile'], categories: ['contact'] }),
  categoriesOf: (fields) => fields.map((f) => `cat:${f}`),
  retentionDays: 30,
  now: () => now,
};
const trail = () => new AuditTrail(db, 'audit', { subject: async (id: string) => `p-${id}` }, context);
const userPut = { Put: { TableName: 'users', Item: { subjectId: 's-1' } } };
const cancelled = (reasons?: { Code?: string }[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: reasons });

beforeEach(() => {
  dynamo.reset();
  jest.restoreAllMocks();
});

describe('AuditTrail.flushReads', () => {
  it('writes the reads of many subjects (a job\'s) in transactions of at most 100 items, every subject once', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    const audit = trail();
    for (let i = 0; i < 95; i++) audit.noteRead(`s-${i}`);
    await audit.flushReads('success');
    const sizes = dynamo.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!.length);
    expect(sizes.every((n) => n <= 100)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(95 * 2);
    expect(new Set(audit.entries.map((e) => e.chainId)).size).toBe(95);
  });
});

describe('AuditTrail.transact', () => {
  it('chains several entries of one subject after the stored head, sharing one conditional head update', async () => {
    dynamo.on(GetCommand).resolves({ Item: { chainId: 'subject#p-s-1', seq: 0, headSeq: 4, headHash: 'a'.repeat(64) } });
    dynamo.on(TransactWriteCommand).resolves({});
    const audit = trail();
    await audit.transact([userPut], { action: 'update', subjectId: 's-1', fields: ['users.roles'] }, undefined, { action: 'read', subjectId: 's-1' });
    const items = dynamo.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Put', 'Put', 'Update']);
    expect(items[3].Update).toMatchObject({ ConditionExpression: 'headSeq = :expected', ExpressionAttributeValues: { ':expected': 4, ':seq': 6 } });
    expect(audit.entries.map((e) => [e.seq, e.action, e.categories])).toEqual([
      [5, 'update', ['cat:users.roles']],
      [6, 'read', ['contact']],
    ]);
    expect(audit.entries[0].prevHash).toBe('a'.repeat(64));
    expect(audit.entries[1].prevHash).toBe(audit.entries[0].hash);
    expect(audit.entries[0].actorId).toBe('subject:p-s-1');
  });

  it('retries when only the audit items lost the race, re-reading the head', async () => {
    dynamo.on(GetCommand).resolvesOnce({}).resolves({ Item: { chainId: 'subject#p-s-1', seq: 0, headSeq: 1, headHash: 'b'.repeat(64) } });
    // the data item's reason carries no code at all; only the head's condition failed
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled([{}, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }])).resolves({});
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const audit = trail();
    await audit.transact([userPut], { action: 'create', subjectId: 's-1' });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(2);
    expect(audit.entries.map((e) => e.seq)).toEqual([2]);
    expect(dynamo.commandCalls(TransactWriteCommand)[1].args[0].input.TransactItems![0]).toBe(userPut);
  });

  it('gives up with a 409 after ten lost races, writing nothing', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }]));
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const audit = trail();
    const error = await audit.transact([], { action: 'read', subjectId: 's-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditWriteConflictError);
    expect((error as AuditWriteConflictError).status).toBe(409);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(10);
    expect(audit.entries).toEqual([]);
  });

  it.each([
    ['a data item failed', cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }])],
    ['the cancellation has no reasons', cancelled(undefined)],
    ['no condition failed (throttled)', cancelled([{ Code: 'None' }, { Code: 'ThrottlingError' }, { Code: 'None' }])],
    ['the error is not a cancellation', new Error('socket hang up')],
  ])('passes the error on without retrying when %s', async (_name, failure) => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).rejects(failure);
    const audit = trail();
    await expect(audit.transact([userPut], { action: 'update', subjectId: 's-1' })).rejects.toBe(failure);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(audit.entries).toEqual([]);
  });

  it('names the service as the actor of a worker acting for no one, and a subject acting on a public route as themselves', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    const worker = new AuditTrail(db, 'audit', { subject: async (id: string) => `p-${id}` }, { ...context, actorRole: 'worker', origin: 'worker:unit' });
    await worker.transact([], { action: 'erase', subjectId: 's-1' });
    expect(worker.entries[0]).toMatchObject({ actorId: 'system:worker:unit', subjectPseudonym: 'p-s-1' });
    const audit = trail();
    await audit.transact([], { action: 'create', subjectId: 's-2' });
    expect(audit.entries[0].actorId).toBe('subject:p-s-2');
  });

  it('starts a new chain from the genesis hash on the condition that it does not exist yet', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    const audit = trail();
    await audit.transact([], { action: 'read', subjectPseudonym: 'p-x' }, { action: 'read' });
    const items = dynamo.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items.filter((i) => i.Update).map((i) => [i.Update!.Key!.chainId, i.Update!.ConditionExpression])).toEqual([
      ['subject#p-x', 'attribute_not_exists(chainId)'],
      ['system', 'attribute_not_exists(chainId)'],
    ]);
    for (const entry of audit.entries) expect(verifyChain(entry.chainId, [entry], { seq: 1, hash: entry.hash }).ok).toBe(true);
    expect(audit.entries.every((e) => e.prevHash === GENESIS_HASH)).toBe(true);
  });

  it('writes a read noted earlier for the same subject in the next transaction about them, before its entry, and not again', async () => {
    dynamo.on(GetCommand).resolves({ Item: { chainId: 'subject#p-s-1', seq: 0, headSeq: 2, headHash: 'c'.repeat(64) } });
    dynamo.on(TransactWriteCommand).resolves({});
    const audit = trail();
    audit.noteRead('s-1', ['users.passwordHash']);
    audit.noteRead('s-9');
    await audit.transact([userPut], { action: 'login', subjectId: 's-1' });
    expect(audit.entries.map((e) => [e.seq, e.action, e.outcome, e.fields])).toEqual([
      [3, 'read', 'success', ['users.passwordHash']],
      [4, 'login', 'success', ['users.profile']],
    ]);
    // the other subject's read is still pending, and only it is flushed at the end
    await audit.flushReads('success');
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(audit.entries.map((e) => [e.action, e.subjectPseudonym])).toEqual([
      ['read', 'p-s-1'],
      ['login', 'p-s-1'],
      ['read', 'p-s-9'],
    ]);
  });

  it('keeps a read that rode along in a failed transaction pending, for the end of the request', async () => {
    dynamo.on(GetCommand).resolves({});
    const failure = cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }]);
    dynamo.on(TransactWriteCommand).rejectsOnce(failure).resolves({});
    const audit = trail();
    audit.noteRead('s-1');
    await expect(audit.transact([userPut], { action: 'update', subjectId: 's-1' })).rejects.toBe(failure);
    expect(audit.untouched).toBe(false);
    await audit.flushReads('failure');
    expect(audit.entries.map((e) => [e.action, e.outcome])).toEqual([['read', 'failure']]);
  });

  it('starts the chain of a subject this request creates without reading its head, and reads it after losing', async () => {
    dynamo.on(GetCommand).resolves({ Item: { chainId: 'subject#p-s-1', seq: 0, headSeq: 1, headHash: 'e'.repeat(64) } });
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }])).resolves({});
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const audit = trail();
    audit.startsNewSubject('s-1');
    await audit.transact([userPut], { action: 'create', subjectId: 's-1' });
    const [first, second] = dynamo.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);
    expect(first[2].Update!.ConditionExpression).toBe('attribute_not_exists(chainId)');
    expect(second[2].Update).toMatchObject({ ConditionExpression: 'headSeq = :expected', ExpressionAttributeValues: { ':expected': 1 } });
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('appends again to a chain it has just written without reading its head, and re-reads it after losing a race', async () => {
    dynamo.on(GetCommand).resolves({ Item: { chainId: 'subject#p-s-1', seq: 0, headSeq: 7, headHash: 'd'.repeat(64) } });
    dynamo.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }])).resolves({});
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const audit = trail();
    await audit.transact([], { action: 'update', subjectId: 's-1' });
    await audit.transact([], { action: 'update', subjectId: 's-1' });
    const second = dynamo.commandCalls(TransactWriteCommand)[1].args[0].input.TransactItems!;
    expect(second[0].Put!.Item).toMatchObject({ seq: 9, prevHash: audit.entries[0].hash });
    expect(second[1].Update).toMatchObject({ ExpressionAttributeValues: { ':expected': 8, ':seq': 9 } });
    // one head read before the first transaction, none before the second, one after the second lost its race
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(2);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });
});

describe('DynamoAuditReader', () => {
  const reader = new DynamoAuditReader(db, 'audit');
  const entry = (id: string) => ({ entryId: id }) as unknown as AuditEntry;

  it('reads a chain head, or none for a chain never written', async () => {
    dynamo.on(GetCommand).resolvesOnce({}).resolvesOnce({ Item: { chainId: 'system', seq: 0, headSeq: 3, headHash: 'h' } });
    expect(await reader.chainHead('subject#nobody')).toBeUndefined();
    expect(await reader.chainHead('system')).toEqual({ seq: 3, hash: 'h' });
  });

  // Two shards per day here: each day is read shard by shard and merged newest first.
  const sharded = new DynamoAuditReader(db, 'audit', 2);
  const at = (id: string, time: string, chainId = 'subject#c', seq = 1) => ({ entryId: id, at: time, chainId, seq, dayShard: 'x' });
  const bare = ({ dayShard: _d, ...rest }: ReturnType<typeof at>) => rest;

  it('walks days newest first, reads every shard of a day, and hands out a day cursor when the page fills between days', async () => {
    const filter = { from: '2026-11-26T00:00:00.000Z', to: '2026-11-28T23:59:59.999Z', action: 'read' };
    const shards: unknown[] = [];
    dynamo.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => {
      const shard = input.ExpressionAttributeValues[':ds'] as string;
      shards.push(shard);
      return { Items: shard.endsWith('#00') ? [at(shard, `${shard.slice(0, 10)}T10:00:00.000Z`)] : [] };
    });
    const first = await sharded.page(filter, 2);
    expect(shards).toEqual(['2026-11-28#00', '2026-11-28#01', '2026-11-27#00', '2026-11-27#01']);
    // entries come back without the index attribute: the entry as hashed
    expect(first.entries).toEqual([bare(at('2026-11-28#00', '2026-11-28T10:00:00.000Z')), bare(at('2026-11-27#00', '2026-11-27T10:00:00.000Z'))]);
    expect(first.next).toEqual({ day: '2026-11-26' });
    const input = dynamo.commandCalls(QueryCommand)[0].args[0].input;
    expect(input).toMatchObject({ IndexName: 'byDayShard', FilterExpression: '#action = :action', ScanIndexForward: false, Limit: 2 });
  });

  it('merges the shards of a day in time order and resumes every shard after the last entry handed out', async () => {
    const filter = { from: '2026-11-28T00:00:00.000Z', to: '2026-11-28T23:59:59.999Z' };
    const byShard: Record<string, ReturnType<typeof at>[]> = {
      '2026-11-28#00': [at('a3', '2026-11-28T12:00:00.000Z', 'subject#a', 3), at('a2', '2026-11-28T10:00:00.000Z', 'subject#a', 2)],
      '2026-11-28#01': [at('b2', '2026-11-28T11:00:00.000Z', 'subject#b', 2), at('b1', '2026-11-28T10:00:00.000Z', 'subject#b', 1)],
    };
    // The fake index honours the time bound and the limit, as DynamoDB would.
    dynamo.on(QueryCommand).callsFake((input: { Limit: number; ExpressionAttributeValues: Record<string, string> }) => {
      const items = byShard[input.ExpressionAttributeValues[':ds']].filter((e) => e.at <= input.ExpressionAttributeValues[':to']);
      return { Items: items.slice(0, input.Limit), LastEvaluatedKey: items.length > input.Limit ? { more: true } : undefined };
    });
    const first = await sharded.page(filter, 2);
    expect(first.entries.map((e) => e.entryId)).toEqual(['a3', 'b2']);
    expect(first.next).toEqual({ day: '2026-11-28', after: { at: '2026-11-28T11:00:00.000Z', chainId: 'subject#b', seq: 2 } });
    // Same time in both shards: the greater chain id first, then nothing is handed out twice or skipped.
    const second = await sharded.page(filter, 2, first.next);
    expect(second.entries.map((e) => e.entryId)).toEqual(['b1', 'a2']);
    // every shard read to its end, and the day is the last: no cursor, rather than an empty last page
    expect(second.next).toBeUndefined();
  });

  it('ends the walk without a cursor once the oldest day is read', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const page = await sharded.page({ from: '2026-11-27T00:00:00.000Z', to: '2026-11-28T10:00:00.000Z' }, 5);
    expect(page).toEqual({ entries: [], next: undefined });
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(4);
  });

  it('reads a subject chain filtered by actor, and an actor across chains, each through one access path', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [entry('e5')] });
    const range = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' };
    await reader.page({ ...range, chainId: 'subject#p', actorId: 'subject:a' }, 10);
    await reader.page({ ...range, actorId: 'subject:a' }, 10);
    const [chain, actor] = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(chain).toMatchObject({ IndexName: undefined, KeyConditionExpression: 'chainId = :c AND seq > :zero', FilterExpression: '#at BETWEEN :from AND :to AND actorId = :actor' });
    expect(actor).toMatchObject({ IndexName: 'byActor', KeyConditionExpression: 'actorId = :actor AND #t BETWEEN :from AND :to', FilterExpression: undefined });
  });
});
