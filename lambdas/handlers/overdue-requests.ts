import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { utcDay } from '../domain/deadlines';
import { overdueCounts } from '../domain/operations';
import { overdueRequestsJob } from '../schedules';
import { logger } from '../runtime/logger';
import { scheduledJob, type JobTools } from '../runtime/scheduled-job';
import { rightsRequests } from '../wiring/rights';

// Counts, and each awaited recipient's deadline and status: no personal attribute is read, so no audit trail.
const requests = rightsRequests(overdueRequestsJob)(undefined);

/**
 * Hourly: how many open requests are past their due date (overdue from the day after it, UTC), or wait for a recipient
 * past its own deadline (`answerBy`, Art. 19: the recipient's, within the request's month).
 * 1. count each open status on the index with `dueAt < today`; 2. among requests awaiting recipients and not counted yet,
 * count those with a recipient past its deadline (each recipient's deadline and status only); 3. emit the total as
 * `OverdueRightsRequests` (zero too, so the alarm clears); 4. log the counts: numbers only, never a request or subject id.
 */
async function countOverdue(
  _event: ScheduledEvent,
  { metrics }: JobTools,
): Promise<{ overdue: number; byStatus: Readonly<Record<string, number>>; recipientsOverdue: number }> {
  const today = utcDay(new Date());
  // The same count the operations view shows (GET /v1/admin/operations).
  const { total: overdue, byStatus, waitingOnRecipients: recipientsOverdue } = await overdueCounts(requests, today);
  metrics.addMetric(overdueRequestsJob.metric.name, MetricUnit.Count, overdue);
  logger.info('overdue rights requests counted', { overdue, byStatus, recipientsOverdue, dueBefore: today });
  return { overdue, byStatus, recipientsOverdue };
}

export const handler = scheduledJob(overdueRequestsJob, countOverdue);
