import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { utcDay } from '../domain/deadlines';
import { OPEN_STATUSES } from '../domain/rights';
import { overdueRequestsJob } from '../schedules';
import { logger } from '../runtime/logger';
import { scheduledJob, type JobTools } from '../runtime/scheduled-job';
import { rightsRequests } from '../wiring/rights';

// Counts only: no personal attribute is read, so no audit trail.
const requests = rightsRequests(overdueRequestsJob)(undefined);

/**
 * Hourly: how many open requests are past their due date (overdue from the day after it, UTC).
 * 1. count each open status on the index with `dueAt < today`, 2. emit the total as `OverdueRightsRequests` (zero too, so
 * the alarm clears), 3. log the counts: numbers only, never a request or subject id.
 */
async function countOverdue(_event: ScheduledEvent, { metrics }: JobTools): Promise<{ overdue: number; byStatus: Record<string, number> }> {
  const today = utcDay(new Date());
  const counts = await Promise.all(OPEN_STATUSES.map(async (status) => [status, await requests.countDueBefore(status, today)] as const));
  const byStatus = Object.fromEntries(counts);
  const overdue = counts.reduce((sum, [, n]) => sum + n, 0);
  metrics.addMetric(overdueRequestsJob.metric.name, MetricUnit.Count, overdue);
  logger.info('overdue rights requests counted', { overdue, byStatus, dueBefore: today });
  return { overdue, byStatus };
}

export const handler = scheduledJob(overdueRequestsJob, countOverdue);
