import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { jobClock, runRetention } from '../domain/retention-job';
import { retentionJob } from '../schedules';
import { crashPoint } from '../runtime/test-hooks';
import { logger } from '../runtime/logger';
import { scheduledJob, type JobTools } from '../runtime/scheduled-job';
import { auditTrails } from '../wiring/audit';
import { retentionJobContext } from '../wiring/jobs';

const retention = retentionJobContext(retentionJob);
const trails = auditTrails(retentionJob, 'worker')!;
/** Only tests and game days set FMN_RETENTION_FAKE_CLOCK=1: otherwise an event time far from the clock is refused. */
const fakeClockAllowed = process.env.FMN_RETENTION_FAKE_CLOCK === '1';

/**
 * Daily: storage limitation for inactive accounts (domain/retention-job.ts). "Now" is the event's time; an operator's
 * dry run (`fmn job run retention --dry-run`) decides and counts, writes nothing and emits no metric. Emits the counts
 * (numbers only, never an id) and the needs-attention metric (erasures not queued, accounts that failed).
 */
async function retentionRun(event: ScheduledEvent, { metrics, context }: JobTools) {
  const now = jobClock(event?.time, new Date(), fakeClockAllowed);
  const dryRun = (event?.detail as { dryRun?: unknown } | undefined)?.dryRun === true;
  const audit = trails({ actorRole: 'system', correlationId: event?.id ?? context.awsRequestId });
  const deps = retention(audit, () => crashPoint('request-committed'));
  const { counts, complete, cutoff } = await runRetention(deps, { now, dryRun, remainingMs: () => context.getRemainingTimeInMillis() });
  await audit.flushReads('success');

  if (dryRun) {
    logger.info('retention dry run', { counts, complete, cutoff });
    return { counts, complete, dryRun: true as const };
  }
  metrics.addMetric(retentionJob.metric.name, MetricUnit.Count, counts.notQueued + counts.failed);
  metrics.addMetric('InactivityNotices', MetricUnit.Count, counts.notified);
  metrics.addMetric('RetentionErasuresFiled', MetricUnit.Count, counts.filed);
  // For the other admins: an admin account past retention is theirs to review (revoke the role or file its erasure).
  metrics.addMetric('InactiveAdmins', MetricUnit.Count, counts.inactiveAdmins);
  logger.info('retention run', { counts, complete, cutoff, inactiveMonths: deps.policy.inactiveMonths, graceDays: deps.policy.graceDays });
  return { counts, complete };
}

export const handler = scheduledJob(retentionJob, retentionRun);
