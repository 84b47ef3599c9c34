import * as z from 'zod/mini';
import { authProblems, commonProblems, defineRoute, lazySchema, touches } from '../http/route-definition';
import { RECIPIENT_IDS } from '../recipients';

export const recipientsOverviewList = lazySchema(() =>
  z
    .object({
      recipients: z.array(
        z.object({
          recipient: z.enum(RECIPIENT_IDS),
          name: z.string(),
          kind: z.enum(['own-service', 'processor', 'third-party']),
          delivery: z.enum(['queue', 'webhook']),
          answerWithinDays: z.int(),
          status: z
            .enum(['ok', 'overdue', 'failing'])
            .check(
              z.describe(
                'failing: a request awaiting it shows it failed (it answered failed, or its webhook message went to the DLQ); ' +
                  'overdue: one is past its deadline; ok otherwise.',
              ),
            ),
          awaiting: z
            .object({ pending: z.int(), overdue: z.int(), failed: z.int() })
            .check(z.describe('Requests awaiting their recipients that wait for this one, by where it stands.')),
        }),
      ),
    })
    .register(z.globalRegistry, { id: 'RecipientsOverview' }),
);

export const adminRecipientsRoute = defineRoute({
  id: 'adminRecipients',
  method: 'GET',
  path: '/v1/admin/recipients',
  handler: 'admin-recipients',
  summary: 'Every declared recipient and how it answers: ok, overdue or failing, with the requests waiting for it.',
  description:
    'Art. 19 in operation: which recipient holds up erasures and exports, and which one is failing (a failed ack, or ' +
    'webhook messages in its DLQ). Find the requests with GET /v1/admin/requests?status=awaiting_recipients.',
  tags: ['rights', 'admin'],
  feature: 'rights',
  auth: 'admin',
  responses: { 200: { description: 'The recipients.', schema: recipientsOverviewList }, ...authProblems, ...commonProblems },
  // The byStatus index's awaiting_recipients partition: each request's id and, per recipient, its status and deadline (a
  // projection: no reason, no subject id).
  personalData: [touches('rightsRequests', ['read'], ['requestId', 'status', 'recipients'])],
  purpose: 'accountability',
});
