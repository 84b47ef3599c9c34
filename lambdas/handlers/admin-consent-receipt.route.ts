import * as z from 'zod/mini';
import { authProblems, commonProblems, CONSENT_EVENT_FIELDS, CONSENT_STATE_FIELDS, defineRoute, problem, touches } from '../http/route-definition';
import { purposeId } from './consent.schema';
import { consentReceipt } from './consent-stats.schema';

export const adminConsentReceiptRoute = defineRoute({
  id: 'adminConsentReceipt',
  method: 'GET',
  path: '/v1/admin/subjects/{subjectId}/consents/{purpose}/receipt',
  handler: 'admin-consent-receipt',
  summary: 'Proof of consent: the subject\'s decision in force on a purpose, its ledger event, policy version and hash. Audited.',
  description:
    'Art. 7(1): the controller must be able to show that the subject consented. The decision the projection holds, the ' +
    'event it is in the append-only ledger (id and position), the policy version and the hash of its text, method, app, ' +
    'time and expiry; with the text itself when it is still the one shown today. The console prints it as a receipt.',
  tags: ['consent', 'admin'],
  feature: 'consent',
  auth: 'admin',
  request: { params: z.strictObject({ subjectId: z.uuid(), purpose: purposeId }) },
  responses: {
    200: { description: 'The receipt.', schema: consentReceipt },
    404: problem('The subject has made no decision on this purpose (`consent-decision-not-found`).'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('consent', ['read'], [...new Set([...CONSENT_STATE_FIELDS, ...CONSENT_EVENT_FIELDS])])],
  purpose: 'accountability',
});
