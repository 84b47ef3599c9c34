import * as z from 'zod/mini';
import { authProblems, CLIENT_ID_HEADER, commonProblems, CONSENT_FIELDS, CONSENT_STATS_WRITE, defineRoute, problem, touches, OUTBOX_WRITE } from '../http/route-definition';
import { consentOverview, purposeParams } from './consent.schema';

export const consentDecisionBody = z.strictObject({ granted: z.boolean() }).register(z.globalRegistry, { id: 'ConsentDecision' });

export const putConsentRoute = defineRoute({
  id: 'putConsent',
  method: 'PUT',
  path: '/v1/me/consents/{purpose}',
  handler: 'put-consent',
  summary: 'Grant or withdraw consent to a purpose: the same single call either way. Recorded in an append-only ledger.',
  description: 
    'Grants or withdraws consent, as easily one way as the other (Art. 7(3)). The decision is appended to ' +
    'the ledger with the policy version and hash, the time and the client id, and the projection the ' +
    'consent gate reads changes in the same transaction.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  headers: [CLIENT_ID_HEADER],
  request: { params: purposeParams, body: consentDecisionBody },
  responses: {
    200: { description: 'The new state per purpose.', schema: consentOverview },
    409: problem('The purpose is not based on consent, or the consent changed concurrently.'),
    ...authProblems,
    ...commonProblems,
  },
  // A withdrawal for a purpose a recipient serves records the recipients' event with the decision.
  personalData: [touches('consent', ['read', 'write'], [...CONSENT_FIELDS]), OUTBOX_WRITE, CONSENT_STATS_WRITE],
  purpose: 'consent-management',
});
