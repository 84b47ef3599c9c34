/**
 * Runs the worker functions from the local queue the way Lambda's SQS event source does: long-poll a batch, hand it to the
 * handler as an SQS event, delete what succeeded, and leave reported failures (or the whole batch, if the handler throws)
 * to reappear after the visibility timeout. The queue's own redrive policy moves a message to the DLQ after
 * maxReceiveCount receives, exactly as on AWS.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { WorkerDefinition } from '../lambdas/routes';
import { runAs } from './field-trace';
import { invokeAs } from './lambda-context';

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface WorkerRunnerOptions {
  readonly sqs: SQSClient;
  readonly worker: WorkerDefinition;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly loadHandler: (name: string) => Promise<unknown>;
  /** Reports a batch outcome (counts only) for the console and tests. */
  readonly onBatch?: (outcome: { worker: string; received: number; failed: number }) => void;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

export function startWorker(options: WorkerRunnerOptions): RunningWorker {
  let running = true;
  const abort = new AbortController();
  const loop = (async () => {
    const handler = (await options.loadHandler(options.worker.handler)) as SqsHandler;
    while (running) {
      let messages: Message[] = [];
      try {
        const answer = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: Math.min(options.worker.batchSize, 10),
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        messages = answer.Messages ?? [];
      } catch {
        if (!running) break;
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (messages.length === 0) continue;
      const records = messages.map((m) => toRecord(m, options));
      let failedIds: Set<string>;
      try {
        const response = await runAs(`worker:${options.worker.id}`, () =>
          invokeAs(`fmn-local-${options.worker.id}`, options.worker.timeoutSeconds, handler, { Records: records }),
        );
        failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch {
        // A thrown handler fails the whole batch, as on Lambda.
        failedIds = new Set(records.map((r) => r.messageId));
      }
      const done = messages.filter((m) => !failedIds.has(m.MessageId!));
      if (done.length > 0) {
        await options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
      options.onBatch?.({ worker: options.worker.id, received: messages.length, failed: failedIds.size });
    }
  })();
  return {
    stop: async () => {
      running = false;
      abort.abort();
      await loop.catch(() => undefined);
    },
  };
}

function toRecord(message: Message, options: WorkerRunnerOptions): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { stringValue: value.StringValue, dataType: value.DataType ?? 'String' },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn,
    awsRegion: options.region,
  };
}
