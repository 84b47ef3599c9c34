/**
 * GET /v1/me/requests/{id}/download before there is anything to download, and for someone else's request: the answers a
 * subject gets, and that no link is ever signed. The real handler and middleware run; DynamoDB and KMS are faked at the SDK edge.
 */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

process.env.RIGHTS_REQUESTS_TABLE_NAME = 'unit-requests';
process.env.AUDIT_TABLE_NAME = 'unit-audit';
process.env.EXPORTS_BUCKET_NAME = 'unit-exports';
process.env.PSEUDONYM_KEY_ID = 'alias/unit-pseudonyms';

const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
// Loaded after the environment is set: the table and bucket are read at module scope.
const { handler } = require('../../lambdas/handlers/download-export') as typeof import('../../lambdas/handlers/download-export');

const CALLER = '3f1c2a9e-8a4b-4c1d-9e2f-0a1b2c3d4e5f';
const SOMEONE_ELSE = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
const REQUEST_ID = 'b2a1c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const EXPORT_KEYS = { json: `exports/${REQUEST_ID}/export.json`, csv: `exports/${REQUEST_ID}/export.csv` };

const event = (): APIGatewayProxyEvent =>
  ({
    httpMethod: 'GET',
    path: `/v1/me/requests/${REQUEST_ID}/download`,
    resource: '/v1/me/requests/{requestId}/download',
    pathParameters: { requestId: REQUEST_ID },
    queryStringParameters: { format: 'csv' },
    headers: {},
    multiValueHeaders: {},
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'corr-1', authorizer: { subjectId: CALLER, roles: 'subject' } },
  }) as unknown as APIGatewayProxyEvent;
const context = { awsRequestId: 'aws-1', functionName: 'downloadExport', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const request = (over: object) => ({
  requestId: REQUEST_ID,
  subjectId: CALLER,
  type: 'export',
  status: 'completed',
  mode: 'automatic',
  history: [],
  exportKeys: EXPORT_KEYS,
  ...over,
});

const get = async (item: object | undefined) => {
  ddb.on(GetCommand, { TableName: 'unit-requests' }).resolves({ Item: item });
  const answer = await handler(event(), context);
  return { status: answer.statusCode, body: JSON.parse(answer.body || '{}'), raw: answer.body };
};

beforeEach(() => {
  ddb.reset();
  kms.reset();
  kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(3) });
  ddb.on(GetCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
});

describe('downloading an export', () => {
  it('answers 404 for another subject\'s request, exactly as for a request that does not exist', async () => {
    const foreign = await get(request({ subjectId: SOMEONE_ELSE }));
    const missing = await get(undefined);

    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    expect(foreign.raw).not.toContain('exports/');
    expect(foreign.raw).not.toContain(SOMEONE_ELSE);
  });

  it.each([
    ['still running', request({ status: 'in_progress', exportKeys: undefined })],
    ['completed but without files (an access request, or files already erased)', request({ exportKeys: undefined })],
  ])('answers 409 export-not-ready, with no link, for a request %s', async (_label, item) => {
    const answer = await get(item);

    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ status: 409, type: expect.stringMatching(/export-not-ready$/) });
    expect(answer.body).not.toHaveProperty('url');
  });
});
