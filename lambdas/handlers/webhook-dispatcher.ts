import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { deliverWebhook, retryDelaySeconds, WebhookRejectedError } from '../domain/webhooks';
import { webhookDispatcherFor, webhookDispatchers } from './webhook-dispatcher.route';
import { intEnv } from '../runtime/env';
import { logger } from '../runtime/logger';
import { RECIPIENT_MAX_RECEIVES, recipientQueueEnvVar, type RecipientQueueId } from '../runtime/resources';
import { recordDeliveryFailure } from '../domain/recipient-acks';
import { webhookRecipientIds, type RecipientId } from '../recipients';
import { auditTrails } from '../wiring/audit';
import { rightsRequests } from '../wiring/rights';
import { sqsClient } from '../runtime/sqs';
import { webhookDeps } from '../wiring/webhooks';

const processor = new BatchProcessor(EventType.SQS);
/** Per recipient (one dispatcher per webhook recipient, all on this handler), built on first need: its audit trail and requests. */
const failureRecorders = new Map<RecipientId, { trails: NonNullable<ReturnType<typeof auditTrails>>; requests: ReturnType<typeof rightsRequests> }>();
function failureRecorderOf(recipient: RecipientId) {
  let recorder = failureRecorders.get(recipient);
  if (!recorder) {
    const worker = webhookDispatcherFor(recipient);
    recorder = { trails: auditTrails(worker, 'worker')!, requests: rightsRequests(worker) };
    failureRecorders.set(recipient, recorder);
  }
  return recorder;
}
/** The webhook recipient a message is addressed to, if it names one. */
function recipientOfBody(body: string): RecipientId | undefined {
  try {
    const named = (JSON.parse(body) as { recipient?: unknown }).recipient;
    return webhookRecipientIds().find((id) => id === named);
  } catch {
    return undefined;
  }
}
const deps = webhookDeps();
/** The first retry waits up to this long, each next one up to twice as long (capped): about 2 hours over 5 tries by default. */
const RETRY = { baseSeconds: intEnv('WEBHOOK_RETRY_BASE_SECONDS', 60), capSeconds: 12 * 3600 };
/** The queue URLs this function was given (its own recipient's), found by the queue name that ends the record's ARN. */
const queueUrls = webhookDispatchers
  .map((worker) => process.env[recipientQueueEnvVar(worker.queue as RecipientQueueId)])
  .filter((url): url is string => !!url);
const queueUrlOf = (arn: string) => queueUrls.find((url) => url.endsWith(`/${arn.slice(arn.lastIndexOf(':') + 1)}`));

async function processRecord(record: SQSRecord): Promise<void> {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  try {
    const { recipient, webhookId } = await deliverWebhook(deps, record.body);
    logger.info('webhook delivered', { recipient, webhookId, receiveCount });
  } catch (error) {
    // Backoff: the message stays hidden for the delay instead of the queue's 5 minutes; after the last try, none (to the DLQ).
    const lastTry = receiveCount >= RECIPIENT_MAX_RECEIVES;
    const retryInSeconds = lastTry ? 0 : retryDelaySeconds(receiveCount, RETRY);
    const queueUrl = queueUrlOf(record.eventSourceARN);
    if (queueUrl) {
      await sqsClient()
        .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: retryInSeconds }))
        .catch((e: Error) => logger.warn('visibility not changed', { errorClass: e.name }));
    }
    // Class and status only: the body carries the subject's identifiers, and the recipient's answer is not ours to log.
    logger.warn('webhook not delivered', {
      errorClass: (error as Error).name,
      ...(error instanceof WebhookRejectedError ? { status: error.status } : {}),
      receiveCount,
      retryInSeconds,
    });
    const recipient = lastTry ? recipientOfBody(record.body) : undefined;
    if (recipient) {
      // To the DLQ next: the erasure or export it was about shows this recipient failed (a failure here only logs).
      const recorder = failureRecorderOf(recipient);
      const audit = recorder.trails({ actorRole: 'worker', correlationId: record.messageId });
      await recordDeliveryFailure({ requests: recorder.requests(audit), now: () => new Date() }, recipient, record.body)
        .then(async (marked) => {
          await audit.flushReads('success');
          if (marked) logger.info('recipient marked failed on its request', { recipient });
        })
        .catch((e: Error) => logger.error('recipient not marked failed', { errorClass: e.name }));
    }
    throw error;
  }
}

/**
 * SQS → Lambda with partial batch responses: a failed delivery is retried alone, after its backoff, and lands in the
 * recipient's DLQ after the 5th try; the others of the batch are deleted.
 */
export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event, context) => processPartialResponse(event, processRecord, processor, { context }));
