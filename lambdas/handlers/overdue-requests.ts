import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { queryCount } from '../adapters/dynamo-paging';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { utcDay } from '../domain/deadlines';
import { OPEN_STATUSES, type RequestStatus } from '../domain/rights';
import { overdueRequestsJob } from '../schedules';
import { dynamodb } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { declaredStores } from '../shared/stores';

const table = declaredStores(overdueRequestsJob).table('rightsRequests');
// Powertools adds its `service` dimension to these; the alarm in lib/api-stack.ts watches the same pair.
const metrics = new Metrics({
  namespace: overdueRequestsJob.metric.namespace,
  serviceName: 'forget-me-not',
  defaultDimensions: { stage: requireEnv('STAGE') },
});

/**
 * Open requests in `status` due before `day` (exclusive), counted on the byStatus index (status, dueAt). `Select: COUNT`
 * returns no attributes at all: the index projects whole items, erasure identifiers included, and a count needs none.
 */
function countDueBefore(status: RequestStatus, day: string): Promise<number> {
  return queryCount(dynamodb, {
    TableName: table,
    IndexName: 'byStatus',
    KeyConditionExpression: '#status = :status AND #dueAt < :day',
    ExpressionAttributeNames: { '#status': 'status', '#dueAt': 'dueAt' },
    ExpressionAttributeValues: { ':status': status, ':day': day },
  });
}

/**
 * Hourly: how many open requests are past their due date (overdue from the day after it, UTC).
 * 1. count each open status on the index with `dueAt < today`, 2. emit the total as `OverdueRightsRequests` (zero too, so
 * the alarm clears), 3. log the counts: numbers only, never a request or subject id.
 */
async function countOverdue(_event: ScheduledEvent): Promise<{ overdue: number; byStatus: Record<string, number> }> {
  const today = utcDay(new Date());
  const counts = await Promise.all(OPEN_STATUSES.map(async (status) => [status, await countDueBefore(status, today)] as const));
  const byStatus = Object.fromEntries(counts);
  const overdue = counts.reduce((sum, [, n]) => sum + n, 0);
  metrics.addMetric(overdueRequestsJob.metric.name, MetricUnit.Count, overdue);
  logger.info('overdue rights requests counted', { overdue, byStatus, dueBefore: today });
  return { overdue, byStatus };
}

export const handler = middy(countOverdue).use(injectLambdaContext(logger)).use(logMetrics(metrics));
