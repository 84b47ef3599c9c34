import { REQUEST_FIELDS, authProblems, commonProblems, defineRoute, problem, touches } from '../http/route-definition';
import { requestIdParams, requestView } from './rights.schema';

export const myRequestRoute = defineRoute({
  id: 'myRequest',
  method: 'GET',
  path: '/v1/me/requests/{requestId}',
  handler: 'my-request',
  summary: 'One of my rights requests.',
  description: 
    'One of the caller\'s requests, with its state history and due date. Another subject\'s request answers ' +
    '404, so ids cannot be probed.',
  tags: ['rights'],
  feature: 'rights',
  auth: 'subject',
  request: { params: requestIdParams },
  responses: { 200: { description: 'The request.', schema: requestView }, 404: problem('No such request of mine.'), ...authProblems, ...commonProblems },
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS])],
  purpose: 'transparency',
});
