import { CLIENT_ID_HEADER, CONSENT_STATS_WRITE, RESTRICTION_FIELDS, authProblems, commonProblems, defineRoute, touches, OUTBOX_WRITE } from '../http/route-definition';
import { consentOverview } from './consent.schema';

// The counterpart of restrictRoute (restrict.route.ts) on the same path; declared in full so neither bundles the other.
export const liftRestrictionRoute = defineRoute({
  id: 'liftRestriction',
  method: 'DELETE',
  path: '/v1/me/restriction',
  handler: 'lift-restriction',
  summary: 'Lift my restriction of processing.',
  description:
    'Ends a restriction (Art. 18(3)); each purpose\'s processing then follows its own consent or objection ' +
    'state again, and retention applies again, starting with a fresh inactivity notice.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  headers: [CLIENT_ID_HEADER],
  responses: { 200: { description: 'The new state.', schema: consentOverview }, ...authProblems, ...commonProblems },
  personalData: [touches('consent', ['read', 'write'], [...RESTRICTION_FIELDS]), OUTBOX_WRITE, CONSENT_STATS_WRITE],
  purpose: 'consent-management',
});
