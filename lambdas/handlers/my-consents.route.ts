import { CONSENT_STATE_FIELDS, authProblems, commonProblems, defineRoute, touches } from '../http/route-definition';
import { consentOverview } from './consent.schema';

export const myConsentsRoute = defineRoute({
  id: 'myConsents',
  method: 'GET',
  path: '/v1/me/consents',
  handler: 'my-consents',
  summary: 'My consent state per purpose, including "needs re-consent" and lapsed consents, and whether processing is restricted.',
  description: 
    'The caller\'s consent state per purpose, read from the ledger\'s projection (granted, withdrawn, ' +
    'lapsed, needs re-consent after a policy change, objected, restricted) and whether processing for it ' +
    'may happen now.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  responses: { 200: { description: 'State per purpose.', schema: consentOverview }, ...authProblems, ...commonProblems },
  personalData: [touches('consent', ['read'], [...CONSENT_STATE_FIELDS])],
  purpose: 'consent-management',
});
