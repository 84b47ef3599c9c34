import { REQUEST_FIELDS, touches, withAudit, type WorkerDefinition } from '../http/route-definition';
import { webhookRecipientIds, type RecipientId } from '../recipients';
import { recipientQueueId } from '../runtime/resources';

const pascal = (id: string) => id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

/** The worker that delivers one webhook recipient's queue. */
export const webhookDispatcherFor = (recipient: RecipientId): WorkerDefinition => withAudit({
  id: `webhookDispatcher${pascal(recipient)}`,
  handler: 'webhook-dispatcher',
  description:
    `Delivers the ${recipient} queue's messages to its webhook with Standard Webhooks signatures; a failed try waits ` +
    '(exponential backoff, full jitter), the 5th failure goes to its DLQ.',
  queue: recipientQueueId(recipient),
  batchSize: 5,
  // Five POSTs of at most 5 s each; the recipient queues' 5-minute visibility is more than six times this.
  timeoutSeconds: 30,
  // The event source hands it the messages (the email, for the email provider) and it passes them on unchanged; its key
  // use is deriving the recipient's signing secret from the HMAC key. After the last failed try it marks the recipient
  // failed on the erasure or export the message was about (read whole, written back), so an admin sees which one failed.
  personalData: [touches('rightsRequests', ['read', 'write'], [...REQUEST_FIELDS])],
  crypto: ['pseudonyms'],
  purpose: 'accountability',
});

/** One dispatcher per recipient declared with a webhook. */
export const webhookDispatchers: readonly WorkerDefinition[] = webhookRecipientIds().map(webhookDispatcherFor);
