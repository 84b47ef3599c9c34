/**
 * The DLQ ops command against the local cloud: a poison message reaches the DLQ after five receives, `dlq list` shows what
 * waits there without consuming it (and without showing bodies), and `dlq redrive` sends jobs back to the worker.
 */
import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { runOpsCommand } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

let cloud: LocalCloudHandle;
let sqs: SQSClient;
let dlqUrl: string;

beforeAll(async () => {
  cloud = await startLocalCloudProcess(['--visibility-timeout', '1']);
  sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'fmn-local-rightsRequestDlq' }))).QueueUrl!;
});

afterAll(async () => {
  sqs?.destroy();
  await cloud?.stop();
});

async function depth(url: string) {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
}

async function until(predicate: () => Promise<boolean>, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

const dlq = (...args: string[]) => runOpsCommand(cloud, 'dlq', args, '', { AWS_ENDPOINT_URL_SQS: cloud.endpoints.sqsS3 });

it('lists without consuming or revealing bodies, and redrives jobs to the worker', async () => {
  const poison = JSON.stringify({ kind: 'export', email: 'leaky.person@example.org' });
  await sqs.send(new SendMessageCommand({ QueueUrl: cloud.env.RIGHTS_REQUEST_QUEUE_URL, MessageBody: poison }));
  // Five failed receives (1 s visibility each) and SQS moves it to the DLQ.
  await until(async () => (await depth(dlqUrl)) === 1);

  // A job that failed for a reason since fixed, parked in the DLQ by hand.
  const probeId = randomUUID();
  await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify({ kind: 'probe', probeId }) }));

  const listed = await dlq('list');
  expect(listed.code).toBe(0);
  const entries = listed.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(entries.map((e) => e.kind).sort()).toEqual(['export', 'probe']);
  expect(entries.find((e) => e.kind === 'export').receiveCount).toBeGreaterThanOrEqual(1);
  expect(listed.stdout).not.toContain('leaky.person');
  await until(async () => (await depth(dlqUrl)) === 2, 10_000);

  const redriven = await dlq('redrive', '--max', '10');
  expect(redriven.code).toBe(0);
  expect(redriven.stdout.trim().split('\n')).toHaveLength(2);
  expect(redriven.stdout).not.toContain('leaky.person');

  // The probe runs; the poison fails five more times and is back in the DLQ, alone.
  await until(async () => cloud.output().includes('"job done"'));
  await until(async () => (await depth(cloud.env.RIGHTS_REQUEST_QUEUE_URL)) === 0 && (await depth(dlqUrl)) === 1);
  expect(cloud.output()).not.toContain('leaky.person');
}, 120_000);
