import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseJob } from '../domain/jobs';
import { rightsRequestWorker } from './rights-request-worker.route';
import { ErasureLeftoversError, runRequestJob } from '../domain/request-jobs';
import { logger } from '../runtime/logger';
import { auditTrails } from '../wiring/audit';
import { requestJobContext } from '../wiring/jobs';
import { failScopeJob, runScopeJob } from '../domain/incidents';
import { scopeJobContext } from '../wiring/incident-scope';
import { BreachScopeInputError } from '../adapters/dynamo-breach-scope';

const processor = new BatchProcessor(EventType.SQS);
const trails = auditTrails(rightsRequestWorker, 'worker')!;
const jobs = requestJobContext(rightsRequestWorker);
const scopeJobs = scopeJobContext(rightsRequestWorker);
/** SQS redrive: the fifth failed receive is the last before the DLQ. */
const LAST_RECEIVE = 5;

async function processRecord(record: SQSRecord): Promise<void> {
  logger.appendKeys({ correlationId: record.messageId });
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  let job;
  try {
    job = parseJob(record.body);
  } catch (error) {
    // The class only: the body is never logged, whatever it holds.
    logger.warn('job refused', { errorClass: (error as Error).name, receiveCount });
    throw error;
  }
  if (job.kind === 'probe') {
    logger.info('job done', { kind: job.kind, receiveCount });
    return;
  }
  const audit = trails({ actorRole: 'worker', correlationId: record.messageId });
  if (job.kind === 'breach-scope') {
    try {
      const outcome = await runScopeJob(scopeJobs(audit), job);
      logger.info('job done', { kind: job.kind, outcome, receiveCount });
    } catch (error) {
      // A window or store the computation refuses will be refused on every try: record the failure now, no retries.
      if (error instanceof BreachScopeInputError) {
        logger.warn('job refused', { kind: job.kind, errorClass: error.name, receiveCount });
        await failScopeJob(scopeJobs(audit), job);
        return;
      }
      logger.error('job failed', { kind: job.kind, errorClass: (error as Error).name, error: error instanceof Error ? error : typeof error, receiveCount });
      // The last delivery marks the scope failed (the console stops waiting); the message then goes to the DLQ.
      if (receiveCount >= LAST_RECEIVE) await failScopeJob(scopeJobs(audit), job).catch(() => undefined);
      throw error;
    }
    return;
  }
  try {
    const outcome = await runRequestJob(jobs(audit), job, { receiveCount });
    if (outcome === 'missing') logger.warn('job for no such request', { kind: job.kind });
    logger.info('job done', { kind: job.kind, outcome: outcome === 'missing' ? 'skipped' : outcome, receiveCount });
  } catch (error) {
    if (error instanceof ErasureLeftoversError) logger.error('erasure verification found data', { stores: error.stores });
    // Class and stack frames only (the formatter drops the message); the batch reports the record as failed and SQS
    // redelivers it (DLQ after 5 receives).
    logger.error('job failed', { kind: job.kind, errorClass: (error as Error).name, error: error instanceof Error ? error : typeof error, receiveCount });
    throw error;
  }
}

/**
 * SQS → Lambda with partial batch responses: a failing record is retried alone and, after the queue's maxReceiveCount
 * (5), lands in the DLQ; the rest of the batch is not redelivered. Every job is idempotent and resumable (see
 * `domain/request-jobs.ts`), so a redelivery after a crash continues where the last run stopped.
 */
export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event, context) => processPartialResponse(event, processRecord, processor, { context }));
