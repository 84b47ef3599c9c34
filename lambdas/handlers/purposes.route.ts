import { commonProblems, defineRoute } from '../shared/route-definition';
import { purposeList } from './consent.schema';

export const purposesRoute = defineRoute({
  id: 'purposes',
  method: 'GET',
  path: '/v1/purposes',
  handler: 'purposes',
  summary: 'The processing purposes: lawful basis, policy text with its version and SHA-256, data, retention, recipients.',
  description: 
    'The information owed to data subjects (Arts. 13 and 14) per purpose: lawful basis, policy text with ' +
    'version and SHA-256, data categories, retention and recipients. Public, so it can be shown before ' +
    'sign-up.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'public',
  responses: { 200: { description: 'Every purpose.', schema: purposeList }, ...commonProblems },
  personalData: [],
});
