import { CLIENT_ID_HEADER, CONSENT_FIELDS, authProblems, commonProblems, defineRoute, problem, touches } from '../shared/route-definition';
import { consentOverview, purposeParams } from './consent.schema';

export const objectRoute = defineRoute({
  id: 'object',
  method: 'POST',
  path: '/v1/me/objections/{purpose}',
  handler: 'object',
  summary: 'Object (Art. 21) to processing for a legitimate-interest purpose; it stops from the next request.',
  description: 
    'Objection (Art. 21) to a purpose based on legitimate interest, recorded in the consent ledger: the ' +
    'consent gate refuses or drops processing for it from the next request.',
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
