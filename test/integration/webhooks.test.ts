/**
 * The webhook dispatcher in the local cloud (issue 14 item 3): the email provider's webhook is an HTTPS server of this test,
 * with a self-signed certificate the dispatcher trusts only through LOCAL_WEBHOOK_CA_FILE. Events published to the topic
 * reach it signed the Standard Webhooks way (the `standardwebhooks` verifier accepts them with the secret `fmn recipients
 * secret` prints); a failed delivery is retried with the same webhook-id, and a receiver that fails every try sends the
 * message to the recipient's DLQ after the 5th.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { Webhook } from 'standardwebhooks';
import { snsRecipientEventPublisher } from '../../lambdas/adapters/sns-recipient-events';
import { messageId, type RecipientEvent } from '../../lambdas/domain/recipient-events';
import { recipientDlqId, recipientQueueEnvVar, recipientQueueId, topicEnvVar } from '../../lambdas/runtime/resources';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

interface Received {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the receiver answers: 204, 503 on every try, or 503 on each message's first try only. */
let mode: 'ok' | 'always-fail' | 'fail-first' = 'ok';
const received: Received[] = [];
const triedIds = new Set<string>();

let dir: string;
let server: Server;
let cloud: LocalCloudHandle;
let sqs: SQSClient;
let sns: SNSClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fmn-webhook-'));
  // A self-signed certificate for 127.0.0.1: its own CA, trusted by the dispatcher only through the local cloud's variable.
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      received.push({ headers, body });
      const id = headers['webhook-id'];
      const fail = mode === 'always-fail' || (mode === 'fail-first' && !triedIds.has(id));
      triedIds.add(id);
      res.writeHead(fail ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  cloud = await startLocalCloudProcess([], {
    LOCAL_WEBHOOK_URLS: JSON.stringify({ 'email-provider': `https://127.0.0.1:${port}/hooks/forget-me-not` }),
    LOCAL_WEBHOOK_CA_FILE: join(dir, 'cert.pem'),
    // Backoff from 1 s (doubling, full jitter), so five tries take seconds, not hours.
    WEBHOOK_RETRY_BASE_SECONDS: '1',
  });
  sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials });
  sns = new SNSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials });
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  sns?.destroy();
  await cloud?.stop();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const publish = (event: RecipientEvent) => snsRecipientEventPublisher(sns, cloud.env[topicEnvVar('recipientEvents')]).publish(event);

function erasureOf(requestId: string): RecipientEvent {
  return {
    type: 'erasure',
    source: { kind: 'rights-request', id: requestId },
    subject: { subjectId: randomUUID(), email: `s-${randomUUID().slice(0, 8)}@example.org` },
    at: new Date().toISOString(),
  };
}

async function until<T>(what: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const deliveriesOf = (webhookId: string) => received.filter((r) => r.headers['webhook-id'] === webhookId);

/** The email provider's signing secret, as an operator reads it for the recipient (`fmn recipients secret`). */
function secretFromCli(...extra: string[]): string {
  const secret = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'cli', 'fmn.ts'), 'recipients', 'secret', 'email-provider', '--local', ...extra], {
    env: { ...process.env, AWS_ENDPOINT_URL_KMS: cloud.endpoints.kms, AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.dynamodb },
    encoding: 'utf8',
  }).trim();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  return secret;
}

it('delivers over HTTPS with a Standard Webhooks signature the verifier accepts, the message id as webhook-id', async () => {
  mode = 'ok';
  const event = erasureOf(randomUUID());
  expect(await publish(event)).toContain('email-provider');
  const id = messageId(event.source, 'email-provider', 'erasure');
  const [delivery] = await until(() => deliveriesOf(id), (d) => d.length > 0);
  expect(delivery).toBeDefined();

  const verified = new Webhook(secretFromCli()).verify(delivery.body, delivery.headers) as Record<string, unknown>;
  expect(verified).toMatchObject({ id, type: 'erasure', recipient: 'email-provider', subject: { email: event.subject.email } });
  expect(Math.abs(Number(delivery.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
  // another secret does not verify it: the signature is the recipient's own
  expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(delivery.body, delivery.headers)).toThrow();
}, 90_000);

it('fmn recipients secret --secret-version derives another version\'s secret (a rotation), the declared one by default', () => {
  const declared = secretFromCli();
  expect(secretFromCli('--secret-version', '1')).toBe(declared);
  const next = secretFromCli('--secret-version', '2');
  expect(next).not.toBe(declared);
  expect(secretFromCli('--secret-version', '2')).toBe(next);
}, 90_000);

it('a failed try is retried, and a duplicate delivery keeps the same webhook-id', async () => {
  mode = 'fail-first';
  const event = erasureOf(randomUUID());
  await publish(event);
  const id = messageId(event.source, 'email-provider', 'erasure');
  const twice = await until(() => deliveriesOf(id), (d) => d.length >= 2);
  expect(twice).toHaveLength(2);
  // the same event published again (a retried job) is delivered again under the same id
  await publish(event);
  const thrice = await until(() => deliveriesOf(id), (d) => d.length >= 3);
  expect(thrice.map((d) => d.headers['webhook-id'])).toEqual([id, id, id]);
  expect(new Set(thrice.map((d) => d.body)).size).toBe(1);
}, 90_000);

it('a receiver that fails every try gets 5 tries, then the message is in the recipient DLQ', async () => {
  mode = 'always-fail';
  const event = erasureOf(randomUUID());
  await publish(event);
  const id = messageId(event.source, 'email-provider', 'erasure');
  const dlq = cloud.env[recipientQueueEnvVar(recipientDlqId('email-provider'))];
  const inDlq: Message[] = [];
  await until(
    async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (Messages.length > 0) {
        inDlq.push(...Messages);
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: dlq, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
      return inDlq;
    },
    (m) => m.length > 0,
    80_000,
  );
  expect(inDlq.map((m) => JSON.parse(m.Body!).id)).toEqual([id]);
  expect(deliveriesOf(id)).toHaveLength(5);
  // nothing of it is left on the recipient's queue
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: cloud.env[recipientQueueEnvVar(recipientQueueId('email-provider'))], WaitTimeSeconds: 0 }),
  );
  expect(Messages).toEqual([]);
}, 120_000);
