import { QUEUE_JOB_FIELDS, authProblems, commonProblems, defineRoute, touches } from '../http/route-definition';
import { redriveBody, redriveParams, redriveResult } from './operations.schema';

export const redriveQueueRoute = defineRoute({
  id: 'redriveQueue',
  method: 'POST',
  path: '/v1/admin/operations/queues/{queue}/redrive',
  handler: 'redrive-queue',
  summary: 'Move messages from a dead-letter queue back to its queue (re-authentication first).',
  description:
    'Sends up to `max` messages (default 10, at most 100 per call) from the DLQ back to the queue they failed on, oldest ' +
    'first, each sent before it is deleted (a failure in between repeats a message, never loses one). Fix the cause first: ' +
    'a job that failed five times fails again. Answers with the count actually moved; audited.',
  tags: ['operations', 'admin'],
  feature: 'operations',
  auth: 'admin',
  request: { params: redriveParams, body: redriveBody },
  responses: { 200: { description: 'What was moved, and the DLQ after.', schema: redriveResult }, ...authProblems, ...commonProblems },
  personalData: [
    // The messages move whole and unread: a rights job (ids), or a recipient's event (the identifiers it receives).
    touches('rightsRequestQueue', ['read', 'write', 'delete'], [...QUEUE_JOB_FIELDS]),
    touches('recipientEvents', ['read', 'write', 'delete'], ['subjectId', 'email', 'previous']),
  ],
  purpose: 'accountability',
  reauthentication: true,
  operations: ['redrive'],
});
