/**
 * The one way to make a scheduled job's handler, as `httpRoute` is for routes: the logger with the Lambda context, and
 * the one Metrics configuration every job shares (the job's namespace from `schedules.ts`, our service name, the `stage`
 * dimension), published after each run. The alarms in lib/ watch the same namespace, name and `stage` dimension.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { ScheduleDefinition } from '../schedules';
import { requireEnv } from './env';
import { logger } from './logger';

/** What a job's run receives besides its event. */
export interface JobTools {
  /** Add the run's metrics here; they are published when the run ends, successful or not. */
  readonly metrics: Metrics;
  readonly context: Context;
}

/** Call at module scope: reads the stage once per cold start. */
export function scheduledJob<R>(job: Pick<ScheduleDefinition, 'metric'>, run: (event: ScheduledEvent, tools: JobTools) => Promise<R>) {
  const metrics = new Metrics({
    namespace: job.metric.namespace,
    serviceName: 'forget-me-not',
    defaultDimensions: { stage: requireEnv('STAGE') },
    // Its warnings go through our structured logger, not straight to stdout.
    logger,
  });
  const counted = async (event: ScheduledEvent, context: Context): Promise<R> => {
    try {
      return await run(event, { metrics, context });
    } catch (error) {
      // A failed run still publishes something to count (and alarm) on, instead of an empty set and Powertools' warning.
      metrics.addMetric('RunFailed', MetricUnit.Count, 1);
      throw error;
    }
  };
  return middy(counted)
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}
