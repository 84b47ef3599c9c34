import { DynamoRetentionStore } from '../adapters/dynamo-retention';
import { LEGAL_HOLD_STOP_NOTE, SubjectNotFoundError } from '../domain/retention';
import { InvalidTransitionError } from '../domain/rights';
import { setLegalHoldRoute } from '../routes';
import { dynamodb } from '../shared/clients';
import { httpRoute } from '../shared/http';
import { rightsContext } from '../shared/rights-context';
import { declaredStores } from '../shared/stores';

const stores = declaredStores(setLegalHoldRoute);
const rights = rightsContext(setLegalHoldRoute);

/** Retention erasures that have not started: rejecting them stops them (the worker skips a rejected request). */
const STOPPABLE = new Set(['received', 'verified', 'queued', 'failed']);

/**
 * Place a legal hold.
 * 1. read the account's retention state (404 if none); 2. if the retention job filed an erasure that has not started,
 * reject it with a note (conditional on its state: a worker that took it first wins, and the answer says `started`);
 * 3. set the hold, dropping the notice (and the stopped request's link), audited in the same transaction.
 */
export const handler = httpRoute(setLegalHoldRoute, async ({ params, body, audit }) => {
  const store = new DynamoRetentionStore(dynamodb, { users: stores.table('users') }, audit);
  const deps = rights(audit);
  const account = await store.get(params.subjectId);
  if (!account) throw new SubjectNotFoundError();

  let retentionErasure: 'none' | 'cancelled' | 'started' = 'none';
  if (account.retentionErasureRequestId) {
    const request = await deps.requests.get(account.retentionErasureRequestId);
    if (request && STOPPABLE.has(request.status)) {
      try {
        await deps.requests.transition(request, 'rejected', { by: 'admin', note: LEGAL_HOLD_STOP_NOTE }, deps.now());
        retentionErasure = 'cancelled';
      } catch (error) {
        if (!(error instanceof InvalidTransitionError)) throw error;
        retentionErasure = 'started';
      }
    } else if (request && request.status !== 'rejected') {
      retentionErasure = 'started';
    }
  }
  const hold = { reason: body.reason, at: deps.now().toISOString() };
  if (!(await store.placeHold(params.subjectId, hold, retentionErasure === 'started'))) throw new SubjectNotFoundError();
  return { body: { subjectId: params.subjectId, legalHold: hold, retentionErasure } };
});
