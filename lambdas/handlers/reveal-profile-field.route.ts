import { ACTIVITY_FIELDS, NOTICE_FIELDS, authProblems, commonProblems, defineRoute, problem, touches } from '../http/route-definition';
import { subjectIdParams } from './retention.schema';
import { revealBody, revealedField } from './subject-view.schema';

export const revealProfileFieldRoute = defineRoute({
  id: 'revealProfileField',
  method: 'POST',
  path: '/v1/admin/subjects/{subjectId}/reveal',
  handler: 'reveal-profile-field',
  summary: 'Reveal one masked profile field of a subject, for a stated purpose; the reveal is audited (field and purpose, never the value).',
  description:
    'Data minimisation inside the console (Arts. 5(1)(c), 25, 32): an officer sees a value only when a task needs it, one ' +
    'field at a time, and says why. The audit entry names the field and the purpose, so the subject (GET /v1/me/audit) ' +
    'and a supervisory authority can see each reveal; the value itself is in no entry and no log.',
  tags: ['admin', 'accounts'],
  feature: 'accounts',
  auth: 'admin',
  request: { params: subjectIdParams, body: revealBody },
  responses: {
    200: { description: 'The value of the field.', schema: revealedField },
    404: problem('No account with this subject id.'),
    410: problem('The account data has been erased.'),
    ...authProblems,
    ...commonProblems,
  },
  // The account is read whole (GetItem), as GET /v1/me reads it; only the one field leaves.
  personalData: [
    touches('users', ['read'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS, ...NOTICE_FIELDS]),
    touches('subjectKeys', ['read'], ['subjectId', 'wrappedKey', 'createdAt']),
  ],
  purpose: 'accountability',
  crypto: ['subjectKeys'],
});
