/**
 * The retention job's handler over one run: each outcome it counts (active, held, waiting, already filed, notified, changed
 * under it, already requested by the subject, filed, not queued, gone, failed), its clock, and stopping before the Lambda
 * timeout. The real handler, use cases and audit trail run; DynamoDB, KMS and SQS are faked at the SDK edge.
 */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type GetCommandInput,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

process.env.STAGE = 'unit';
process.env.USERS_TABLE_NAME = 'unit-users';
process.env.RIGHTS_REQUESTS_TABLE_NAME = 'unit-requests';
process.env.AUDIT_TABLE_NAME = 'unit-audit';
process.env.CONSENT_TABLE_NAME = 'unit-consent';
process.env.JOB_RUNS_TABLE_NAME = 'unit-jobRuns';
process.env.PSEUDONYM_KEY_ID = 'alias/unit-pseudonyms';
process.env.RIGHTS_REQUEST_QUEUE_URL = 'https://sqs.unit/queue';
// one activity month (the cutoff's own) keeps the fake index simple; the event's time is the clock
process.env.RETENTION_LOOKBACK_MONTHS = '0';
// and one shard of it (the month's shards are walked page by page: cov-retention-store.test.ts)
process.env.INDEX_SHARDS = '1';
process.env.FMN_RETENTION_FAKE_CLOCK = '1';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
const sqs = mockClient(SQSClient);
// Loaded after the environment is set: tables, queue and policy are read at module scope.
const { handler } = require('../../lambdas/handlers/retention') as typeof import('../../lambdas/handlers/retention');

// 24 months of inactivity before 2026-11-28 is 2024-11-28: the searched month is 2024-11.
const NOW = '2026-11-28T12:00:00.000Z';
const INACTIVE = '2024-11-01T00:00:00.000Z';
const NOTICED = { lastActiveAt: INACTIVE, inactivityNoticeAt: '2026-10-01T00:00:00.000Z', inactivityErasureAt: '2026-10-31T00:00:00.000Z' };

type Fixture = { account?: object; getFails?: boolean; writeFails?: boolean; own?: object[]; restriction?: object };
let fixtures: Record<string, Fixture>;
let indexPages: { ids: string[] }[];

const cancelled = () =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] });

const event = (over: Partial<ScheduledEvent> = {}) => ({ id: 'evt-1', time: NOW, 'detail-type': 'Scheduled Event', source: 'aws.events', ...over }) as ScheduledEvent;
const context = (remainingMs = 250_000) =>
  ({ awsRequestId: 'aws-req-1', functionName: 'retention', getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

beforeEach(() => {
  ddb.reset();
  kms.reset();
  sqs.reset();
  fixtures = {};
  indexPages = [];
  kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(2) });
  sqs.on(SendMessageCommand).resolves({});
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    if (input.IndexName === 'byActivityMonth') {
      const index = input.ExclusiveStartKey ? Number(input.ExclusiveStartKey.page) : 0;
      const page = indexPages[index] ?? { ids: [] };
      return { Items: page.ids.map((subjectId) => ({ subjectId })), LastEvaluatedKey: index + 1 < indexPages.length ? { page: index + 1 } : undefined };
    }
    if (input.IndexName === 'bySubject') return { Items: fixtures[input.ExpressionAttributeValues![':s'] as string]?.own ?? [] };
    throw new Error(`unexpected query ${input.IndexName}`);
  });
  ddb.on(GetCommand).callsFake((input: GetCommandInput) => {
    if (input.TableName === 'unit-users') {
      const fixture = fixtures[input.Key!.subjectId as string];
      if (fixture?.getFails) throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      return { Item: fixture?.account };
    }
    if (input.TableName === 'unit-consent') {
      expect(input.Key).toEqual({ subjectId: input.Key!.subjectId, sk: 'state#restriction' });
      return { Item: fixtures[input.Key!.subjectId as string]?.restriction };
    }
        if (input.TableName === 'unit-requests') {
      const own = Object.values(fixtures).flatMap((f) => f.own ?? []) as { requestId: string }[];
      return { Item: own.find((r) => r.requestId === input.Key!.requestId) };
    }
    return {}; // audit chain heads: empty chains
  });
  ddb.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
    const users = input.TransactItems!.find((i) => i.Update?.TableName === 'unit-users');
    if (users && fixtures[users.Update!.Key!.subjectId as string]?.writeFails) throw cancelled();
    return {};
  });
});

