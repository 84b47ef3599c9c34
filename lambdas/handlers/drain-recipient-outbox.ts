import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { drainRecipientOutbox } from '../domain/recipient-outbox';
import { drainRecipientOutboxJob } from '../schedules';
import { logger } from '../runtime/logger';
import { scheduledJob, type JobTools } from '../runtime/scheduled-job';
import { auditTrails } from '../wiring/audit';
import { recipientOutboxContext } from '../wiring/jobs';

const outbox = recipientOutboxContext(drainRecipientOutboxJob);
const trails = auditTrails(drainRecipientOutboxJob, 'worker')!;
/** Events per run: a backlog (an SNS outage) is worked off over a few minutes, well inside the 60 s timeout each. */
const MAX_PER_RUN = 100;

/**
 * Every minute: the recipients' pending events (domain/recipient-outbox.ts). Publishes the oldest, deletes each once
 * published, and emits how many could not be (alarmed above zero); the log has counts and the oldest wait, no id.
 */
async function drainRun(event: ScheduledEvent, { metrics, context }: JobTools) {
  const audit = trails({ actorRole: 'system', correlationId: event?.id ?? context.awsRequestId });
  const result = await drainRecipientOutbox(outbox(audit), MAX_PER_RUN);
  await audit.flushReads('success');
  metrics.addMetric(drainRecipientOutboxJob.metric.name, MetricUnit.Count, result.failed);
  if (result.published + result.failed > 0) logger.info('recipient outbox run', { ...result });
  return result;
}

export const handler = scheduledJob(drainRecipientOutboxJob, drainRun);
