/**
 * Stopping a retention erasure that has not started, for the two things that block retention: a legal hold (admin) and
 * the subject's restriction of processing (Art. 18). Both reject the filed request, then withdraw the notice.
 */
import type { DynamoRightsStore } from '../adapters/dynamo-rights';
import type { AccountRetention } from '../domain/retention';
import { InvalidTransitionError, type RequestStatus } from '../domain/rights';

/** Retention erasures that have not started: rejecting them stops them (the worker skips a rejected request). */
const STOPPABLE: ReadonlySet<RequestStatus> = new Set(['received', 'verified', 'queued', 'failed']);

/** `none`: nothing was filed (or it was rejected already); `cancelled`: rejected now; `started`: too late, it runs. */
export type RetentionErasureStop = 'none' | 'cancelled' | 'started';

/**
 * Rejects the account's filed retention erasure with `change` (a role and the note the subject reads), conditional on its
 * state: a worker that took it first wins, and the answer is `started`.
 */
export async function stopRetentionErasure(
  requests: DynamoRightsStore,
  account: Pick<AccountRetention, 'retentionErasureRequestId'>,
  change: { readonly by: string; readonly note: string },
  now: Date,
): Promise<RetentionErasureStop> {
  if (!account.retentionErasureRequestId) return 'none';
  const request = await requests.get(account.retentionErasureRequestId);
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
