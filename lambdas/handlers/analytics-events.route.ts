import { authProblems, commonProblems, defineRoute, touches } from '../shared/route-definition';
import { analyticsBody } from './consent.schema';

export const analyticsEventsRoute = defineRoute({
  id: 'analyticsEvents',
  method: 'POST',
  path: '/v1/events',
  handler: 'analytics-events',
  summary: 'Usage events: stored (pseudonymously, 90 days) only while I grant `analytics`; otherwise 204 and nothing is stored.',
  description: 
    'A batch of usage events. Unless `analytics` is granted (Art. 6(1)(a)) the consent gate answers 204 ' +
    'and stores nothing; stored events are keyed by an HMAC pseudonym, hold no free text and expire after ' +
    '90 days.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  request: { body: analyticsBody },
  responses: { 204: { description: 'Accepted (stored only with consent).' }, ...authProblems, ...commonProblems },
  personalData: [
    touches('analyticsEvents', ['write'], ['analyticsId', 'sk', 'name', 'properties', 'at', 'expiresAt']),
  ],
  purpose: 'analytics',
  consentGate: 'drop',
  crypto: ['pseudonyms'],
});
