import { acknowledge } from '../domain/recipient-acks';
import { recipientAckRoute } from './recipient-ack.route';
import { httpRoute } from '../http/http';
import { ackContext } from '../wiring/recipient-acks';

const acks = ackContext(recipientAckRoute);

/** Public: the recipient proves who it is by its Standard Webhooks signature over the raw body, checked by the use case. */
export const handler = httpRoute(recipientAckRoute, async ({ params, headers, body, event, audit }) => {
  const rawBody = event.body == null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const answer = await acknowledge(acks(audit), { recipientId: params.recipientId, headers, rawBody, body });
  return { body: answer };
});
