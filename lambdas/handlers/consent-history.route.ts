import { authProblems, commonProblems, CONSENT_EVENT_FIELDS, defineRoute, touches } from '../http/route-definition';
import { consentHistory, historyPosition, historyQuery } from './consent.schema';

export { consentHistory, consentEvent, historyPosition, historyQuery } from './consent.schema';

export const consentHistoryRoute = defineRoute({
  id: 'consentHistory',
  method: 'GET',
  path: '/v1/me/consents/history',
  handler: 'consent-history',
  summary: 'Every consent, objection and restriction decision I made, newest first.',
  description: 
    'Proof of consent (Art. 7(1)) as the subject sees it: every grant, withdrawal, objection and ' +
    'restriction in the ledger, with the policy version and hash each was given on.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  request: { query: historyQuery },
  paging: { position: historyPosition },
  responses: { 200: { description: 'A page of my consent history.', schema: consentHistory }, ...authProblems, ...commonProblems },
  personalData: [touches('consent', ['read'], [...CONSENT_EVENT_FIELDS])],
  purpose: 'consent-management',
});
