import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { resendDecision } from '../domain/jobs';
import { resendLostJobsJob } from '../schedules';
import { logger } from '../runtime/logger';
import { rightsContext } from '../wiring/rights';
import { scheduledJob, type JobTools } from '../runtime/scheduled-job';

const rights = rightsContext(resendLostJobsJob);
/** Requests per index page. */
const PAGE_SIZE = 100;
/** Jobs sent again per run at most: a flood of lost jobs (an SQS outage) is worked off over a few runs, not in one burst. */
const MAX_RESENDS_PER_RUN = 100;
/** Stop taking new pages this long before the Lambda timeout; the next run continues. */
const SAFETY_MARGIN_MS = 10_000;

type Outcome = 'resent' | 'waiting' | 'moved' | 'notSent';

/**
 * Every 5 minutes: jobs lost between commit and send.
 * 1. page through the `queued` partition of the byStatus index (ids, types and change times only); 2. for each request
 * quiet for the threshold (`resendDecision`), move its `updatedAt` to now, conditional on it still being queued as read
 * (a worker that took it meanwhile wins: `moved`), then send its job again; a crash between the two only delays the next
 * re-send by one period; 3. stop at MAX_RESENDS_PER_RUN or near the timeout (`complete: false`, the next run continues);
 * 4. emit the re-sent and not-sent count (alarmed above zero) and log the counts and the re-sent request ids (random ids,
 * no subject id).
 */
async function resendLostJobs(_event: ScheduledEvent, { metrics, context }: JobTools): Promise<{ counts: Record<Outcome, number>; complete: boolean }> {
  const now = new Date();
  const deps = rights(undefined);
  const counts: Record<Outcome, number> = { resent: 0, waiting: 0, moved: 0, notSent: 0 };
  const resentIds: string[] = [];
  let complete = true;
  let startKey: Record<string, unknown> | undefined;
  pages: do {
    if (context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS) {
      complete = false;
      break;
    }
    const page = await deps.requests.queuedPage(PAGE_SIZE, startKey);
    for (const request of page.requests) {
      if (resendDecision(request, now).action === 'wait') {
        counts.waiting++;
        continue;
      }
      if (counts.resent + counts.notSent >= MAX_RESENDS_PER_RUN) {
        complete = false;
        break pages;
      }
      if (!(await deps.requests.markResent(request, now))) {
        counts.moved++;
        continue;
      }
      try {
        await deps.enqueue(request);
        counts.resent++;
        resentIds.push(request.requestId);
      } catch (error) {
        // Marked but not sent: the next run after the threshold tries again; the metric raises the alarm meanwhile.
        counts.notSent++;
        logger.error('lost job not re-sent', { errorClass: (error as Error).name, requestType: request.type });
      }
    }
    startKey = page.next;
  } while (startKey);

  metrics.addMetric(resendLostJobsJob.metric.name, MetricUnit.Count, counts.resent + counts.notSent);
  logger.info('lost jobs run', { counts, complete, requestIds: resentIds });
  return { counts, complete };
}

export const handler = scheduledJob(resendLostJobsJob, resendLostJobs);
