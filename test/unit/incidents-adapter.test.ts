/**
 * The incidents adapter at the SDK edge (aws-sdk-client-mock): a scope's pseudonyms go in pages under the job's id before
 * the record, whose write is conditional on still waiting for that job; a lost race is "superseded", not an error; a
 * failed scope is recorded only for the job the incident waits for; a changed record is a conflict. The integration test
 * runs the same on DynamoDB Local.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { AuditTrail, type AuditContext } from '../../lambdas/adapters/dynamo-audit';
import { DynamoIncidents, PSEUDONYMS_PER_PAGE } from '../../lambdas/adapters/dynamo-incidents';
import { IncidentChangedError, type Incident } from '../../lambdas/domain/incidents';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(DynamoDBDocumentClient);
const now = new Date('2026-12-06T10:00:00.000Z');
const context: AuditContext = {
  actorRole: 'worker',
  purpose: 'transparency',
  correlationId: 'c-1',
  origin: 'worker:test',
  declared: () => ({ fields: [], categories: [] }),
  categoriesOf: () => [],
  retentionDays: 395,
  now: () => now,
};
const incidents = () => new DynamoIncidents(db, 'incidents', new AuditTrail(db, 'audit', { subject: async (id) => `p-${id}` }, context), () => now);
const cancelled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

const queued: Incident = {
  incidentId: 'i-1',
  awareAt: '2026-12-06T08:00:00.000Z',
  detectedAt: '2026-12-06T08:00:00.000Z',
  stores: ['users'],
  window: { from: '2026-12-05T00:00:00.000Z', to: '2026-12-06T00:00:00.000Z' },
  description: 'x',
  nature: ['integrity'],
  status: 'open',
  authorityNotice: {},
  subjectNotice: {},
  scope: { status: 'queued', jobId: 'j-1', requestedAt: '2026-12-06T09:00:00.000Z' },
  createdAt: '2026-12-06T08:00:00.000Z',
  updatedAt: '2026-12-06T10:00:00.000Z',
};
const result = { categories: ['contact'], subjects: { count: 2, approximate: false }, stores: [] };

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  dynamo.on(TransactWriteCommand).resolves({});
});

it('writes the pseudonyms in pages under the job id, then the record on condition that it still waits for the job', async () => {
  const pseudonyms = Array.from({ length: PSEUDONYMS_PER_PAGE + 1 }, (_, i) => String(i).padStart(64, '0'));
  expect(await incidents().saveScope(queued, 'j-1', result, pseudonyms)).toBe(true);
  const pages = dynamo.commandCalls(PutCommand).map((c) => c.args[0].input.Item!);
  expect(pages.map((p) => [p.sk, (p.pseudonyms as string[]).length])).toEqual([
    ['scope#j-1#0000', PSEUDONYMS_PER_PAGE],
    ['scope#j-1#0001', 1],
  ]);
  const record = dynamo.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems![0].Put!;
  expect(record.ConditionExpression).toBe('#scope.jobId = :j AND #scope.#status = :queued');
  expect(record.Item).toMatchObject({ sk: 'record', listed: 'incident', scope: { status: 'done', jobId: 'j-1', pages: 2, result } });
  // the version moves on even when the clock has not
  expect(record.Item!.updatedAt > queued.updatedAt).toBe(true);
});

it('answers superseded (false) when the record no longer waits for the job', async () => {
  dynamo.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None', 'None']));
  expect(await incidents().saveScope(queued, 'j-1', result, [])).toBe(false);
});

it('records a failed scope for the job waited for, and ignores a superseded one', async () => {
  await incidents().failScope(queued, 'j-1');
  const put = dynamo.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems![0].Put!;
  expect(put.Item).toMatchObject({ scope: { status: 'failed', jobId: 'j-1' } });
  dynamo.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None', 'None']));
  await expect(incidents().failScope(queued, 'j-1')).resolves.toBeUndefined();
});

it('turns a lost conditional write into IncidentChangedError', async () => {
  dynamo.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None', 'None']));
  await expect(incidents().replace(queued, { ...queued, status: 'closed' }, ['incidents.status'])).rejects.toBeInstanceOf(IncidentChangedError);
});

it('reads the pages of the scope in order, and none before the scope is done', async () => {
  expect(await incidents().pseudonyms(queued)).toEqual([]);
  dynamo.on(QueryCommand).resolves({ Items: [{ sk: 'scope#j-1#0001', pseudonyms: ['c'] }, { sk: 'scope#j-1#0000', pseudonyms: ['a', 'b'] }] });
  const done: Incident = { ...queued, scope: { status: 'done', jobId: 'j-1', requestedAt: queued.scope!.requestedAt, result, pages: 2 } };
  expect(await incidents().pseudonyms(done)).toEqual(['a', 'b', 'c']);
  expect(dynamo.commandCalls(QueryCommand)[0].args[0].input.ExpressionAttributeValues).toEqual({ ':i': 'i-1', ':p': 'scope#j-1#' });
});
