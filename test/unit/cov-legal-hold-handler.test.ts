/**
 * PUT /v1/admin/subjects/{id}/legal-hold when the retention job already filed an erasure: every state that erasure can be
 * in (stoppable, taken by the worker first, running, already rejected, vanished) and the account vanishing mid-request.
 * The real handler, middleware and audit trail run; DynamoDB and KMS are faked at the SDK edge.
 */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

process.env.USERS_TABLE_NAME = 'unit-users';
process.env.RIGHTS_REQUESTS_TABLE_NAME = 'unit-requests';
// The outbox the subject's events go through (a stopped erasure is rejected, which tells the subject).
process.env.CONSENT_TABLE_NAME = 'unit-consent';
process.env.AUDIT_TABLE_NAME = 'unit-audit';
process.env.PSEUDONYM_KEY_ID = 'alias/unit-pseudonyms';

const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
// Loaded after the environment is set: tables and keys are read at module scope.
const { handler } = require('../../lambdas/handlers/set-legal-hold') as typeof import('../../lambdas/handlers/set-legal-hold');

const SUBJECT = '3f1c2a9e-8a4b-4c1d-9e2f-0a1b2c3d4e5f';
const ADMIN = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const REQUEST_ID = 'b2a1c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

const event = (): APIGatewayProxyEvent =>
  ({
    httpMethod: 'PUT',
    path: `/v1/admin/subjects/${SUBJECT}/legal-hold`,
    resource: '/v1/admin/subjects/{subjectId}/legal-hold',
    pathParameters: { subjectId: SUBJECT },
    queryStringParameters: null,
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    body: JSON.stringify({ reason: 'Litigation hold, case 42' }),
    isBase64Encoded: false,
    requestContext: { requestId: 'corr-1', authorizer: { subjectId: ADMIN, roles: 'admin' } },
  }) as unknown as APIGatewayProxyEvent;
const context = { awsRequestId: 'aws-1', functionName: 'setLegalHold', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const account = { subjectId: SUBJECT, lastActiveAt: '2024-01-01T00:00:00.000Z', inactivityNoticeAt: '2026-10-01T00:00:00.000Z', retentionErasureRequestId: REQUEST_ID };
const filed = (status: string) => ({
  requestId: REQUEST_ID,
  subjectId: SUBJECT,
  type: 'erasure',
  status,
  mode: 'automatic',
  origin: 'retention',
  history: [{ status: 'received', at: '2026-11-01T00:00:00.000Z', by: 'system' }],
  receivedAt: '2026-11-01T00:00:00.000Z',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  dueAt: '2026-12-01',
});
const conditionFailed = () =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] });

/** The data items (audit items left out) of each transaction sent, by table. */
const writesTo = (table: string) =>
  ddb
    .commandCalls(TransactWriteCommand)
    .map((c) => (c.args[0].input as TransactWriteCommandInput).TransactItems!)
    .filter((items) => items.some((i) => (i.Put ?? i.Update)?.TableName === table))
    .map((items) => items.find((i) => (i.Put ?? i.Update)?.TableName === table)!);

const arrange = (opts: { account?: object; request?: object; requestWrite?: Error; holdWrite?: Error }) => {
  ddb.on(GetCommand, { TableName: 'unit-users' }).resolves({ Item: opts.account });
  ddb.on(GetCommand, { TableName: 'unit-requests' }).resolves({ Item: opts.request });
  ddb.on(GetCommand, { TableName: 'unit-audit' }).resolves({});
  ddb.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
    const first = input.TransactItems?.[0];
    const table = (first?.Put ?? first?.Update)?.TableName;
    if (table === 'unit-requests' && opts.requestWrite) throw opts.requestWrite;
    if (table === 'unit-users' && opts.holdWrite) throw opts.holdWrite;
    return {};
  });
};

beforeEach(() => {
  ddb.reset();
  kms.reset();
  kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(1) });
});

const put = async () => {
  const answer = await handler(event(), context);
  return { status: answer.statusCode, body: JSON.parse(answer.body || '{}') };
};

describe('placing a legal hold over a filed retention erasure', () => {
  it('stops an erasure that has not started and drops its link from the account', async () => {
    arrange({ account, request: filed('queued') });

    const answer = await put();

    expect(answer).toMatchObject({ status: 200, body: { subjectId: SUBJECT, retentionErasure: 'cancelled', legalHold: { reason: 'Litigation hold, case 42' } } });
    expect(writesTo('unit-requests')[0]!.Put!.Item).toMatchObject({ status: 'rejected' });
    expect(writesTo('unit-users')[0]!.Update!.UpdateExpression).toContain('retentionErasureRequestId');
  });

  it('answers "started" and keeps the link when the worker took the request between the read and the rejection', async () => {
    arrange({ account, request: filed('queued'), requestWrite: conditionFailed() });

    const answer = await put();

    expect(answer).toMatchObject({ status: 200, body: { retentionErasure: 'started' } });
    const hold = writesTo('unit-users')[0]!.Update!;
    expect(hold.UpdateExpression).toMatch(/^SET legalHold = :hold REMOVE /);
    expect(hold.UpdateExpression).not.toContain('retentionErasureRequestId');
  });

  it('answers "started" without trying to reject an erasure that is already running', async () => {
    arrange({ account, request: filed('in_progress') });

    const answer = await put();

    expect(answer).toMatchObject({ status: 200, body: { retentionErasure: 'started' } });
    expect(writesTo('unit-requests')).toHaveLength(0);
    expect(writesTo('unit-users')[0]!.Update!.UpdateExpression).not.toContain('retentionErasureRequestId');
  });

  it.each([
    ['already rejected', filed('rejected')],
    ['gone from the requests table', undefined],
  ])('answers "none" and drops the stale link when the filed erasure is %s', async (_label, request) => {
    arrange({ account, request });

    const answer = await put();

    expect(answer).toMatchObject({ status: 200, body: { retentionErasure: 'none' } });
    expect(writesTo('unit-requests')).toHaveLength(0);
    expect(writesTo('unit-users')[0]!.Update!.UpdateExpression).toContain('retentionErasureRequestId');
  });

  it('answers 500 without internals when stopping the erasure fails for another reason (nothing is held)', async () => {
    const outage = Object.assign(new Error('service unavailable at arn:aws:dynamodb:secret'), { name: 'InternalServerError' });
    arrange({ account, request: filed('received'), requestWrite: outage });

    const answer = await put();

    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('arn:aws');
    expect(writesTo('unit-users')).toHaveLength(0);
  });
});

describe('accounts that are not there', () => {
  it('answers 404 when the account is deleted between the read and the hold', async () => {
    arrange({ account: { subjectId: SUBJECT, lastActiveAt: '2024-01-01T00:00:00.000Z' }, holdWrite: conditionFailed() });

    const answer = await put();

    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ status: 404 });
  });
});
