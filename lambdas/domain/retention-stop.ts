/**
 * What stops retention: a legal hold (an administrator's) and the subject's restriction of processing (Art. 18). Both
 * reject a filed retention erasure that has not started, then withdraw the notice. Over the ports below; the clock comes in.
 */
import type { RightsRequest } from './rights';
import { InvalidTransitionError, type RequestStatus, type RightsStore } from './rights';
import { LEGAL_HOLD_STOP_NOTE, RESTRICTION_STOP_NOTE, SubjectNotFoundError, type AccountRetention, type LegalHold } from './retention';

/** The retention state of accounts, as the routes that stop retention read and change it. */
export interface RetentionStateStore {
  get(subjectId: string, options?: { withRoles?: boolean }): Promise<AccountRetention | undefined>;
  /** Sets the hold and drops the notice (and the filed erasure's id unless `keepRequest`); false when there is no account. */
  placeHold(subjectId: string, hold: LegalHold, keepRequest: boolean): Promise<boolean>;
  /** False when there is no such account. */
  liftHold(subjectId: string): Promise<boolean>;
  /** Drops the notice (and the filed erasure's id unless `keepRequest`) after a restriction; false when there is no account. */
  withdrawNoticeForRestriction(subjectId: string, keepRequest: boolean): Promise<boolean>;
}

export interface RetentionStopDeps {
  readonly retention: RetentionStateStore;
  readonly requests: Pick<RightsStore, 'get' | 'transition'>;
  readonly now: () => Date;
}

/** Retention erasures that have not started: rejecting them stops them (the worker skips a rejected request). */
const STOPPABLE: ReadonlySet<RequestStatus> = new Set(['received', 'verified', 'queued', 'failed']);

/** `none`: nothing was filed (or it was rejected already); `cancelled`: rejected now; `started`: too late, it runs. */
export type RetentionErasureStop = 'none' | 'cancelled' | 'started';

/**
 * Rejects the account's filed retention erasure with `change` (a role and the note the subject reads), conditional on its
 * state: a worker that took it first wins, and the answer is `started`.
 */
export async function stopRetentionErasure(
  requests: Pick<RightsStore, 'get' | 'transition'>,
  account: Pick<AccountRetention, 'retentionErasureRequestId'>,
  change: { readonly by: string; readonly note: string },
  now: Date,
): Promise<RetentionErasureStop> {
  if (!account.retentionErasureRequestId) return 'none';
  const request: RightsRequest | undefined = await requests.get(account.retentionErasureRequestId);
  if (!request || request.status === 'rejected') return 'none';
  if (!STOPPABLE.has(request.status)) return 'started';
  try {
    await requests.transition(request, 'rejected', change, now);
    return 'cancelled';
  } catch (error) {
    if (!(error instanceof InvalidTransitionError)) throw error;
    return 'started';
  }
}

/**
 * Place a legal hold: 1. read the account's retention state (SubjectNotFoundError if none); 2. if the retention job filed an
 * erasure that has not started, reject it with a note (a worker that took it first wins: `started`); 3. set the hold,
 * dropping the notice (and the stopped request's link).
 */
export async function placeLegalHold(deps: RetentionStopDeps, subjectId: string, reason: string) {
  const account = await deps.retention.get(subjectId);
  if (!account) throw new SubjectNotFoundError();
  const retentionErasure = await stopRetentionErasure(deps.requests, account, { by: 'admin', note: LEGAL_HOLD_STOP_NOTE }, deps.now());
  const legalHold: LegalHold = { reason, at: deps.now().toISOString() };
  if (!(await deps.retention.placeHold(subjectId, legalHold, retentionErasure === 'started'))) throw new SubjectNotFoundError();
  return { subjectId, legalHold, retentionErasure };
}

/** Lift a legal hold: retention applies again from the next run of the job, starting with a fresh notice. */
export async function liftLegalHold(deps: Pick<RetentionStopDeps, 'retention'>, subjectId: string) {
  if (!(await deps.retention.liftHold(subjectId))) throw new SubjectNotFoundError();
  return { subjectId, retentionErasure: 'none' as const };
}

/**
 * After the subject restricted processing, retention stops as under a legal hold (Art. 18(1)(c)): if the account has a
 * notice or a filed retention erasure, reject the erasure unless it has started, and withdraw the notice.
 */
export async function stopRetentionForRestriction(deps: RetentionStopDeps, subjectId: string): Promise<void> {
  const account = await deps.retention.get(subjectId);
  if (!account?.inactivityNoticeAt && !account?.retentionErasureRequestId) return;
  const stopped = await stopRetentionErasure(deps.requests, account, { by: 'subject', note: RESTRICTION_STOP_NOTE }, deps.now());
  await deps.retention.withdrawNoticeForRestriction(subjectId, stopped === 'started');
}