const account = (subjectId: string, fields: object) => ({ subjectId, ...fields });
const run = async (fx: Record<string, Fixture>, ev = event(), ctx = context()) => {
  fixtures = fx;
  indexPages = [{ ids: Object.keys(fx) }];
  return handler(ev, ctx);
};
const requestWrites = (): { subjectId: string; status: string; origin?: string }[] =>
  ddb
    .commandCalls(TransactWriteCommand)
    .flatMap((c) => (c.args[0].input as TransactWriteCommandInput).TransactItems!)
    .filter((i) => i.Put?.TableName === 'unit-requests')
    .map((i) => i.Put!.Item as { subjectId: string; status: string; origin?: string });

describe('one retention run', () => {
  it('counts every outcome, writing only where an action is due', async () => {
    const result = await run({
      active: { account: account('active', { lastActiveAt: '2025-06-01T00:00:00.000Z' }) },
      held: { account: account('held', { lastActiveAt: INACTIVE, legalHold: { reason: 'case', at: NOW } }) },
      waiting: { account: account('waiting', { lastActiveAt: INACTIVE, inactivityNoticeAt: '2026-11-20T00:00:00.000Z', inactivityErasureAt: '2026-12-20T00:00:00.000Z' }) },
      filedBefore: { account: account('filedBefore', { ...NOTICED, retentionErasureRequestId: 'r-old' }) },
      toNotify: { account: account('toNotify', { lastActiveAt: INACTIVE }) },
      restricted: { account: account('restricted', NOTICED), restriction: { lastAction: 'restrict', at: '2026-11-01T00:00:00.000Z' } },
      restrictionLifted: { account: account('restrictionLifted', { lastActiveAt: INACTIVE }), restriction: { lastAction: 'lift-restriction', at: NOW } },
      loggedInMeanwhile: { account: account('loggedInMeanwhile', { lastActiveAt: INACTIVE }), writeFails: true },
      gone: {},
      unreadable: { getFails: true },
    });

    expect(result).toEqual({
      complete: true,
      counts: { active: 1, held: 1, restricted: 1, waiting: 1, alreadyFiled: 1, notified: 2, changed: 1, gone: 1, failed: 1, filed: 0, alreadyRequested: 0, notQueued: 0, inactiveAdmins: 0 },
    });
    const userWrites = ddb
      .commandCalls(TransactWriteCommand)
      .flatMap((c) => (c.args[0].input as TransactWriteCommandInput).TransactItems!)
      .filter((i) => i.Update?.TableName === 'unit-users')
      .map((i) => i.Update!.Key!.subjectId);
    // The restricted account is neither noticed nor filed, though its grace period is over; a lifted restriction is no block.
    expect(userWrites.sort()).toEqual(['loggedInMeanwhile', 'restrictionLifted', 'toNotify']);
    expect(requestWrites()).toEqual([]);
    // Each notice is conditional on no restriction having landed since the read, in the same transaction.
    const notices = ddb.commandCalls(TransactWriteCommand).map((c) => (c.args[0].input as TransactWriteCommandInput).TransactItems!);
    for (const items of notices) {
      expect(items).toContainEqual({
        ConditionCheck: expect.objectContaining({ TableName: 'unit-consent', ConditionExpression: 'attribute_not_exists(sk) OR lastAction <> :restrict' }),
      });
    }
  });

  it('leaves an account to the subject\'s own open erasure, but files one when the subject\'s requests are of other kinds or finished', async () => {
    const result = await run({
      asked: { account: account('asked', NOTICED), own: [{ requestId: 'own-1', subjectId: 'asked', type: 'erasure', status: 'queued' }] },
      other: {
        account: account('other', NOTICED),
        own: [
          { requestId: 'own-2', subjectId: 'other', type: 'export', status: 'received' },
          { requestId: 'own-3', subjectId: 'other', type: 'erasure', status: 'rejected' },
        ],
      },
    });

    expect(result.counts).toMatchObject({ alreadyRequested: 1, filed: 1 });
    expect(requestWrites()).toEqual([expect.objectContaining({ subjectId: 'other', type: 'erasure', status: 'queued', origin: 'retention' })]);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
  });

  it('counts "changed" when the account changed before the erasure could be filed, and queues nothing', async () => {
    const result = await run({ raced: { account: account('raced', NOTICED), writeFails: true } });

    expect(result.counts).toMatchObject({ changed: 1, filed: 0 });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('keeps a filed erasure that could not be queued as verified, for an administrator, and counts it', async () => {
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('queue down'), { name: 'QueueUnavailable' }));

    const result = await run({ stuck: { account: account('stuck', NOTICED) } });

    expect(result.counts).toMatchObject({ filed: 0, notQueued: 1 });
    // filed as queued (automatic mode), then moved back to verified so that approving it queues it
    const writes = requestWrites() as unknown as { status: string; history: { status: string; note?: string }[] }[];
    expect(writes.map((r) => r.status)).toEqual(['queued', 'verified']);
    expect(writes[1]!.history.at(-1)).toMatchObject({ status: 'verified', by: 'system', note: expect.stringMatching(/administrator/) });
  });

  it('never notices or erases an inactive admin, even the last one: it is counted for the other admins instead', async () => {
    // Arrange: the only admin, inactive and past a notice's grace period; a subject with the same history beside it.
    const result = await run({
      lastAdmin: { account: account('lastAdmin', { ...NOTICED, roles: ['subject', 'admin'] }) },
      newAdmin: { account: account('newAdmin', { lastActiveAt: INACTIVE, roles: ['subject', 'admin'] }) },
      subject: { account: account('subject', { ...NOTICED, roles: ['subject'] }) },
    });

    expect(result.counts).toMatchObject({ inactiveAdmins: 2, notified: 0, filed: 1 });
    expect(requestWrites()).toEqual([expect.objectContaining({ subjectId: 'subject', type: 'erasure' })]);
    const userWrites = ddb
      .commandCalls(TransactWriteCommand)
      .flatMap((c) => (c.args[0].input as TransactWriteCommandInput).TransactItems!)
      .filter((i) => i.Update?.TableName === 'unit-users')
      .map((i) => i.Update!.Key!.subjectId);
    expect(userWrites).toEqual(['subject']);
    // The roles are read with the retention state (and nothing else of the profile).
    const get = ddb.commandCalls(GetCommand).find((c) => c.args[0].input.TableName === 'unit-users')!.args[0].input;
    const projection = get.ProjectionExpression;
    // through a placeholder: ROLES is a reserved word
    expect(projection?.split(', ')).toContain('#roles');
    expect(get.ExpressionAttributeNames).toEqual({ '#roles': 'roles' });
    expect(projection).not.toContain('profile');
  });

  it('follows the index page by page', async () => {
    fixtures = { a: { account: account('a', { lastActiveAt: INACTIVE }) }, b: { account: account('b', { lastActiveAt: INACTIVE }) } };
    indexPages = [{ ids: ['a'] }, { ids: ['b'] }];

    const result = await handler(event(), context());

    expect(result.counts.notified).toBe(2);
    expect(ddb.commandCalls(QueryCommand).filter((c) => c.args[0].input.IndexName === 'byActivityMonth')).toHaveLength(2);
  });
});

