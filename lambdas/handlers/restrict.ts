import { DynamoRetentionStore } from '../adapters/dynamo-retention';
import { consentView, restrict } from '../domain/consent';
import { RESTRICTION_STOP_NOTE } from '../domain/retention';
import { restrictRoute } from './restrict.route';
import { dynamodb } from '../shared/clients';
import { consentContext } from '../shared/consent-context';
import { httpRoute } from '../shared/http';
import { stopRetentionErasure } from '../shared/retention-stop';
import { rightsContext } from '../shared/rights-context';
import { declaredStores } from '../shared/stores';
import { clientIdOf } from './client-id';

const deps = consentContext(restrictRoute);
const rights = rightsContext(restrictRoute);
const stores = declaredStores(restrictRoute);

/**
 * Restrict processing (Art. 18).
 * 1. record the restriction in the consent ledger (the gate stops every purpose that does not continue under it);
 * 2. retention stops as under a legal hold (Art. 18(1)(c): the subject may need the data for a legal claim): if the
 * account has an inactivity notice or a filed retention erasure, reject the erasure unless it has started, and withdraw
 * the notice. The retention job reads the restriction itself from then on, and its own writes are conditional on there
 * being none, so a run that overlaps this request either fails its write or leaves a notice this step withdraws.
 */
export const handler = httpRoute(restrictRoute, async ({ principal, headers, audit }) => {
  const consentDeps = deps(audit);
  const { states } = await restrict(consentDeps, principal.subjectId, true, clientIdOf(headers));

  const retention = new DynamoRetentionStore(dynamodb, { users: stores.table('users') }, audit);
  const account = await retention.get(principal.subjectId);
  if (account?.inactivityNoticeAt || account?.retentionErasureRequestId) {
    const stopped = await stopRetentionErasure(rights(audit).requests, account, { by: 'subject', note: RESTRICTION_STOP_NOTE }, consentDeps.now());
    await retention.withdrawNoticeForRestriction(principal.subjectId, stopped === 'started');
  }
  return { body: consentView(states, consentDeps.now()) };
});
