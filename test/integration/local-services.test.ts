/**
 * The local AWS stand-ins behind `npm start` and the integration tests: DynamoDB Local (child JVM)
 * and fauxqs (SQS + S3). Every suite starts its own instances on free ports and stops them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { LOCAL_REGION, startDynamoDbLocal } from '../../local/dynamodb-local';
import { assertPortFree, freePort, type LocalService } from '../../local/ports';
import { provisionFromTemplate } from '../../local/provision';
import { RESOURCE_TAG } from '../../lambdas/runtime/resources';
import { type ChildService, startServiceInChild } from './helpers/run-tsx';

const credentials = (accessKeyId: string) => ({ accessKeyId, secretAccessKey: 'secret' });

/**
 * Addresses listening on `port`, read from /proc/net/tcp{,6} so the test needs neither ss nor
 * netstat. IPv4 entries are little-endian hex ("0100007F" is 127.0.0.1).
 */
function listeningAddresses(port: number): string[] {
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [hexAddress, hexPort] = (fields[1] ?? '').split(':');
      if (fields[3] !== '0A' || !hexAddress || Number.parseInt(hexPort ?? '', 16) !== port) continue; // 0A = LISTEN
      addresses.push(
        hexAddress.length === 8
          ? (hexAddress.match(/../g) ?? []).reverse().map((byte) => Number.parseInt(byte, 16)).join('.')
          : `ipv6:${hexAddress}`,
      );
    }
  }
  return addresses;
}

const linuxOnly = existsSync('/proc/net/tcp') ? it : it.skip;

function occupyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => resolve(server));
  });
}

const portOf = (server: Server): number => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not a TCP server');
  return address.port;
};

