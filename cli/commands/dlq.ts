/**
 * `fmn dlq list|redrive`: look into the rights-request DLQ and send its jobs back to the worker (was scripts/dlq.ts).
 *
 * Output shows message ids, receive counts, sent times and, from a JSON body, only `kind` and `requestId` (or, for an
 * incident's scope job, `incidentId`): jobs carry ids only, but a malformed message could hold anything, so nothing else
 * of a body is ever shown.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { nameResourcesOnErrors } from '../aws-errors';
import { commandGroup, confirm, globalOptions, positiveInt, withExamples, withSafetyRails, type CliContext, type Io, type SafetyOptions } from '../command';
import { note, printRows, progress, type Column } from '../output';
import { queueEnvVar } from '../../lambdas/runtime/resources';
import { useTarget } from '../target';

/** How long `list` hides what it has seen, so that later receives return other messages; restored at the end. */
const LIST_HIDE_SECONDS = 30;
/** Above this many messages, `list` stops (and says so): a DLQ that full wants a look at the cause, not a listing. */
const LIST_LIMIT = 1000;
/** Receives that may come back empty before `list` concludes it saw everything (SQS short polls sample servers). */
const EMPTY_RECEIVES = 2;

export interface ListedMessage {
  readonly messageId?: string;
  readonly receiveCount: number;
  readonly sentAt?: string;
  /** The body's `kind`, or `unreadable` when the body is not JSON or the field is not a plain token. */
  readonly kind: string;
  readonly requestId?: string;
  /** A breach-scope job's incident (its record is in the console's breach register). */
  readonly incidentId?: string;
}

const COLUMNS: readonly Column<ListedMessage>[] = [
  { header: 'message id', value: (m) => m.messageId },
  { header: 'kind', value: (m) => m.kind },
  { header: 'request or incident id', value: (m) => m.requestId ?? m.incidentId },
  { header: 'receives', value: (m) => m.receiveCount },
  { header: 'sent at', value: (m) => m.sentAt },
];

/** What may be shown of a message: no body content but two id-like fields, and only when they look like ids. */
export function describeMessage(message: Message): ListedMessage {
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    body = undefined;
  }
  const field = (name: 'kind' | 'requestId' | 'incidentId') =>
    body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;
  // Ids and job kinds are short tokens; anything else (an email put there by mistake) is not echoed.
  const token = (value: unknown) => (typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined);
  const sent = Number(message.Attributes?.SentTimestamp);
  const incidentId = token(field('incidentId'));
  return {
    messageId: message.MessageId,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent).toISOString() : undefined,
    kind: token(field('kind')) ?? 'unreadable',
    requestId: token(field('requestId')),
    ...(incidentId ? { incidentId } : {}),
  };
}

export function registerDlq(program: Command, { io }: CliContext): void {
  const dlq = commandGroup(program, 'dlq', 'Look into the rights-request dead-letter queue and redrive its jobs.');
  withExamples(dlq, ['fmn dlq list --local', 'fmn dlq redrive --max 5 --profile prod --region eu-west-1']);

  withExamples(
    dlq
      .command('list')
      .description('What waits in the DLQ, oldest first; nothing is consumed and no message body is shown.')
      .action(async (_options, command: Command) => {
        const options = globalOptions(command);
        await useTarget(options, { queues: ['rightsRequestDlq'] });
        await withSqs((sqs) => list(io, sqs, process.env[queueEnvVar('rightsRequestDlq')]!, options.json));
      }),
    ['fmn dlq list --local', 'fmn dlq list --json --profile prod   # RIGHTS_REQUEST_DLQ_QUEUE_URL set'],
  );

  withExamples(
    withSafetyRails(
      dlq
        .command('redrive')
        .description('Send up to --max jobs back to the rights-request queue, oldest first (sent before deleted: never lost).')
        .option('--max <n>', 'how many messages to move at most', positiveInt, 10),
    ).action(async (options: { max: number } & SafetyOptions, command: Command) => {
      const global = globalOptions(command);
      const target = await useTarget(global, { queues: ['rightsRequestDlq', 'rightsRequestQueue'] });
      const dlqUrl = process.env[queueEnvVar('rightsRequestDlq')]!;
      const queueUrl = process.env[queueEnvVar('rightsRequestQueue')]!;
      await withSqs(async (sqs) => {
        if (options.dryRun) {
          // What waits, shown without consuming it: the first --max of these would move.
          await list(io, sqs, dlqUrl, global.json);
          note(io, `dry run: would redrive up to ${options.max} of these (oldest first) to the rights-request queue; nothing was moved`);
          return;
        }
        await confirm(io, `redrive up to ${options.max} message(s) from the DLQ to the rights-request queue on ${target.description}`, options.yes);
        await redrive(io, sqs, dlqUrl, queueUrl, options.max, global.json);
      });
    }),
    ['fmn dlq redrive --local --dry-run', 'fmn dlq redrive --local --yes', 'fmn dlq redrive --max 100 --json --stage prod --yes'],
  );
}

async function withSqs<T>(use: (sqs: SQSClient) => Promise<T>): Promise<T> {
  // Built after useTarget: the client reads AWS_ENDPOINT_URL_SQS, region and credentials when constructed.
  const sqs = nameResourcesOnErrors(new SQSClient({}));
  try {
    return await use(sqs);
  } finally {
    sqs.destroy();
  }
}

/**
 * Lists without consuming: messages are received (hidden for a moment so the next receive returns others), described,
 * and made visible again at once, also when something fails half-way. Each receive counts in ApproximateReceiveCount;
 * the DLQ has no redrive policy of its own, so that moves nothing.
 */
async function list(io: Io, sqs: SQSClient, dlqUrl: string, json: boolean | undefined): Promise<void> {
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
  printRows(io, json, listed, COLUMNS);
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  note(
    io,
    `${listed.length} message(s) listed${seen.size >= LIST_LIMIT ? ` (stopped at ${LIST_LIMIT})` : ''}; the DLQ reports about ` +
      `${Attributes.ApproximateNumberOfMessages ?? '?'} visible and ${Attributes.ApproximateNumberOfMessagesNotVisible ?? '?'} in flight`,
  );
}

/**
 * Moves up to `max` messages back to the source queue, oldest receive first. Each is sent before it is deleted from the
 * DLQ: a failure in between duplicates a job (harmless, the worker is idempotent) and never loses one.
 */
async function redrive(io: Io, sqs: SQSClient, dlqUrl: string, queueUrl: string, max: number, json: boolean | undefined): Promise<void> {
  const moved: ListedMessage[] = [];
  const bar = progress(io, 'redrive', max, 'messages');
  try {
    while (moved.length < max) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: Math.min(10, max - moved.length),
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
          bar.stop();
          note(io, `${moved.length} message(s) redriven before the failure`);
          throw error;
        }
        await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle! }));
        const described = describeMessage(message);
        moved.push(described);
        bar.increment();
        // Printed as each one moves, so an interrupted run still shows what it did.
        if (json) io.out(`${JSON.stringify({ redriven: described })}\n`);
      }
    }
  } finally {
    bar.stop();
  }
  if (!json) printRows(io, false, moved, COLUMNS);
  note(io, `${moved.length} message(s) redriven to the rights-request queue`);
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
