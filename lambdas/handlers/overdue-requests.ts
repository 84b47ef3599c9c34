import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { utcDay } from '../domain/deadlines';
import { OPEN_STATUSES } from '../domain/rights';
import { overdueRecipients } from '../domain/recipient-acks';
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
): Promise<{ overdue: number; byStatus: Record<string, number>; recipientsOverdue: number }> {
  const today = utcDay(new Date());
  const counts = await Promise.all(OPEN_STATUSES.map(async (status) => [status, await requests.countDueBefore(status, today)] as const));
  const byStatus = Object.fromEntries(counts);
  const awaiting = await requests.awaitingRecipientDeadlines(today);
  const recipientsOverdue = awaiting.filter((r) => overdueRecipients(r.recipients, today).length > 0).length;
  const overdue = counts.reduce((sum, [, n]) => sum + n, 0) + recipientsOverdue;
  metrics.addMetric(overdueRequestsJob.metric.name, MetricUnit.Count, overdue);
  logger.info('overdue rights requests counted', { overdue, byStatus, recipientsOverdue, dueBefore: today });
  return { overdue, byStatus, recipientsOverdue };
}

export const handler = scheduledJob(overdueRequestsJob, countOverdue);
