import { authProblems, commonProblems, defineRoute, problem, REQUEST_FIELDS, touches } from '../http/route-definition';
import { adminRequestView, requestIdParams } from './rights.schema';

export const adminRequestRoute = defineRoute({
  id: 'adminRequest',
  method: 'GET',
  path: '/v1/admin/requests/{requestId}',
  handler: 'admin-request',
  summary: 'One rights request, in any state, with its full history (for the console\'s request detail).',
  description:
    'The request as the subject sees it plus its subject id: status changes with their notes and evidence, the ' +
    'extension, and an erasure\'s receipt. Audited as a read of the subject\'s request.',
  tags: ['rights', 'admin'],
  feature: 'rights',
  auth: 'admin',
  request: { params: requestIdParams },
  responses: {
    200: { description: 'The request.', schema: adminRequestView },
    404: problem('No such request.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS])],
  purpose: 'accountability',
});
