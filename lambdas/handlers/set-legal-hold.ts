import { placeLegalHold } from '../domain/retention-stop';
import { setLegalHoldRoute } from './set-legal-hold.route';
import { httpRoute } from '../http/http';
import { retentionStopContext } from '../wiring/rights';

const deps = retentionStopContext(setLegalHoldRoute);

/** Place a legal hold (domain/retention-stop.ts): a filed retention erasure that has not started is stopped. Audited. */
export const handler = httpRoute(setLegalHoldRoute, async ({ params, body, audit }) => ({
  body: await placeLegalHold(deps(audit), params.subjectId, body.reason),
}));
