import {
  CONSENT_STATE_FIELDS,
  NOTICE_FIELDS,
  REQUEST_FIELDS,
  RETENTION_FIELDS,
  authProblems,
  commonProblems,
  defineRoute,
  problem,
  touches,
} from '../http/route-definition';
import { subjectIdParams } from './retention.schema';
import { subjectOverview } from './subject-view.schema';

export const adminSubjectRoute = defineRoute({
  id: 'adminSubject',
  method: 'GET',
  path: '/v1/admin/subjects/{subjectId}',
  handler: 'admin-subject',
  summary:
    'One subject for the privacy console: consent per purpose with policy versions, objections and restriction, legal hold, ' +
    'retention state and requests. Profile values stay masked. Audited.',
  description:
    'What an officer needs to answer for a subject (Arts. 7(1), 12, 17(3)(e), 18, 21) without seeing their profile: ' +
    'states, dates and policy versions only. A value is shown only through the reveal route, one field at a time.',
  tags: ['admin'],
  feature: 'rights',
  auth: 'admin',
  request: { params: subjectIdParams },
  responses: {
    200: { description: 'The subject.', schema: subjectOverview },
    404: problem('No account with this subject id.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [
    touches('users', ['read'], ['subjectId', 'lastActiveAt', ...NOTICE_FIELDS, ...RETENTION_FIELDS]),
    touches('consent', ['read'], [...CONSENT_STATE_FIELDS]),
    touches('rightsRequests', ['read'], [...REQUEST_FIELDS]),
  ],
  purpose: 'accountability',
});
