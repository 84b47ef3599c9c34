/**
 * The DLQ ops command (`npm run dlq`) against the real local cloud: `list` shows what waits in the rights-request DLQ
 * without consuming it and without showing bodies, `redrive` sends jobs back to the queue, and the worker takes them.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { GetQueueAttributesCommand, GetQueueUrlCommand, PurgeQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const root = join(__dirname, '..', '..');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let cloud: LocalCloudHandle;
let sqs: SQSClient;
let queueUrl: string;
let dlqUrl: string;

beforeAll(async () => {
  cloud = await startLocalCloudProcess();
  sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials });
  queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'fmn-local-rightsRequestQueue' }))).QueueUrl!;
  dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'fmn-local-rightsRequestDlq' }))).QueueUrl!;
}, 120_000);

// Each test starts from an empty DLQ, so none depends on what another left there (or on running after it).
beforeEach(async () => {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: dlqUrl }));
  await until('the DLQ is empty', async () => JSON.stringify(await depth(dlqUrl)) === JSON.stringify({ visible: 0, inFlight: 0 }));
});

afterAll(async () => {
  sqs?.destroy();
  await cloud?.stop();
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node --import tsx scripts/dlq.ts --local …`, pointed at this suite's cloud the way an operator would. */
function dlq(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', 'dlq.ts'), '--local', ...args],
      { cwd: root, env: { ...process.env, AWS_ENDPOINT_URL_SQS: cloud.endpoints.sqsS3 } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>);

async function depth(url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
}

async function until(what: string, predicate: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('lists a parked job without consuming it, redrives it, and the worker takes it', async () => {
  // A valid job parked in the DLQ, as if it had failed for a reason since fixed.
  const probeId = randomUUID();
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify({ kind: 'probe', probeId }) }));

  const listed = await dlq('list');
  expect(listed).toMatchObject({ code: 0 });
  expect(lines(listed.stdout)).toEqual([
    { messageId: sent.MessageId, receiveCount: expect.any(Number), sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), kind: 'probe' },
  ]);
  // Only kind and requestId of a body are ever shown: not even the probe's id.
  expect(listed.stdout + listed.stderr).not.toContain(probeId);
  // Not consumed: visible again at once, and a second listing finds it too.
  expect(await depth(dlqUrl)).toEqual({ visible: 1, inFlight: 0 });
  expect(lines((await dlq('list')).stdout).map((m) => m.messageId)).toEqual([sent.MessageId]);
  expect(await depth(dlqUrl)).toEqual({ visible: 1, inFlight: 0 });

  const redriven = await dlq('redrive', '--yes');
  expect(redriven).toMatchObject({ code: 0 });
  expect(lines(redriven.stdout)).toEqual([{ redriven: expect.objectContaining({ messageId: sent.MessageId, kind: 'probe' }) }]);
  expect(redriven.stdout).not.toContain(probeId);

  // The worker consumed it: a probe completed, and both queues are empty (nothing waiting, nothing in flight).
  await until('the worker ran the probe', () => cloud.output().includes('"job done"'));
  const empty = { visible: 0, inFlight: 0 };
  await until('both queues empty', async () =>
    JSON.stringify([await depth(queueUrl), await depth(dlqUrl)]) === JSON.stringify([empty, empty]),
  );
  expect(lines((await dlq('list')).stdout)).toEqual([]);
}, 90_000);

it('lists a message holding personal data by mistake without showing it', async () => {
  const requestId = randomUUID();
  const leaky = await sqs.send(
    new SendMessageCommand({
      QueueUrl: dlqUrl,
      MessageBody: JSON.stringify({ kind: 'export', requestId, email: 'leaky.person@example.org', note: 'Ada Lovelace' }),
    }),
  );
  const notJson = await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: 'please erase ada@example.com now' }));
  // A field named like an id but holding an address is not echoed either.
  const disguised = await sqs.send(
    new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify({ kind: 'bob@example.net', requestId: 'carol@example.net' }) }),
  );

  const listed = await dlq('list');
  expect(listed).toMatchObject({ code: 0 });
  const byId = new Map(lines(listed.stdout).map((m) => [m.messageId, m]));
  expect(byId.size).toBe(3);
  expect(byId.get(leaky.MessageId)).toEqual(expect.objectContaining({ kind: 'export', requestId }));
  expect(Object.keys(byId.get(leaky.MessageId)!).sort()).toEqual(['kind', 'messageId', 'receiveCount', 'requestId', 'sentAt']);
  expect(byId.get(notJson.MessageId)).toMatchObject({ kind: 'unreadable' });
  expect(byId.get(disguised.MessageId)).toMatchObject({ kind: 'unreadable' });
  expect(byId.get(disguised.MessageId)!.requestId).toBeUndefined();
  const everything = listed.stdout + listed.stderr;
  for (const secret of ['@', 'leaky.person', 'Ada Lovelace', 'please erase', 'bob', 'carol']) expect(everything).not.toContain(secret);
  // Still there: listing consumed nothing.
  expect(await depth(dlqUrl)).toEqual({ visible: 3, inFlight: 0 });
}, 60_000);

it('refuses unknown commands and a malformed --max', async () => {
  // Something to move, so that "nothing moved" means something.
  await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: JSON.stringify({ kind: 'probe', probeId: randomUUID() }) }));
  await until('the parked message is visible', async () => (await depth(dlqUrl)).visible === 1);
  expect((await dlq('purge')).code).toBe(2);
  expect((await dlq('redrive', '--yes', '--max', '0')).code).toBe(2);
  expect((await dlq('redrive', '--yes', '--max', '1.5')).code).toBe(2);
  // Nothing moved.
  expect(await depth(dlqUrl)).toEqual({ visible: 1, inFlight: 0 });
}, 30_000);
