import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { queryCount } from '../adapters/dynamo-paging';
import { utcDay } from '../domain/deadlines';
import { OPEN_STATUSES, type RequestStatus } from '../domain/rights';
import { overdueRequestsJob } from '../schedules';
import { dynamodb } from '../shared/clients';
import { logger } from '../shared/logger';
import { scheduledJob, type JobTools } from '../shared/scheduled-job';
import { declaredStores } from '../shared/stores';

const table = declaredStores(overdueRequestsJob).table('rightsRequests');

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
async function countOverdue(_event: ScheduledEvent, { metrics }: JobTools): Promise<{ overdue: number; byStatus: Record<string, number> }> {
  const today = utcDay(new Date());
  const counts = await Promise.all(OPEN_STATUSES.map(async (status) => [status, await countDueBefore(status, today)] as const));
  const byStatus = Object.fromEntries(counts);
  const overdue = counts.reduce((sum, [, n]) => sum + n, 0);
  metrics.addMetric(overdueRequestsJob.metric.name, MetricUnit.Count, overdue);
  logger.info('overdue rights requests counted', { overdue, byStatus, dueBefore: today });
  return { overdue, byStatus };
}

export const handler = scheduledJob(overdueRequestsJob, countOverdue);
