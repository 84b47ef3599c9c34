/**
 * Ops command: look into the rights-request DLQ and send its jobs back.
 *
 *   npm run dlq -- --local list                 what waits in the DLQ (not consumed)
 *   npm run dlq -- --local redrive [--max 10]   back to the rights-request queue, oldest first
 *
 * On AWS, set RIGHTS_REQUEST_QUEUE_URL and RIGHTS_REQUEST_DLQ_URL (the stateful stack's queues). A listing shows ids,
 * receive counts and the job's kind and request id only: a malformed message could hold anything, so bodies are not shown.
 */
import { parseArgs } from 'node:util';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    local: { type: 'boolean', default: false },
    max: { type: 'string', default: '10' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const usage = 'Usage: npm run dlq -- [--local] list | redrive [--max N]';

function describe(message: Message) {
  let kind: unknown;
  let requestId: unknown;
  try {
    ({ kind, requestId } = JSON.parse(message.Body ?? '') as { kind?: unknown; requestId?: unknown });
  } catch {
    // not JSON: shown as unreadable
  }
  const safe = (v: unknown) => (typeof v === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(v) ? v : undefined);
  return {
    messageId: message.MessageId,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    sentAt: message.Attributes?.SentTimestamp ? new Date(Number(message.Attributes.SentTimestamp)).toISOString() : undefined,
    kind: safe(kind) ?? 'unreadable',
    requestId: safe(requestId),
  };
}

async function main(): Promise<number> {
  const command = positionals[0];
  if (values.help || (command !== 'list' && command !== 'redrive')) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const max = Number(values.max);
  if (!Number.isInteger(max) || max < 1) {
    console.error('--max must be a positive integer');
    return 2;
  }
  const endpoint = values.local ? (process.env.AWS_ENDPOINT_URL_SQS ?? `http://127.0.0.1:${process.env.SQS_S3_PORT ?? 4566}`) : undefined;
  const sqs = new SQSClient(
    values.local
      ? { endpoint, region: process.env.AWS_REGION ?? 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {},
  );
  const urlOf = async (name: string, envVar: string) =>
    values.local ? (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl! : requireEnv(envVar);
  const dlqUrl = await urlOf('fmn-local-rightsRequestDlq', 'RIGHTS_REQUEST_DLQ_URL');

  if (command === 'list') {
    // Received with a short visibility, then made visible again at once: listing consumes nothing.
    const seen = new Map<string, ReturnType<typeof describe>>();
    for (let round = 0; round < 10 && seen.size < max; round++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 5, MessageSystemAttributeNames: ['All'], WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) break;
      for (const m of Messages) seen.set(m.MessageId!, describe(m));
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: dlqUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    }
    for (const entry of seen.values()) console.log(JSON.stringify(entry));
    console.error(`${seen.size} message(s) in the DLQ`);
    return 0;
  }

  const queueUrl = await urlOf('fmn-local-rightsRequestQueue', 'RIGHTS_REQUEST_QUEUE_URL');
  let moved = 0;
  while (moved < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: Math.min(10, max - moved), VisibilityTimeout: 30, MessageSystemAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      // Sent first, deleted after: a crash in between duplicates a job (harmless, jobs are idempotent), never loses one.
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message.Body! }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle! }));
      console.log(JSON.stringify({ redriven: describe(message) }));
      moved++;
    }
  }
  console.error(`${moved} message(s) redriven`);
  sqs.destroy();
  return 0;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}, or use --local`);
  return value;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`dlq failed: ${error.name}: ${error.message}`);
    process.exit(1);
  },
);
