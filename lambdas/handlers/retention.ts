import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { DynamoRetentionStore } from '../adapters/dynamo-retention';
import { dueDateFor } from '../domain/deadlines';
import {
  DEFAULT_LOOKBACK_MONTHS,
  decide,
  inactivityCutoff,
  monthsToSearch,
  retentionPolicyFrom,
  spareAdmins,
  type AccountRetention,
} from '../domain/retention';
import { OPEN_STATUSES, newRequest } from '../domain/rights';
import { retentionJob } from '../schedules';
import { auditTrails } from '../shared/audit-context';
import { dynamodb } from '../shared/clients';
import { intEnv } from '../shared/env';
import { crashPoint } from '../shared/faults';
import { logger } from '../shared/logger';
import { rightsContext } from '../shared/rights-context';
import { scheduledJob, type JobTools } from '../shared/scheduled-job';
import { declaredStores } from '../shared/stores';

const stores = declaredStores(retentionJob);
const policy = retentionPolicyFrom({ inactiveMonths: process.env.RETENTION_INACTIVE_MONTHS, graceDays: process.env.RETENTION_GRACE_DAYS });
const lookbackMonths = intEnv('RETENTION_LOOKBACK_MONTHS', DEFAULT_LOOKBACK_MONTHS);
const rights = rightsContext(retentionJob);
const trails = auditTrails(retentionJob, 'worker')!;
/**
 * The job's clock is the event's `time`. EventBridge sends the real time; an invocation carrying a time far from the
 * system clock is refused unless FMN_RETENTION_FAKE_CLOCK=1 (tests and game days only), so nobody erases every account
 * by invoking the function with a date years ahead.
 */
const fakeClockAllowed = process.env.FMN_RETENTION_FAKE_CLOCK === '1';
const MAX_CLOCK_SKEW_MS = 60 * 60 * 1000;
/** Accounts per index page; each is then read and decided on its own. */
const PAGE_SIZE = 100;
/** Stop taking new pages this long before the Lambda timeout; the next run continues (the job is idempotent). */
const SAFETY_MARGIN_MS = 30_000;

type Outcome =
  | 'active' | 'held' | 'restricted' | 'notified' | 'waiting' | 'filed' | 'alreadyFiled' | 'alreadyRequested' | 'notQueued' | 'changed' | 'gone' | 'failed'
  | 'inactiveAdmins';

export class EventTimeRefusedError extends Error {
  constructor() {
    super('the event time is not the current time; set FMN_RETENTION_FAKE_CLOCK=1 only in tests');
    this.name = 'EventTimeRefusedError';
  }
}

function clockOf(event: Partial<ScheduledEvent> | undefined): Date {
  if (!event?.time) return new Date();
  const now = new Date(event.time);
  if (Number.isNaN(now.getTime())) throw new RangeError('the event time is not a date');
  if (!fakeClockAllowed && Math.abs(now.getTime() - Date.now()) > MAX_CLOCK_SKEW_MS) throw new EventTimeRefusedError();
  return now;
}

/**
 * Daily: storage limitation for inactive accounts.
 * 1. take "now" from the event; 2. for each activity month up to the cutoff, page through the accounts last active at or
 * before it (a Query on the sparse index); 3. read each one's retention state, with the subject's restriction of
 * processing from the consent projection, and `decide`: notify (record the notice, audited), erase (file an erasure
 * request and the account's link to it in one transaction, then queue the job exactly like a subject's own request), or
 * leave it (a hold or a restriction stops both writes, which are also conditional on neither having landed since the
 * read); 4. emit counts (numbers only, never an id) and the needs-attention metric (erasures not queued, accounts that
 * failed).
 */
