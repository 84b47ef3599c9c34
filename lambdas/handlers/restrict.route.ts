import { CLIENT_ID_HEADER, CONSENT_STATS_WRITE, RESTRICTION_FIELDS, RETENTION_STOP_DATA, authProblems, commonProblems, defineRoute, touches, OUTBOX_WRITE } from '../http/route-definition';
import { consentOverview } from './consent.schema';

export const restrictRoute = defineRoute({
  id: 'restrict',
  method: 'POST',
  path: '/v1/me/restriction',
  handler: 'restrict',
  summary: 'Restrict processing (Art. 18): everything stops except storage, my rights and what the law requires.',
  description:
    'Restriction of processing (Art. 18), recorded in the consent ledger: from the next request the ' +
    'consent gate stops every purpose that does not continue under a restriction (storage, the subject\'s ' +
    'rights, legal obligations). Retention stops too, as under a legal hold: no inactivity notice, and a retention ' +
    'erasure filed but not started is rejected.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  headers: [CLIENT_ID_HEADER],
  responses: { 200: { description: 'The new state.', schema: consentOverview }, ...authProblems, ...commonProblems },
  personalData: [touches('consent', ['read', 'write'], [...RESTRICTION_FIELDS]), OUTBOX_WRITE, CONSENT_STATS_WRITE, ...RETENTION_STOP_DATA],
  purpose: 'consent-management',
});
