import { authProblems, commonProblems, defineRoute, touches } from '../http/route-definition';
import { operationsOverview } from './operations.schema';

export const adminOperationsRoute = defineRoute({
  id: 'adminOperations',
  method: 'GET',
  path: '/v1/admin/operations',
  handler: 'admin-operations',
  summary: 'Operations health: queues and DLQs, overdue requests, the jobs\' last runs, the recipients, the alarms.',
  description:
    "Every queue's and DLQ's counters (never a message), the overdue requests (as the overdue job counts them), each " +
    "scheduled job's last run and outcome, the recipients' state (as GET /v1/admin/recipients) and the stage's alarms " +
    '(on AWS; the local cloud has no CloudWatch and says so). Move a DLQ back with POST /v1/admin/operations/queues/{queue}/redrive.',
  tags: ['operations', 'admin'],
  feature: 'operations',
  auth: 'admin',
  responses: { 200: { description: 'The operations view.', schema: operationsOverview }, ...authProblems, ...commonProblems },
  personalData: [
    // Counts and each awaited recipient's deadline and status on the byStatus index (projections: no reason, no subject id).
    touches('rightsRequests', ['read'], ['requestId', 'status', 'dueAt', 'recipients']),
    touches('jobRuns', ['read'], ['jobId', 'startedAt', 'finishedAt', 'outcome', 'counts', 'error']),
  ],
  purpose: 'accountability',
  operations: ['queueCounters', 'alarms'],
});
