/** The declaration the four admin actions on one request (approve, reject, extend, complete) share; each has its own route module. */
import type * as z from 'zod/mini';
import { QUEUE_JOB_FIELDS, REQUEST_WRITE, authProblems, commonProblems, defineRoute, problem, touches, OUTBOX_WRITE } from '../http/route-definition';
import { adminRequestView, requestIdParams } from './rights.schema';

export interface AdminRequestRouteOptions {
  readonly body?: z.ZodMiniType;
  /** The action queues the request for the workers (approve); the others only change the request. */
  readonly enqueues?: boolean;
  /** The action records an event for recipients in its transaction (complete: a rectification's corrected fields). */
  readonly tellsRecipients?: boolean;
  /** Destructive (approve: the workers erase or hand out data; complete: closes it for good): re-authentication first. */
  readonly reauthentication?: boolean;
}

export const adminRequestRoute = (
  id: string,
  action: string,
  handler: string,
  text: { summary: string; description: string },
  { body, enqueues = false, tellsRecipients = false, reauthentication = false }: AdminRequestRouteOptions = {},
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
    ...(reauthentication ? { reauthentication: true as const } : {}),
  });
