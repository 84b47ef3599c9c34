/**
 * Storage limitation (Art. 5(1)(e)) as plain rules: how long an inactive account is kept, when its subject is told, when
 * its erasure is filed, what a legal hold does, and how long a finished rights request is kept as proof.
 *
 * An account is active while its subject logs in: login, OIDC login and registration set `lastActiveAt` (and the activity
 * month that a sparse index is partitioned by, so the scheduled job finds inactive accounts month by month without a
 * scan). Nothing here knows about AWS or HTTP; the job, the admin routes and the adapters call these functions.
 */
import { NotFound } from './errors';

export interface RetentionPolicy {
  /** An account is inactive once its last login is this many calendar months old. */
  readonly inactiveMonths: number;
  /** Days between the notice and the erasure request, during which logging in again keeps the account. */
  readonly graceDays: number;
}

/** 24 months without a login, then a notice, then 30 days' grace before erasure is filed. */
export const DEFAULT_RETENTION: RetentionPolicy = { inactiveMonths: 24, graceDays: 30 };

/**
 * How far back (in months before the cutoff) the job looks for inactive accounts. The index is partitioned by activity
 * month, so each month is one Query; ten years covers every account a daily job could still have to act on (older ones
 * were noticed and erased years ago, unless a hold kept them that long).
 */
export const DEFAULT_LOOKBACK_MONTHS = 120;

/** Completed and rejected requests are kept as proof of how they were answered (limitation periods), then deleted by TTL. */
export const FINISHED_REQUEST_RETENTION_YEARS = 3;

/** A legal hold (litigation, an authority's order): set and lifted by an admin, it stops retention for the account. */
export interface LegalHold {
  /** Why, for the admins: a case reference, never the subject's data. */
  readonly reason: string;
  readonly at: string;
}

/** What the job knows about one account: activity, the notice given, the erasure filed, and a hold. No profile data. */
export interface AccountRetention {
  readonly subjectId: string;
  /** ISO time of the last login (or registration). */
  readonly lastActiveAt: string;
  readonly inactivityNoticeAt?: string;
  /** When the erasure will be filed, fixed at notice time (what the subject was told is what happens). */
  readonly inactivityErasureAt?: string;
  readonly retentionErasureRequestId?: string;
  readonly legalHold?: LegalHold;
  /**
   * When the subject restricted processing (Art. 18), while the restriction stands. Under Art. 18(1)(c) a subject
   * restricts because they need the data for a legal claim: erasing it would defeat the restriction, so it blocks
   * retention like a legal hold. Read from the consent ledger's projection, not stored on the account.
   */
  readonly restrictedSince?: string;
  /** The account's roles, when the caller read them (the job does): an admin is never erased by retention. */
  readonly roles?: readonly string[];
}

export type RetentionDecision =
  /** Logged in within the retention period: nothing to do. */
  | { readonly action: 'active' }
  /** A legal hold blocks the notice and the erasure. */
  | { readonly action: 'held' }
  /** So does the subject's restriction of processing (the subject's own erasure request still runs). */
  | { readonly action: 'restricted' }
  /** Inactive and not told yet: record a notice; erasure is filed from `erasureAt`. */
  | { readonly action: 'notify'; readonly erasureAt: string }
  /** Told, and the grace period is still running. */
  | { readonly action: 'wait'; readonly erasureAt: string }
  /** Told, grace over: file an erasure request. */
  | { readonly action: 'erase' }
  /** The erasure request is filed already; the rights workers carry it out. */
  | { readonly action: 'filed'; readonly requestId: string }
  /** An inactive admin: reported to the other admins, never noticed or erased by the job (see {@link spareAdmins}). */
  | { readonly action: 'adminInactive' };

const pad = (n: number) => String(n).padStart(2, '0');

function checkedDate(value: Date | string): Date {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date');
  return date;
}

