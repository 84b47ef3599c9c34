/**
 * The retention job's run (storage limitation, Art. 5(1)(e)) over ports: for each activity month up to the cutoff, page
 * through the accounts last active at or before it, read each one's retention state (with the subject's restriction) and
 * `decide`: notify (record the notice, audited), erase (file an erasure request and the account's link to it in one
 * transaction, then queue the job exactly like a subject's own request), or leave it (a hold or a restriction stops both
 * writes, which are also conditional on neither having landed since the read). Returns the counts (numbers only).
 */
import {
  decide,
  inactivityCutoff,
  monthsToSearch,
  spareAdmins,
  type AccountRetention,
  type RetentionPolicy,
} from './retention';
import { dueDateFor } from './deadlines';
import { OPEN_STATUSES, newRequest, type RightsDeps, type RightsRequest } from './rights';

/** The accounts' retention state, as the job reads and changes it. */
export interface RetentionJobStore {
  /** One page of subject ids last active in `month` at or before `cutoff`. */
  inactivePage(month: string, cutoff: string, limit: number, startKey?: Record<string, unknown>): Promise<{ subjectIds: string[]; next?: Record<string, unknown> }>;
  get(subjectId: string, options?: { withRoles?: boolean }): Promise<AccountRetention | undefined>;
  /** Records the notice unless the account changed since read; false if it did. */
  notify(account: AccountRetention, noticeAt: string, erasureAt: string): Promise<boolean>;
  /** Files the erasure and the account's link to it in one write, unless the account changed since read; false if it did. */
  fileErasure(account: AccountRetention, request: RightsRequest): Promise<boolean>;
}

export interface RetentionJobDeps extends Pick<RightsDeps, 'requests' | 'modes' | 'enqueue' | 'now'> {
  readonly store: RetentionJobStore;
  readonly policy: RetentionPolicy;
  readonly lookbackMonths: number;
  /** Accounts per index page; each is then read and decided on its own. */
  readonly pageSize: number;
  /** Stop taking new pages this long before the run's time is up; the next run continues (the job is idempotent). */
  readonly safetyMarginMs: number;
  /** Called after an erasure is committed as queued and before its job is sent (where a crash loses the job). */
  readonly committed?: () => void;
  /** Something failed and was counted (class only is logged, never the account). */
  readonly report: (what: string, error: unknown) => void;
}

export type RetentionOutcome =
  | 'active' | 'held' | 'restricted' | 'notified' | 'waiting' | 'filed' | 'alreadyFiled' | 'alreadyRequested' | 'notQueued' | 'changed' | 'gone' | 'failed'
  | 'inactiveAdmins';

export interface RetentionRun {
  /** The run's "now" (the event's time). */
  readonly now: Date;
  /** An operator's dry run: decide and count, write nothing. */
  readonly dryRun: boolean;
  readonly remainingMs: () => number;
}

export async function runRetention(
  deps: RetentionJobDeps,
  run: RetentionRun,
): Promise<{ counts: Record<RetentionOutcome, number>; complete: boolean; cutoff: string }> {
  const { now, dryRun } = run;
  const policy = deps.policy;
  const cutoff = inactivityCutoff(now, policy).toISOString();
  const counts: Record<RetentionOutcome, number> = {
    active: 0, held: 0, restricted: 0, notified: 0, waiting: 0, filed: 0, alreadyFiled: 0, alreadyRequested: 0, notQueued: 0, changed: 0, gone: 0, failed: 0,
    inactiveAdmins: 0,
  };

  const settle = async (account: AccountRetention): Promise<RetentionOutcome> => {
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
        return (await deps.store.notify(account, now.toISOString(), decision.erasureAt)) ? 'notified' : 'changed';
      case 'erase': {
        // The subject may have asked for erasure themselves: theirs runs, a second one would only race it.
        const own = (await deps.requests.listForSubject(account.subjectId)).some((r) => r.type === 'erasure' && OPEN_STATUSES.includes(r.status));
        if (own) return 'alreadyRequested';
        if (dryRun) return 'filed';
        const mode = deps.modes.erasure;
        const request = newRequest({ subjectId: account.subjectId, type: 'erasure', mode, now, dueAt: dueDateFor(now), origin: 'retention' });
        if (!(await deps.store.fileErasure(account, request))) return 'changed';
        // Filed as queued, job not sent yet: a crash here is recovered by the resendLostJobs schedule.
        deps.committed?.();
        if (mode === 'manual') return 'filed';
        try {
          await deps.enqueue(request);
          return 'filed';
        } catch (error) {
          // As for a subject's request: recorded and verified, for an admin to queue (approve); the metric raises the alarm.
          deps.report('retention erasure not queued', error);
          await deps.requests.transition(request, 'verified', { by: 'system', note: 'Could not be queued; an administrator will.' }, deps.now());
          return 'notQueued';
        }
      }
    }
  };

  let complete = true;
  search: for (const month of monthsToSearch(now, policy, deps.lookbackMonths)) {
    let startKey: Record<string, unknown> | undefined;
    do {
      if (run.remainingMs() < deps.safetyMarginMs) {
        complete = false;
        break search;
      }
      const page = await deps.store.inactivePage(month, cutoff, deps.pageSize, startKey);
      for (const subjectId of page.subjectIds) {
        try {
          const account = await deps.store.get(subjectId, { withRoles: true });
          counts[account?.lastActiveAt ? await settle(account) : 'gone']++;
        } catch (error) {
          // One unreadable account must not stall every later one: counted, alarmed on, retried by the next run.
          counts.failed++;
          deps.report('retention account failed', error);
        }
      }
      startKey = page.next;
    } while (startKey);
  }
  return { counts, complete, cutoff };
}

/** Refused: a run whose event time is far from the system clock, unless fake clocks are allowed (tests, game days). */
export class EventTimeRefusedError extends Error {
  constructor() {
    super('the event time is not the current time; set FMN_RETENTION_FAKE_CLOCK=1 only in tests');
    this.name = 'EventTimeRefusedError';
  }
}

/** How far an event's time may be from the system clock. */
export const MAX_CLOCK_SKEW_MS = 60 * 60 * 1000;

/**
 * The job's clock is the event's `time`. EventBridge sends the real time; a time far from the system clock is refused
 * unless `fakeClockAllowed`, so nobody erases every account by invoking the function with a date years ahead.
 */
export function jobClock(eventTime: string | undefined, systemNow: Date, fakeClockAllowed: boolean): Date {
  if (!eventTime) return systemNow;
  const now = new Date(eventTime);
  if (Number.isNaN(now.getTime())) throw new RangeError('the event time is not a date');
  if (!fakeClockAllowed && Math.abs(now.getTime() - systemNow.getTime()) > MAX_CLOCK_SKEW_MS) throw new EventTimeRefusedError();
  return now;
}
