import * as z from 'zod/mini';
import { REQUEST_STATUSES, REQUEST_TYPES } from '../domain/rights';
import { authProblems, commonProblems, defineRoute, REQUEST_FIELDS, touches, lazySchema } from '../http/route-definition';
import { adminRequestView } from './rights.schema';

export const adminRequestsQuery = z.strictObject({
  status: z.optional(z.enum(REQUEST_STATUSES)),
  overdue: z.optional(z.enum(['true', 'false'])),
  type: z.optional(z.enum(REQUEST_TYPES)),
});

const adminRequestListItem = lazySchema(() =>
  z
    .extend(adminRequestView(), {
      legalHold: z.boolean().check(z.describe('The subject\'s account stands under a legal hold (retention is stopped).')),
    })
    .register(z.globalRegistry, { id: 'AdminRightsRequestListItem' }),
);

export const adminRequestList = lazySchema(() =>
  z.object({ requests: z.array(adminRequestListItem()) }).register(z.globalRegistry, { id: 'AdminRightsRequestList' }),
);

export const adminRequestsRoute = defineRoute({
  id: 'adminRequests',
  method: 'GET',
  path: '/v1/admin/requests',
  handler: 'admin-requests',
  summary: 'Open rights requests (or those in a status), oldest due first; `overdue=true` lists those past their due date.',
  description: 
    'The queue of data-subject requests for whoever answers them: by status and type, or overdue, so the ' +
    'one-month deadline (Art. 12(3)) is kept. Each request says whether its subject\'s account stands under a legal hold.',
  tags: ['rights', 'admin'],
  feature: 'rights',
  auth: 'admin',
  request: { query: adminRequestsQuery },
  responses: { 200: { description: 'Requests.', schema: adminRequestList }, ...authProblems, ...commonProblems },
  personalData: [
    touches('rightsRequests', ['read'], [...REQUEST_FIELDS]),
    // Whether each listed subject's account is held: the hold attribute only (a projection), never the profile.
    touches('users', ['read'], ['subjectId', 'legalHold']),
  ],
  purpose: 'accountability',
});
