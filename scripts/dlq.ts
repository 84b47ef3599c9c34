/**
 * Ops command: look into the rights-request DLQ and send its jobs back to the worker.
 *
 *   npm run dlq -- [--local] list                  what waits in the DLQ, oldest first; nothing is consumed
 *   npm run dlq -- [--local] redrive [--max N]     up to N (default 10) jobs back to the rights-request queue
 *
 * `--local` targets `npm start` (queues `fmn-local-rightsRequest{Queue,Dlq}` at http://127.0.0.1:$SQS_S3_PORT, or
 * AWS_ENDPOINT_URL_SQS). On AWS, set RIGHTS_REQUEST_QUEUE_URL and RIGHTS_REQUEST_DLQ_URL (the stateful stack's queues) and
 * use your own credentials. Output shows message ids, receive counts, sent times and, from a JSON body, only `kind` and
 * `requestId`: jobs carry ids only, but a malformed message could hold anything, so nothing else of a body is ever shown.
 */
import { parseArgs } from 'node:util';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';

const usage = 'Usage: npm run dlq -- [--local] list | redrive [--max N]';
/** How long `list` hides what it has seen, so that later receives return other messages; restored at the end. */
const LIST_HIDE_SECONDS = 30;
/** Above this many messages, `list` stops (and says so): a DLQ that full wants a look at the cause, not a listing. */
const LIST_LIMIT = 1000;
/** Receives that may come back empty before `list` concludes it saw everything (SQS short polls sample servers). */
const EMPTY_RECEIVES = 2;

interface ListedMessage {
  readonly messageId?: string;
  readonly receiveCount: number;
  readonly sentAt?: string;
  /** The body's `kind`, or `unreadable` when the body is not JSON or the field is not a plain token. */
  readonly kind: string;
  readonly requestId?: string;
}

/** What may be shown of a message: no body content but two id-like fields, and only when they look like ids. */
function describeMessage(message: Message): ListedMessage {
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    body = undefined;
  }
  const field = (name: 'kind' | 'requestId') =>
    body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;
  // Ids and job kinds are short tokens; anything else (an email put there by mistake) is not echoed.
  const token = (value: unknown) => (typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined);
  const sent = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent).toISOString() : undefined,
    kind: token(field('kind')) ?? 'unreadable',
    requestId: token(field('requestId')),
  };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      local: { type: 'boolean', default: false },
      max: { type: 'string', default: '10' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || positionals.length !== 1 || (command !== 'list' && command !== 'redrive')) {
    (values.help ? console.log : console.error)(usage);
    return values.help ? 0 : 2;
  }
  const max = Number(values.max);
  if (!/^\d+$/.test(values.max) || max < 1) {
    console.error('--max must be a positive integer');
    return 2;
  }

  const sqs = values.local
    ? new SQSClient({
        endpoint: process.env.AWS_ENDPOINT_URL_SQS || `http://127.0.0.1:${process.env.SQS_S3_PORT || 4566}`,
        region: process.env.AWS_REGION ?? 'eu-west-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      })
    : new SQSClient({});
  try {
    const urlOf = async (localName: string, envVar: string) =>
      values.local ? (await sqs.send(new GetQueueUrlCommand({ QueueName: localName }))).QueueUrl! : requireEnv(envVar);
    const dlqUrl = await urlOf('fmn-local-rightsRequestDlq', 'RIGHTS_REQUEST_DLQ_URL');
    if (command === 'list') return await list(sqs, dlqUrl);
    const queueUrl = await urlOf('fmn-local-rightsRequestQueue', 'RIGHTS_REQUEST_QUEUE_URL');
    return await redrive(sqs, dlqUrl, queueUrl, max);
  } finally {
    sqs.destroy();
  }
}

/**
 * Lists without consuming: messages are received (hidden for a moment so the next receive returns others), described,
 * and made visible again at once, also when something fails half-way. Each receive counts in ApproximateReceiveCount;
 * the DLQ has no redrive policy of its own, so that moves nothing.
 */
async function list(sqs: SQSClient, dlqUrl: string): Promise<number> {
  const seen = new Map<string, { listed: ListedMessage; receiptHandle: string }>();
  try {
    for (let empty = 0; empty < EMPTY_RECEIVES && seen.size < LIST_LIMIT; ) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: LIST_HIDE_SECONDS,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        }),
      );
      empty = Messages.length === 0 ? empty + 1 : 0;
      for (const m of Messages) seen.set(m.MessageId!, { listed: describeMessage(m), receiptHandle: m.ReceiptHandle! });
    }
  } finally {
    await restoreVisibility(sqs, dlqUrl, [...seen.values()].map((s) => s.receiptHandle));
  }
  const listed = [...seen.values()].map((s) => s.listed).sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? ''));
  for (const entry of listed) console.log(JSON.stringify(entry));
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  console.error(
    `${listed.length} message(s) listed${seen.size >= LIST_LIMIT ? ` (stopped at ${LIST_LIMIT})` : ''}; the DLQ reports about ` +
      `${Attributes.ApproximateNumberOfMessages ?? '?'} visible and ${Attributes.ApproximateNumberOfMessagesNotVisible ?? '?'} in flight`,
  );
  return 0;
}

/**
 * Moves up to `max` messages back to the source queue, oldest receive first. Each is sent before it is deleted from the
 * DLQ: a failure in between duplicates a job (harmless, the worker is idempotent) and never loses one.
 */
async function redrive(sqs: SQSClient, dlqUrl: string, queueUrl: string, max: number): Promise<number> {
  let moved = 0;
  while (moved < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, max - moved),
        // Long enough to send and delete a batch; if the command dies, the messages simply reappear in the DLQ.
        VisibilityTimeout: 60,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    if (Messages.length === 0) break;
    for (const [i, message] of Messages.entries()) {
      try {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message.Body! }));
      } catch (error) {
        // Not sent, so not deleted: this one and the rest of the batch go back to the DLQ now rather than in a minute.
        await restoreVisibility(sqs, dlqUrl, Messages.slice(i).map((m) => m.ReceiptHandle!));
        console.error(`${moved} message(s) redriven before the failure`);
        throw error;
      }
      await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle! }));
      console.log(JSON.stringify({ redriven: describeMessage(message) }));
      moved++;
    }
  }
  console.error(`${moved} message(s) redriven to the rights-request queue`);
  return 0;
}

async function restoreVisibility(sqs: SQSClient, queueUrl: string, receiptHandles: readonly string[]): Promise<void> {
  for (let i = 0; i < receiptHandles.length; i += 10) {
    const batch = receiptHandles.slice(i, i + 10);
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((ReceiptHandle, j) => ({ Id: String(j), ReceiptHandle, VisibilityTimeout: 0 })),
      }),
    );
  }
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see the stateful stack's queues), or use --local`);
  return value;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    // The error's class and message only: SDK errors name queues and codes, never message bodies.
    console.error(`dlq failed: ${error.name}: ${error.message}`);
    process.exit(1);
  },
);
