import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent, SQSRecord, SQSBatchResponse, Context } from 'aws-lambda';
import { parseJob, runJob } from '../domain/jobs';
import { logger } from '../shared/logger';

const processor = new BatchProcessor(EventType.SQS);

async function processRecord(record: SQSRecord): Promise<void> {
  logger.appendKeys({ correlationId: record.messageId });
  let job;
  try {
    job = parseJob(record.body);
  } catch (error) {
    // The class only: the body is never logged, whatever it holds.
    logger.warn('job refused', { errorClass: (error as Error).name, receiveCount: Number(record.attributes.ApproximateReceiveCount) });
    throw error;
  }
  const outcome = await runJob(job);
  logger.info('job done', { kind: outcome.kind, receiveCount: Number(record.attributes.ApproximateReceiveCount) });
}

/**
 * SQS → Lambda with partial batch responses: a failing record is retried alone and, after the queue's maxReceiveCount
 * (5), lands in the DLQ; the rest of the batch is not redelivered.
 */
export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event, context) => processPartialResponse(event, processRecord, processor, { context }));
