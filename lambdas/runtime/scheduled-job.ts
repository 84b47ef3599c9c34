/**
 * The one way to make a scheduled job's handler, as `httpRoute` is for routes: the logger with the Lambda context, the
 * one Metrics configuration every job shares (the job's namespace from `schedules.ts`, our service name, the `stage`
 * dimension), published after each run, and the record of each run's end (`domain/job-runs.ts`) that the operations view
 * shows. The alarms in lib/ watch the same namespace, name and `stage` dimension.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { ScheduleDefinition } from '../schedules';
import { DynamoJobRunLog } from '../adapters/dynamo-job-runs';
import { finishedRun, type JobRunLog } from '../domain/job-runs';
import { dynamodb } from './clients';
import { requireEnv } from './env';
import { logger } from './logger';
import { declaredStores } from './stores';

/** Before Lambda's own timeout ends a run (and its `finally`), the run is recorded as timed out: this long before. */
const TIMEOUT_RECORD_MARGIN_MS = 2_000;

/** What a job's run receives besides its event. */
export interface JobTools {
  /** Add the run's metrics here; they are published when the run ends, successful or not. */
  readonly metrics: Metrics;
  readonly context: Context;
}

/**
 * Call at module scope: reads the stage and the jobRuns table's name once per cold start. `runLog` is for unit tests; by
 * default the runs go to the jobRuns table the job declares (`JOB_RUN_WRITE` in schedules.ts).
 */
export function scheduledJob<R>(
  job: Pick<ScheduleDefinition, 'id' | 'metric' | 'personalData'>,
  run: (event: ScheduledEvent, tools: JobTools) => Promise<R>,
  runLog: JobRunLog = new DynamoJobRunLog(dynamodb, declaredStores(job).table('jobRuns')),
) {
  const metrics = new Metrics({
    namespace: job.metric.namespace,
    serviceName: 'forget-me-not',
    defaultDimensions: { stage: requireEnv('STAGE') },
    // Its warnings go through our structured logger, not straight to stdout.
    logger,
  });
  // Never fails the run: a run that did its work is not undone by a record that could not be written.
  const record = async (ending: Parameters<typeof finishedRun>[3], startedAt: Date) => {
    try {
      await runLog.record(finishedRun(job.id, startedAt, new Date(), ending));
    } catch (error) {
      logger.error('the run of a scheduled job could not be recorded', { job: job.id, error: (error as Error).name });
    }
  };
  const counted = async (event: ScheduledEvent, context: Context): Promise<R> => {
    const startedAt = new Date();
    let ending: Parameters<typeof finishedRun>[3] = { error: new Error('the run did not end') };
    // Lambda ends a run at its timeout without running `finally`: record it as timed out just before. A run that still
    // ends in time records its real outcome over this one (same start, so the log's condition lets it).
    const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
    const timeout =
      remaining !== undefined && remaining > TIMEOUT_RECORD_MARGIN_MS
        ? setTimeout(() => void record({ error: timedOut() }, startedAt), remaining - TIMEOUT_RECORD_MARGIN_MS)
        : undefined;
    timeout?.unref?.();
    try {
      const result = await run(event, { metrics, context });
      ending = { result };
      return result;
    } catch (error) {
      // A failed run still publishes something to count (and alarm) on, instead of an empty set and Powertools' warning.
      metrics.addMetric('RunFailed', MetricUnit.Count, 1);
      ending = { error };
      throw error;
    } finally {
      clearTimeout(timeout);
      await record(ending, startedAt);
    }
  };
  return middy(counted)
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

function timedOut(): Error {
  const error = new Error('the run reached its timeout');
  error.name = 'TimedOut';
  return error;
}