async function runRetention(
  event: ScheduledEvent,
  { metrics, context }: JobTools,
): Promise<{ counts: Record<Outcome, number>; complete: boolean; dryRun?: true }> {
  const now = clockOf(event);
  // An operator's dry run (`fmn job run retention --dry-run`): decide and count, write nothing, emit no metric.
  const dryRun = (event?.detail as { dryRun?: unknown } | undefined)?.dryRun === true;
  const audit = trails({ actorRole: 'system', correlationId: event?.id ?? context.awsRequestId });
  const deps = rights(audit);
  const store = new DynamoRetentionStore(dynamodb, { users: stores.table('users'), consent: stores.table('consent') }, audit);
  const cutoff = inactivityCutoff(now, policy).toISOString();
  const counts: Record<Outcome, number> = {
    active: 0, held: 0, restricted: 0, notified: 0, waiting: 0, filed: 0, alreadyFiled: 0, alreadyRequested: 0, notQueued: 0, changed: 0, gone: 0, failed: 0,
    inactiveAdmins: 0,
  };

  const settle = async (account: AccountRetention): Promise<Outcome> => {
    // Admins are reported, never erased by the job (domain/retention.ts, spareAdmins).
    const decision = spareAdmins(account, decide(account, now, policy));
    switch (decision.action) {
      case 'adminInactive':
        return 'inactiveAdmins';
      case 'active':
        return 'active';
      case 'held':
        return 'held';
      case 'restricted':
        return 'restricted';
      case 'wait':
        return 'waiting';
      case 'filed':
        return 'alreadyFiled';
      case 'notify':
        if (dryRun) return 'notified';
        return (await store.notify(account, now.toISOString(), decision.erasureAt)) ? 'notified' : 'changed';
      case 'erase': {
        // The subject may have asked for erasure themselves: theirs runs, a second one would only race it.
        const own = (await deps.requests.listForSubject(account.subjectId)).some((r) => r.type === 'erasure' && OPEN_STATUSES.includes(r.status));
        if (own) return 'alreadyRequested';
        if (dryRun) return 'filed';
        const mode = deps.modes.erasure;
        const request = newRequest({ subjectId: account.subjectId, type: 'erasure', mode, now, dueAt: dueDateFor(now), origin: 'retention' });
        if (!(await store.fileErasure(account, request, stores.table('rightsRequests')))) return 'changed';
        // Filed as queued, job not sent yet: a crash here is recovered by the resendLostJobs schedule.
        crashPoint('request-committed');
        if (mode === 'manual') return 'filed';
        try {
          await deps.enqueue(request);
          return 'filed';
        } catch (error) {
          // As for a subject's request: recorded and verified, for an admin to queue (approve); the metric raises the alarm.
          logger.error('retention erasure not queued', { errorClass: (error as Error).name });
          await deps.requests.transition(request, 'verified', { by: 'system', note: 'Could not be queued; an administrator will.' }, new Date());
          return 'notQueued';
        }
      }
    }
  };

  let complete = true;
  search: for (const month of monthsToSearch(now, policy, lookbackMonths)) {
    let startKey: Record<string, unknown> | undefined;
    do {
      if (context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS) {
        complete = false;
        break search;
      }
      const page = await store.inactivePage(month, cutoff, PAGE_SIZE, startKey);
      for (const subjectId of page.subjectIds) {
        try {
          const account = await store.get(subjectId, { withRoles: true });
          counts[account?.lastActiveAt ? await settle(account) : 'gone']++;
        } catch (error) {
          // One unreadable account must not stall every later one: counted, alarmed on, retried by the next run.
          counts.failed++;
          logger.error('retention account failed', { errorClass: (error as Error).name });
        }
      }
      startKey = page.next;
    } while (startKey);
  }
  await audit.flushReads('success');

  if (dryRun) {
    logger.info('retention dry run', { counts, complete, cutoff });
    return { counts, complete, dryRun: true };
  }
  metrics.addMetric(retentionJob.metric.name, MetricUnit.Count, counts.notQueued + counts.failed);
  metrics.addMetric('InactivityNotices', MetricUnit.Count, counts.notified);
  metrics.addMetric('RetentionErasuresFiled', MetricUnit.Count, counts.filed);
  // For the other admins: an admin account past retention is theirs to review (revoke the role or file its erasure).
  metrics.addMetric('InactiveAdmins', MetricUnit.Count, counts.inactiveAdmins);
  logger.info('retention run', { counts, complete, cutoff, inactiveMonths: policy.inactiveMonths, graceDays: policy.graceDays });
  return { counts, complete };
}

export const handler = scheduledJob(retentionJob, runRetention);
