import { consentView, restrict } from '../domain/consent';
import { stopRetentionForRestriction } from '../domain/retention-stop';
import { restrictRoute } from './restrict.route';
import { httpRoute } from '../http/http';
import { consentContext } from '../wiring/consent';
import { retentionStopContext } from '../wiring/rights';
import { clientIdOf } from './client-id';

const deps = consentContext(restrictRoute);
const retention = retentionStopContext(restrictRoute);

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
  await stopRetentionForRestriction(retention(audit), principal.subjectId);
  return { body: consentView(states, consentDeps.now()) };
});
