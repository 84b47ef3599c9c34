import { SESSION_FIELDS, authProblems, commonProblems, defineRoute, touches } from '../http/route-definition';

export const logoutEverywhereRoute = defineRoute({
  id: 'logoutEverywhere',
  method: 'DELETE',
  path: '/v1/sessions',
  handler: 'logout-everywhere',
  summary: 'Log out everywhere: ends every session of mine.',
  description: 
    'Deletes every session of the caller, this one included, for example after losing a device. The ' +
    'deployed gateway caches authorizer answers for up to 60 seconds.',
  tags: ['sessions'],
  feature: 'accounts',
  auth: 'subject',
  responses: { 204: { description: 'All sessions ended.' }, ...authProblems, ...commonProblems },
  personalData: [touches('sessions', ['read', 'delete'], [...SESSION_FIELDS])],
  purpose: 'account',
});
