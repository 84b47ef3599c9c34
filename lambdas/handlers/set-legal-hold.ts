import { DynamoRetentionStore } from '../adapters/dynamo-retention';
import { LEGAL_HOLD_STOP_NOTE, SubjectNotFoundError } from '../domain/retention';
import { setLegalHoldRoute } from './set-legal-hold.route';
import { dynamodb } from '../shared/clients';
import { httpRoute } from '../shared/http';
import { stopRetentionErasure } from '../shared/retention-stop';
import { rightsContext } from '../shared/rights-context';
import { declaredStores } from '../shared/stores';

const stores = declaredStores(setLegalHoldRoute);
const rights = rightsContext(setLegalHoldRoute);

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

  const retentionErasure = await stopRetentionErasure(deps.requests, account, { by: 'admin', note: LEGAL_HOLD_STOP_NOTE }, deps.now());
  const hold = { reason: body.reason, at: deps.now().toISOString() };
  if (!(await store.placeHold(params.subjectId, hold, retentionErasure === 'started'))) throw new SubjectNotFoundError();
  return { body: { subjectId: params.subjectId, legalHold: hold, retentionErasure } };
});
