import { liftLegalHold } from '../domain/retention-stop';
import { liftLegalHoldRoute } from './lift-legal-hold.route';
import { httpRoute } from '../http/http';
import { retentionStates } from '../wiring/rights';

const retention = retentionStates(liftLegalHoldRoute);

/** Lift a legal hold: retention applies again from the next run of the job, starting with a fresh notice. Audited. */
export const handler = httpRoute(liftLegalHoldRoute, async ({ params, audit }) => ({
  body: await liftLegalHold({ retention: retention(audit) }, params.subjectId),
}));
