import * as z from 'zod/mini';
import { authProblems, commonProblems, CONSENT_EVENT_FIELDS, defineRoute, touches } from '../http/route-definition';
import { consentHistory, historyPosition, historyQuery } from './consent.schema';

export const adminConsentHistoryRoute = defineRoute({
  id: 'adminConsentHistory',
  method: 'GET',
  path: '/v1/admin/subjects/{subjectId}/consents/history',
  handler: 'admin-consent-history',
  summary: 'A subject\'s consent, objection and restriction decisions, newest first, with policy versions. Audited.',
  description:
    'Proof of consent (Art. 7(1)) as an officer must show it: every grant, withdrawal, objection and restriction in the ' +
    'subject\'s ledger, with the policy version and hash each was given on, the method and the app.',
  tags: ['consent', 'admin'],
  feature: 'consent',
  auth: 'admin',
  request: { params: z.strictObject({ subjectId: z.uuid() }), query: historyQuery },
  paging: { position: historyPosition },
  responses: {
    200: { description: 'A page of the subject\'s consent history.', schema: consentHistory },
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('consent', ['read'], [...CONSENT_EVENT_FIELDS])],
  purpose: 'accountability',
});
