import { authProblems, commonProblems, CONSENT_STATS_FIELDS, defineRoute, touches } from '../http/route-definition';
import { consentStats, consentStatsQuery } from './consent-stats.schema';

export const adminConsentStatsRoute = defineRoute({
  id: 'adminConsentStats',
  method: 'GET',
  path: '/v1/admin/consent-stats',
  handler: 'admin-consent-stats',
  summary:
    'Consent figures per purpose and policy version (granted, lapsing today, expired, needing re-consent, withdrawn, ' +
    'objected), subjects restricted, and decisions per day over a range of at most 366 days.',
  description:
    'From sharded counters that every consent decision and every erasure moves in its own transaction: exact, and read ' +
    'from a fixed number of small partitions whatever the number of subjects (no Scan). Names no subject.',
  tags: ['consent', 'admin'],
  feature: 'consent',
  auth: 'admin',
  request: { query: consentStatsQuery },
  responses: {
    200: { description: 'The figures.', schema: consentStats },
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('consent', ['read'], [...CONSENT_STATS_FIELDS])],
  purpose: 'consent-management',
});
