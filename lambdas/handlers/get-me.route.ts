import { ACTIVITY_FIELDS, NOTICE_FIELDS, authProblems, commonProblems, defineRoute, problem, touches } from '../http/route-definition';
import { account } from './accounts.schema';

export const getMeRoute = defineRoute({
  id: 'getMe',
  method: 'GET',
  path: '/v1/me',
  handler: 'get-me',
  summary: 'My account: every profile field, and where each came from.',
  description: 
    'Access to the account itself (Art. 15): decrypts the profile with the subject\'s data key and returns ' +
    'every field with its source (`user` or `provider:<name>`). Answers 410 once the data is erased.',
  tags: ['accounts'],
  feature: 'accounts',
  auth: 'subject',
  responses: {
    200: { description: 'My account.', schema: account },
    410: problem('The account data has been erased.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [
    touches('users', ['read'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS, ...NOTICE_FIELDS]),
    touches('subjectKeys', ['read'], ['subjectId', 'wrappedKey', 'createdAt']),
  ],
  purpose: 'account',
  crypto: ['subjectKeys'],
});