describe('the job\'s clock and time budget', () => {
  it('stops before reading a page when too little Lambda time is left, and says it is incomplete', async () => {
    const result = await run({ toNotify: { account: account('toNotify', { lastActiveAt: INACTIVE }) } }, event(), context(10_000));

    expect(result).toMatchObject({ complete: false, counts: { notified: 0 } });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('refuses an event whose time is not a date', async () => {
    await expect(run({}, event({ time: 'yesterday-ish' }))).rejects.toThrow(RangeError);
    // nothing of the job's data is touched; only the failed run itself is recorded (runtime/scheduled-job.ts)
    expect(ddb.calls().map((c) => (c.args[0].input as { TableName?: string }).TableName)).toEqual(['unit-jobRuns']);
  });

  it('uses the system clock when the event carries no time, and the invocation id when it carries no id', async () => {
    jest.useFakeTimers({ now: new Date(NOW), doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const result = await run({ toNotify: { account: account('toNotify', { lastActiveAt: INACTIVE }) } }, event({ time: undefined, id: undefined }));

      expect(result.counts.notified).toBe(1);
      const month = ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExpressionAttributeValues![':month'];
      expect(month).toBe('2024-11#00'); // the month's one shard here
      const auditEntry = ddb
        .commandCalls(TransactWriteCommand)
        .flatMap((c) => (c.args[0].input as TransactWriteCommandInput).TransactItems!)
        .find((i) => i.Put?.TableName === 'unit-audit')!.Put!.Item!;
      expect(auditEntry.correlationId).toBe('aws-req-1');
    } finally {
      jest.useRealTimers();
    }
  });
});
