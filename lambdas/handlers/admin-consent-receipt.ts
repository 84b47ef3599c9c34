import { consentReceipt } from '../domain/consent-stats';
import { adminConsentReceiptRoute } from './admin-consent-receipt.route';
import { consentContext } from '../wiring/consent';
import { httpRoute } from '../http/http';

const deps = consentContext(adminConsentReceiptRoute);

/** The receipt of one decision (domain/consent-stats.ts); the store records the look on the subject's chain. */
export const handler = httpRoute(adminConsentReceiptRoute, async ({ params, audit }) => ({
  body: await consentReceipt(deps(audit).consents, params.subjectId, params.purpose, new Date()),
}));
