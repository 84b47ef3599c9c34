import * as z from 'zod/mini';
import { authProblems, commonProblems, defineRoute, REQUEST_FIELDS, touches, lazySchema } from '../http/route-definition';
import { requestView } from './rights.schema';

export const requestList = lazySchema(() =>
  z.object({ requests: z.array(requestView()) }).register(z.globalRegistry, { id: 'RightsRequestList' }),
);

export const myRequestsRoute = defineRoute({
  id: 'myRequests',
  method: 'GET',
  path: '/v1/me/requests',
  handler: 'my-requests',
  summary: 'My rights requests, newest first, with their state history, due dates and receipts.',
  description: 
    'The caller\'s requests (Art. 12): each with its state history, due date, any extension with its ' +
    'reason, and for a completed erasure the receipt.',
  tags: ['rights'],
  feature: 'rights',
  auth: 'subject',
  responses: { 200: { description: 'My requests.', schema: requestList }, ...authProblems, ...commonProblems },
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS])],
  purpose: 'transparency',
});
