import { authProblems, commonProblems, defineRoute, touches } from '../http/route-definition';

export const logoutRoute = defineRoute({
  id: 'logout',
  method: 'DELETE',
  path: '/v1/sessions/current',
  handler: 'logout',
  summary: 'Log out: ends this session.',
  description: 
    'Deletes the session item of the token that made this call. The deployed gateway caches authorizer ' +
    'answers for up to 60 seconds.',
  tags: ['sessions'],
  feature: 'accounts',
  auth: 'subject',
  responses: { 204: { description: 'Logged out.' }, ...authProblems, ...commonProblems },
  // The delete is conditional on the session's owner.
  personalData: [touches('sessions', ['delete'], ['tokenHash', 'subjectId'])],
  purpose: 'account',
});
