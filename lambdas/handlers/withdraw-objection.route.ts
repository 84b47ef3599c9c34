import { CLIENT_ID_HEADER, CONSENT_FIELDS, authProblems, commonProblems, defineRoute, problem, touches } from '../shared/route-definition';
import { consentOverview, purposeParams } from './consent.schema';

// The counterpart of objectRoute (object.route.ts) on the same path; declared in full so neither bundles the other.
export const withdrawObjectionRoute = defineRoute({
  id: 'withdrawObjection',
  method: 'DELETE',
  path: '/v1/me/objections/{purpose}',
  handler: 'withdraw-objection',
  summary: 'Withdraw my objection to a legitimate-interest purpose.',
  description: 
    'Withdraws an objection; processing on the legitimate-interest basis may resume. Recorded in the ' +
    'consent ledger like every decision.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  headers: [CLIENT_ID_HEADER],
  request: { params: purposeParams },
  responses: {
    200: { description: 'The new state.', schema: consentOverview },
    409: problem('The purpose is not based on legitimate interest.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('consent', ['read', 'write'], [...CONSENT_FIELDS])],
  purpose: 'consent-management',
});
