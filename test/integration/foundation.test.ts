/**
 * The foundation end to end: the real local cloud (DynamoDB Local, fauxqs, the KMS emulator) started as `npm start` starts
 * it, on free ports, and the real HTTP server in front of the route table. Every answer here crossed a socket.
 */
import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { assertContract } from './helpers/contract';

let cloud: LocalCloudHandle;
let sqs: SQSClient;

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

beforeAll(async () => {
  // A 1 s visibility timeout makes the poison-message test reach maxReceiveCount (5) in seconds instead of minutes.
  cloud = await startLocalCloudProcess(['--visibility-timeout', '1']);
  sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials });
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  await cloud?.stop();
});

/** A raw request (these tests send malformed bodies); the answer is still held to the route table's contract. */
async function api(path: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(`${cloud.apiUrl}${path}`, init);
  const text = await response.clone().text();
  assertContract({ method: init?.method ?? 'GET', path, status: response.status, contentType: response.headers.get('content-type'), text });
  return response;
}

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.status).toBe(response.status);
  expect(typeof body.title).toBe('string');
  expect(String(body.type)).toMatch(/^\/problems\//);
  return body;
}

describe('the local cloud', () => {
  it('binds every service to 127.0.0.1', () => {
    for (const url of [cloud.apiUrl, ...Object.values(cloud.endpoints)]) {
      expect(new URL(url).hostname).toBe('127.0.0.1');
    }
  });

  it('provisions every table from the synthesized stack into DynamoDB Local', async () => {
    const dynamodb = new DynamoDBClient({ region: 'eu-west-1', endpoint: cloud.endpoints.dynamodb, credentials });
    const { TableNames = [] } = await dynamodb.send(new ListTablesCommand({}));
    dynamodb.destroy();
    const tableEnv = Object.entries(cloud.env).filter(([k]) => k.endsWith('_TABLE_NAME'));
    expect(tableEnv.length).toBeGreaterThanOrEqual(6);
    for (const [, name] of tableEnv) expect(TableNames).toContain(name);
  });
});

describe('HTTP basics', () => {
  it('answers GET /v1/health', async () => {
    const response = await api('/v1/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', stage: 'local' });
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });

  it('serves the OpenAPI document generated from the route table', async () => {
    const response = await api('/v1/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/health', '/v1/accounts', '/v1/me']));
  });

  it('answers an unknown path with a problem+json 404', async () => {
    const response = await api('/v1/no-such-thing');
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ type: '/problems/not-found' });
  });

  it('answers a wrong method with 405 and an Allow header', async () => {
    const response = await api('/v1/health', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    await problemOf(response);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await api('/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email": ' });
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ type: '/problems/malformed-json' });
  });

  it('answers a non-JSON body with 415', async () => {
    const response = await api('/v1/accounts', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(response.status).toBe(415);
    await problemOf(response);
  });

  it('answers an oversized body with 413, at the handler limit and at the gateway limit', async () => {
    const overHandlerLimit = JSON.stringify({ displayName: 'x'.repeat(20 * 1024) });
    const small = await api('/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: overHandlerLimit });
    expect(small.status).toBe(413);
    await problemOf(small);

    const overGatewayLimit = 'x'.repeat(10 * 1024 * 1024 + 1);
    const huge = await api('/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: overGatewayLimit });
    expect(huge.status).toBe(413);
    await problemOf(huge);
  });

  it('never answers with a stack trace', async () => {
    const response = await api('/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2,3]' });
    expect(response.status).toBe(400);
    const text = JSON.stringify(await problemOf(response));
    expect(text).not.toMatch(/at .*\.ts:\d+|Error:/);
  });
});

describe('the rights-request worker', () => {
  const queueUrl = () => cloud.env.RIGHTS_REQUEST_QUEUE_URL;

  async function depth(url: string): Promise<{ visible: number; inFlight: number }> {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
  }

  async function until(predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('consumes a valid job and sends a poison message to the DLQ after 5 receives, without redelivering the good one', async () => {
    const { QueueUrl: dlqUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'fmn-local-rightsRequestDlq' }));
    expect(dlqUrl).toBeDefined();
    const probeId = randomUUID();
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: JSON.stringify({ kind: 'probe', probeId }) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: '{"kind":"not-a-job"}' }));

    await until(async () => (await depth(dlqUrl!)).visible === 1, 60_000);
    expect(await depth(queueUrl())).toEqual({ visible: 0, inFlight: 0 });

    // The probe ran exactly once: a partial batch failure did not send it round again with the poison message.
    const probeRuns = cloud.output().split('\n').filter((line) => line.includes('"job done"') && line.includes('"probe"'));
    expect(probeRuns).toHaveLength(1);
  }, 90_000);
});