/** `YYYY-MM` (UTC) of an instant: the partition of the activity index. */
export function activityMonth(at: Date | string): string {
  const date = checkedDate(at);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`;
}

/** The same instant `months` calendar months earlier, the day clamped to the target month's last day (Mar 31 → Feb 28). */
export function monthsBefore(now: Date, months: number): Date {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      first.getUTCFullYear(),
      first.getUTCMonth(),
      Math.min(now.getUTCDate(), lastDay),
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
      now.getUTCMilliseconds(),
    ),
  );
}

/** Accounts whose last activity is at or before this instant are inactive. */
export function inactivityCutoff(now: Date, policy: RetentionPolicy): Date {
  return monthsBefore(checkedDate(now), policy.inactiveMonths);
}

/**
 * The activity months the job queries, oldest first: from `lookbackMonths` before the cutoff's month up to the cutoff's
 * month itself (only part of which is past the cutoff; the query's sort-key condition takes care of that).
 */
export function monthsToSearch(now: Date, policy: RetentionPolicy, lookbackMonths = DEFAULT_LOOKBACK_MONTHS): string[] {
  const cutoff = inactivityCutoff(now, policy);
  const months: string[] = [];
  for (let back = lookbackMonths; back >= 0; back--) {
    months.push(activityMonth(new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth() - back, 1))));
  }
  return months;
}

/**
 * What to do about one account at `now`. In order: a hold wins, then a restriction of processing; recent activity means
 * active (whatever notice is left over: logging in clears it anyway); a filed erasure is left to the workers; an account
 * not told yet is told; an account told is erased once its erasure date has come (boundary included), and waits until then.
 */
export function decide(account: AccountRetention, now: Date, policy: RetentionPolicy): RetentionDecision {
  if (account.legalHold) return { action: 'held' };
  if (account.restrictedSince) return { action: 'restricted' };
  const lastActive = checkedDate(account.lastActiveAt);
  if (lastActive.getTime() > inactivityCutoff(now, policy).getTime()) return { action: 'active' };
  if (account.retentionErasureRequestId) return { action: 'filed', requestId: account.retentionErasureRequestId };
  if (!account.inactivityNoticeAt) {
    return { action: 'notify', erasureAt: new Date(now.getTime() + policy.graceDays * 86_400_000).toISOString() };
  }
  const erasureAt =
    account.inactivityErasureAt ?? new Date(checkedDate(account.inactivityNoticeAt).getTime() + policy.graceDays * 86_400_000).toISOString();
  return now.getTime() >= checkedDate(erasureAt).getTime() ? { action: 'erase' } : { action: 'wait', erasureAt };
}

/**
 * Admins are not erased by retention: the job would otherwise erase the last admin of an installation (and with it every
 * way to approve, reject or hold anything) in one quiet run. An admin past the retention period is reported instead, so the
 * other admins decide: revoke the role, or file the erasure themselves. Applied to {@link decide}'s answer, so the rules
 * for subjects stay as they are; a filed erasure (filed before the account became an admin) is left to the workers.
 */
export function spareAdmins(account: Pick<AccountRetention, 'roles'>, decision: RetentionDecision): RetentionDecision {
  if (!account.roles?.includes('admin')) return decision;
  return decision.action === 'notify' || decision.action === 'wait' || decision.action === 'erase' ? { action: 'adminInactive' } : decision;
}

/** The note on a retention erasure a legal hold stopped (the subject reads it in their requests). */
export const LEGAL_HOLD_STOP_NOTE = 'Stopped: the account is under a legal hold.';
/** The note on a retention erasure the subject's restriction of processing stopped. */
export const RESTRICTION_STOP_NOTE = 'Stopped: you restricted the processing of your data (Art. 18), so it is kept.';

/**
 * Why a retention erasure filed at `request.receivedAt` must not start now, or undefined if it may: the account was put
 * under a legal hold, its subject restricted processing, or logged in after it was filed (a login withdraws the notice;
 * it withdraws this too).
 */
export function retentionErasureStop(
  account: { readonly lastActiveAt?: string; readonly legalHold?: LegalHold; readonly restrictedSince?: string },
  request: { readonly receivedAt: string },
): string | undefined {
  if (account.legalHold) return LEGAL_HOLD_STOP_NOTE;
  if (account.restrictedSince) return RESTRICTION_STOP_NOTE;
  if (account.lastActiveAt && checkedDate(account.lastActiveAt).getTime() > checkedDate(request.receivedAt).getTime()) {
    return 'Stopped: the subject logged in again after it was filed.';
  }
  return undefined;
}

/** Epoch seconds at which a request finished at `finishedAt` is deleted by TTL. */
export function finishedRequestExpiresAt(finishedAt: Date): number {
  const date = checkedDate(finishedAt);
  const until = new Date(date.getTime());
  until.setUTCFullYear(date.getUTCFullYear() + FINISHED_REQUEST_RETENTION_YEARS);
  return Math.floor(until.getTime() / 1000);
}

/** RETENTION_INACTIVE_MONTHS / RETENTION_GRACE_DAYS, with safe bounds: a typo must not erase accounts after a week. */
export function retentionPolicyFrom(raw: { inactiveMonths?: string; graceDays?: string }): RetentionPolicy {
  const read = (value: string | undefined, fallback: number, min: number, max: number, name: string) => {
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  return {
    inactiveMonths: read(raw.inactiveMonths, DEFAULT_RETENTION.inactiveMonths, 1, 240, 'RETENTION_INACTIVE_MONTHS'),
    graceDays: read(raw.graceDays, DEFAULT_RETENTION.graceDays, 1, 365, 'RETENTION_GRACE_DAYS'),
  };
}

export class SubjectNotFoundError extends NotFound<'subject-not-found'> {
  constructor() {
    super('subject-not-found', {});
  }
}
