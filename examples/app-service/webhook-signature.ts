import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks, as a recipient uses it. `secret` is what `fmn recipients secret <recipientId>` prints (`whsec_…`).
 * A webhook recipient verifies each delivery; every recipient signs its acks the same way.
 */

/** A delivery, checked: throws if the signature is not ours or the timestamp is more than 5 minutes off. */
export function verifyDelivery(secret: string, rawBody: string, headers: Record<string, string>): unknown {
  return new Webhook(secret).verify(rawBody, headers);
}

/** An ack, signed: send `raw` as the body, exactly these bytes, with these headers. */
export function signAck(secret: string, body: object, now = new Date()): { raw: string; headers: Record<string, string> } {
  const raw = JSON.stringify(body);
  const id = `ack_${crypto.randomUUID().replace(/-/g, '')}`;
  const headers = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, now, raw),
  };
  return { raw, headers };
}
