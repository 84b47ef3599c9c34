import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { DRAIN_BATCH, drainRecipientOutbox } from '../domain/recipient-outbox';
import { drainRecipientOutboxJob } from '../schedules';
import { logger } from '../runtime/logger';
import { scheduledJob, type JobTools } from '../runtime/scheduled-job';
import { auditTrails } from '../wiring/audit';
import { recipientOutboxContext } from '../wiring/jobs';

const outbox = recipientOutboxContext(drainRecipientOutboxJob);
const trails = auditTrails(drainRecipientOutboxJob, 'worker')!;
/**
 * A run takes batch after batch while they come back full, until this much of the 60 s timeout is left: a backlog is
 * worked off within the run instead of at one batch a minute (bench P7: one batch a minute, 144,000 events a day, is
 * what the outbox outgrew first). The margin covers one more batch and the audit entries of its reads.
 */
const DRAIN_STOP_WITH_MS_LEFT = 20_000;

/**
 * Every minute: the recipients' pending events (domain/recipient-outbox.ts). Publishes the oldest, deletes each once
 * published, and emits how many could not be (alarmed above zero); the log has counts and the oldest wait, no id.
 * It stops at the end of the backlog, at a failure (the failed event would come first again), or near the timeout.
 */
async function drainRun(event: ScheduledEvent, { metrics, context }: JobTools) {
  const audit = trails({ actorRole: 'system', correlationId: event?.id ?? context.awsRequestId });
  const total = { published: 0, failed: 0, oldestWaitingSeconds: 0, batches: 0 };
  for (;;) {
    const result = await drainRecipientOutbox(outbox(audit), DRAIN_BATCH);
    await audit.flushReads('success');
    total.published += result.published;
    total.failed += result.failed;
    total.oldestWaitingSeconds = Math.max(total.oldestWaitingSeconds, result.oldestWaitingSeconds);
    total.batches++;
    if (result.published + result.failed < DRAIN_BATCH || result.failed > 0) break;
    if (context.getRemainingTimeInMillis() < DRAIN_STOP_WITH_MS_LEFT) break;
  }
  metrics.addMetric(drainRecipientOutboxJob.metric.name, MetricUnit.Count, total.failed);
  if (total.published + total.failed > 0) logger.info('recipient outbox run', { ...total });
  const { batches: _batches, ...result } = total;
  return result;
}

export const handler = scheduledJob(drainRecipientOutboxJob, drainRun);