describe('DynamoDB Local', () => {
  let ddb: LocalService;
  let client: DynamoDBClient;

  beforeAll(async () => {
    ddb = await startDynamoDbLocal({ port: 0 });
    client = new DynamoDBClient({ endpoint: ddb.endpoint, region: LOCAL_REGION, credentials: credentials('alice') });
  });

  afterAll(async () => {
    client?.destroy();
    await ddb?.close();
    // The port is free again only if the JVM is really gone.
    if (ddb) await expect(assertPortFree(ddb.port)).resolves.toBeUndefined();
  });

  it('runs on a free port on 127.0.0.1', () => {
    expect(ddb.endpoint).toBe(`http://127.0.0.1:${ddb.port}`);
    expect(ddb.port).toBeGreaterThan(0);
  });

  linuxOnly('listens on 127.0.0.1 only', () => {
    expect(listeningAddresses(ddb.port)).toEqual(['127.0.0.1']);
  });

  it('adds an index a newer template declares to a table a persisted state already holds, keeping its items', async () => {
    const table = (indexes: object[]) => ({
      Resources: {
        Consent: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            Tags: [{ Key: RESOURCE_TAG, Value: 'consent' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            // CloudFormation, like DynamoDB, defines only the attributes some key uses.
            AttributeDefinitions: [
              { AttributeName: 'pk', AttributeType: 'S' },
              ...(indexes.length > 0 ? [{ AttributeName: 'outbox', AttributeType: 'S' }] : []),
            ],
            ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
          },
        },
      },
    });
    const endpoints = { dynamodb: ddb.endpoint, sqsS3: ddb.endpoint, kms: ddb.endpoint, region: LOCAL_REGION };
    const { tables } = await provisionFromTemplate(table([]), endpoints, { namePrefix: 'persisted' });
    await client.send(new PutItemCommand({ TableName: tables.consent, Item: { pk: { S: 'kept' }, outbox: { S: 'pending' } } }));

    const byOutbox = { IndexName: 'byOutbox', KeySchema: [{ AttributeName: 'outbox', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } };
    await provisionFromTemplate(table([byOutbox]), endpoints, { namePrefix: 'persisted' });

    const { Items } = await client.send(
      new QueryCommand({
        TableName: tables.consent,
        IndexName: 'byOutbox',
        KeyConditionExpression: 'outbox = :pending',
        ExpressionAttributeValues: { ':pending': { S: 'pending' } },
      }),
    );
    expect(Items?.map((item) => item.pk?.S)).toEqual(['kept']);
  });

  it('supports CreateTable, PutItem, GetItem and TransactWriteItems', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'things',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await client.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: 'a' }, n: { N: '1' } } }));
    const got = await client.send(new GetItemCommand({ TableName: 'things', Key: { pk: { S: 'a' } } }));
    expect(got.Item).toEqual({ pk: { S: 'a' }, n: { N: '1' } });

    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: 'things',
              Key: { pk: { S: 'a' } },
              UpdateExpression: 'SET n = n + :one',
              ConditionExpression: 'n = :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
          {
            Put: {
              TableName: 'things',
              Item: { pk: { S: 'b' } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    const a = await client.send(new GetItemCommand({ TableName: 'things', Key: { pk: { S: 'a' } } }));
    const b = await client.send(new GetItemCommand({ TableName: 'things', Key: { pk: { S: 'b' } } }));
    expect(a.Item?.n).toEqual({ N: '2' });
    expect(b.Item).toEqual({ pk: { S: 'b' } });

    // A failed condition cancels the whole transaction.
    await expect(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'things', Item: { pk: { S: 'c' } } } },
            {
              Put: { TableName: 'things', Item: { pk: { S: 'b' } }, ConditionExpression: 'attribute_not_exists(pk)' },
            },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    const c = await client.send(new GetItemCommand({ TableName: 'things', Key: { pk: { S: 'c' } } }));
    expect(c.Item).toBeUndefined();
  });

  it('shares one database across access keys (-sharedDb)', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'shared',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await client.send(new PutItemCommand({ TableName: 'shared', Item: { pk: { S: 'from-alice' } } }));

    const bob = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'us-east-1', credentials: credentials('bob') });
    try {
      const tables = await bob.send(new ListTablesCommand({}));
      expect(tables.TableNames).toContain('shared');
      const got = await bob.send(new GetItemCommand({ TableName: 'shared', Key: { pk: { S: 'from-alice' } } }));
      expect(got.Item).toEqual({ pk: { S: 'from-alice' } });
    } finally {
      bob.destroy();
    }
  });

  it('rejects a port that is already taken, before starting Java', async () => {
    const blocker = await occupyPort();
    try {
      const port = portOf(blocker);
      await expect(startDynamoDbLocal({ port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('explains that Java is missing when it is not on PATH', async () => {
    // A child process, so PATH can be emptied without affecting this worker.
    await expect(
      startServiceInChild('local/dynamodb-local.ts', 'startDynamoDbLocal', {}, { env: { ...process.env, PATH: '/nonexistent' } }),
    ).rejects.toThrow('Java 17+ is required for DynamoDB Local: install a JRE (e.g. apt-get install openjdk-17-jre-headless)');
  });
});

describe('fauxqs (SQS + S3)', () => {
  let service: ChildService;
  let sqs: SQSClient;
  let s3: S3Client;

  beforeAll(async () => {
    service = await startServiceInChild('local/sqs-s3.ts', 'startSqsS3', { port: 0 });
    const config = { endpoint: service.endpoint, region: LOCAL_REGION, credentials: credentials('local') };
    sqs = new SQSClient(config);
    s3 = new S3Client({ ...config, forcePathStyle: true });
  });

  afterAll(async () => {
    sqs?.destroy();
    s3?.destroy();
    await service?.close();
    if (service) {
      await expect(assertPortFree(service.port)).resolves.toBeUndefined();
      expect(() => process.kill(service.pid, 0)).toThrow(); // ESRCH: the child is gone
    }
  });

  linuxOnly('listens on 127.0.0.1 only', () => {
    expect(listeningAddresses(service.port)).toEqual(['127.0.0.1']);
  });

  it('returns queue URLs on the 127.0.0.1 endpoint and sends, receives, deletes', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
    expect(QueueUrl).toBe(`http://127.0.0.1:${service.port}/000000000000/jobs`);

    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"hello":"world"}' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(received.Messages).toHaveLength(1);
    const [message] = received.Messages!;
    expect(message!.Body).toBe('{"hello":"world"}');
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message!.ReceiptHandle }));

    const attributes = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(attributes.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  it('moves a message to the DLQ after maxReceiveCount receives', async () => {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs-dlq' }));
    const dlqArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn;
    expect(dlqArn).toMatch(/^arn:aws:sqs:.+:jobs-dlq$/);
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'jobs-with-dlq',
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));

    // Two failed attempts: receive, then make it visible again at once.
    for (let attempt = 1; attempt <= 2; attempt++) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      expect(Messages?.[0]?.Body).toBe('poison');
      await sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }),
      );
    }
    // A third receive exceeds maxReceiveCount: the message goes to the DLQ instead.
    const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(third.Messages ?? []).toHaveLength(0);

    const dead = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl, WaitTimeSeconds: 2, MessageSystemAttributeNames: ['All'] }),
    );
    expect(dead.Messages?.[0]?.Body).toBe('poison');
  });

  it('serves S3 with path-style addressing', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'exports' }));
    await s3.send(
      new PutObjectCommand({ Bucket: 'exports', Key: 'subject/1.json', Body: '{"a":1}', ContentType: 'application/json' }),
    );
    const object = await s3.send(new GetObjectCommand({ Bucket: 'exports', Key: 'subject/1.json' }));
    expect(await object.Body?.transformToString()).toBe('{"a":1}');
  });

  it('rejects a port that is already taken', async () => {
    const blocker = await occupyPort();
    try {
      const port = portOf(blocker);
      await expect(startServiceInChild('local/sqs-s3.ts', 'startSqsS3', { port })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('picks distinct free ports for separate instances', async () => {
    const other = await startServiceInChild('local/sqs-s3.ts', 'startSqsS3', {});
    try {
      expect(other.port).not.toBe(service.port);
      expect(await freePort()).not.toBe(other.port);
    } finally {
      await other.close();
    }
  });
});
