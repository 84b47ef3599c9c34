/** The declaration the four admin actions on one request (approve, reject, extend, complete) share; each has its own route module. */
import type * as z from 'zod/mini';
import { QUEUE_JOB_FIELDS, REQUEST_WRITE, authProblems, commonProblems, defineRoute, problem, touches, OUTBOX_WRITE } from '../http/route-definition';
import { adminRequestView, requestIdParams } from './rights.schema';

/** `enqueues`: the action queues the request for the workers (approve); the others only change the request. */
export const adminRequestRoute = (
  id: string,
  action: string,
  handler: string,
  text: { summary: string; description: string },
  body?: z.ZodMiniType,
  enqueues = false,
  /** The action records an event for recipients in its transaction (complete: a rectification's corrected fields). */
  tellsRecipients = false,
) =>
  defineRoute({
    id,
    method: 'POST',
    path: `/v1/admin/requests/{requestId}/${action}`,
    handler,
    ...text,
    tags: ['rights', 'admin'],
    feature: 'rights',
    auth: 'admin',
    request: { params: requestIdParams, ...(body ? { body } : {}) },
    responses: {
      200: { description: 'The request after the change.', schema: adminRequestView },
      404: problem('No such request.'),
      409: problem('Not possible in the request\'s current state.'),
      ...authProblems,
      ...commonProblems,
    },
    personalData: [
      ...REQUEST_WRITE,
      ...(enqueues ? [touches('rightsRequestQueue', ['write'], [...QUEUE_JOB_FIELDS])] : []),
      ...(tellsRecipients ? [OUTBOX_WRITE] : []),
    ],
    purpose: 'accountability',
  });
