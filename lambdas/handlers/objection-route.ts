/** The declaration objecting (object.route.ts) and withdrawing the objection (withdraw-objection.route.ts) share. */
import { CLIENT_ID_HEADER, CONSENT_FIELDS, CONSENT_STATS_WRITE, authProblems, commonProblems, defineRoute, problem, touches } from '../http/route-definition';
import { consentOverview, purposeParams } from './consent.schema';

export const objectionRoute = <const T extends { id: string; method: 'POST' | 'DELETE'; handler: string; summary: string; description: string }>(
  text: T,
) =>
  defineRoute({
    ...text,
    path: '/v1/me/objections/{purpose}',
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
    personalData: [touches('consent', ['read', 'write'], [...CONSENT_FIELDS]), CONSENT_STATS_WRITE],
    purpose: 'consent-management',
  });
