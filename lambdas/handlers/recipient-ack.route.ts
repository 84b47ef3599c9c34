import * as z from 'zod/mini';
import {
  REQUEST_WRITE,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  commonProblems,
  defineRoute,
  lazySchema,
  problem,
  touches,
} from '../http/route-definition';
import { ACK_OUTCOMES, ACK_REASON_MAX, ACKED_ACTIONS } from '../domain/recipient-acks';
import { REQUEST_STATUSES } from '../domain/rights';
import { RECIPIENT_IDS } from '../recipients';

export const recipientAckParams = z.strictObject({ recipientId: z.string().check(z.minLength(1), z.maxLength(64)) });

/** The ack's body (the contract is in `lambdas/domain/recipient-acks.ts`); other keys are ignored. */
export const recipientAckBody = z
  .object({
    messageId: z.string().check(z.regex(/^evt_[0-9a-f]{32}$/)),
    requestId: z.uuid(),
    action: z.enum(ACKED_ACTIONS),
    outcome: z.enum(ACK_OUTCOMES),
    counts: z.optional(z.record(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/)), z.int().check(z.minimum(0)))),
    reason: z.optional(z.string().check(z.minLength(1), z.maxLength(ACK_REASON_MAX))),
    exportPart: z.optional(z.object({ contentType: z.literal('application/json') })),
  })
  .check(
    z.refine((ack) => ack.outcome !== 'failed' || ack.reason !== undefined, { message: 'A failed ack says why (reason).', path: ['reason'] }),
    z.refine((ack) => !ack.counts || Object.keys(ack.counts).length <= 20, { message: 'At most 20 counts.', path: ['counts'] }),
  )
  .register(z.globalRegistry, { id: 'RecipientAck' });

export const recipientAckAnswer = lazySchema(() =>
  z
    .object({
      recipient: z.enum(RECIPIENT_IDS),
      requestId: z.uuid(),
      status: z.enum(['pending', ...ACK_OUTCOMES]).check(z.describe("The recipient's recorded outcome for this request.")),
      duplicate: z.boolean().check(z.describe('True when the ack changed nothing: the recipient had already acknowledged.')),
      requestStatus: z.enum(REQUEST_STATUSES).check(z.describe('The request after this ack: `completed` once every recipient acknowledged.')),
    })
    .register(z.globalRegistry, { id: 'RecipientAckAnswer' }),
);

export const recipientAckRoute = defineRoute({
  id: 'recipientAck',
  method: 'POST',
  path: '/v1/recipients/{recipientId}/acks',
  handler: 'recipient-ack',
  summary: "A recipient acknowledges an erasure or export: done (with counts), nothing found, or failed (with a reason).",
  description:
    'Arts. 17(2) and 19: a recipient told of an erasure or export answers here, signed the Standard Webhooks way with ' +
    'its own secret (`fmn recipients secret <id>`). The request completes when every recipient it told has acknowledged. ' +
    'For an export, `done` needs the recipient\u2019s part uploaded first: the ack without it answers 409 with a presigned ' +
    'PUT URL. Forged, stale (over 5 minutes), replayed or cross-recipient acks are refused, audited and change nothing.',
  tags: ['rights'],
  feature: 'rights',
  // No session: the recipient proves who it is with its signature, which the handler checks over the raw body.
  auth: 'public',
  auditActor: 'recipient',
  headers: [WEBHOOK_ID_HEADER, WEBHOOK_TIMESTAMP_HEADER, WEBHOOK_SIGNATURE_HEADER],
  request: { params: recipientAckParams, body: recipientAckBody },
  responses: {
    200: { description: 'Recorded, or a duplicate that changed nothing.', schema: recipientAckAnswer },
    401: problem('No valid signature of this recipient, a timestamp more than 5 minutes off, or a replayed webhook-id.'),
    403: problem('The message was not sent to this recipient.'),
    404: problem('No such recipient or request.'),
    409: problem('An export part acknowledged as done before it was uploaded: the answer carries the upload URL.'),
    ...commonProblems,
  },
  // The request is read whole and its recipients' record written; the export part is looked for and its upload presigned.
  // REQUEST_WRITE: the last ack completes a waiting request, and every change of a request tells the subject (outbox).
  personalData: [...REQUEST_WRITE, touches('exports', ['read', 'write'], ['subjectExport'])],
  purpose: 'transparency',
});
