/**
 * Webhook delivery (issue 14 item 3): a dispatcher consumes a webhook recipient's queue and POSTs each message to the
 * recipient's URL, signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256).
 *
 * Main course of `deliverWebhook`:
 *   1. read the message (its `id` is stable per source, recipient and event type, so it is the `webhook-id`: a redelivery,
 *      or the same event published twice, carries the same id and the recipient deduplicates on it);
 *   2. refuse a message that is not for a webhook recipient (it would be signed with the wrong secret);
 *   3. sign with each of the recipient's secrets in force (derived from the KMS HMAC key, `secretMessage`: the current one,
 *      and during a rotation the previous one too, space-separated as Standard Webhooks allows) and POST the body as it came;
 *   4. a 2xx answer is delivered; anything else throws, and the dispatcher retries after `retryDelaySeconds`.
 */
import { recipientOf, type RecipientId, RECIPIENT_IDS } from '../recipients';

/** What the HMAC key is asked to MAC for a recipient's secret: a fixed purpose, the recipient id and the secret version. */
export const WEBHOOK_SECRET_PURPOSE = 'forget-me-not/webhook-secret';
export const secretMessage = (recipient: RecipientId, version: number): string => `${recipient}\u0000v${version}`;

/** A Standard Webhooks secret from 32 MAC bytes: `whsec_` and the base64 of the key. */
export const webhookSecretOf = (mac: Uint8Array): string => `whsec_${Buffer.from(mac).toString('base64')}`;

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface WebhookDeps {
  /** The recipient's secrets in force at `at` (`whsec_…`): the current one first, then a previous one still in its period. */
  secretsOf(recipient: RecipientId, at: Date): Promise<readonly string[]>;
  /** `v1,<base64>` for the Standard Webhooks signed content `<id>.<timestamp>.<body>`. */
  sign(secret: string, id: string, at: Date, body: string): string;
  /** Where the recipient is POSTed to (its declared URL; the local cloud may point it elsewhere). */
  urlOf(recipient: RecipientId): string;
  /** POSTs; the HTTP status, or throws on a network or TLS failure. */
  post(request: WebhookRequest): Promise<number>;
  readonly now: () => Date;
}

/** The message is not one this dispatcher can deliver: not JSON, no id, or not for a webhook recipient. */
export class UndeliverableMessageError extends Error {
  constructor(readonly reason: string) {
    super(`undeliverable message: ${reason}`);
    this.name = 'UndeliverableMessageError';
  }
}

/** The recipient answered something other than 2xx (the status only: its body may say anything). */
export class WebhookRejectedError extends Error {
  constructor(readonly status: number) {
    super(`the webhook answered ${status}`);
    this.name = 'WebhookRejectedError';
  }
}

/** Delivers one queue message (see the module comment); returns the recipient and the webhook-id. */
export async function deliverWebhook(deps: WebhookDeps, body: string): Promise<{ recipient: RecipientId; webhookId: string }> {
  let message: { id?: unknown; recipient?: unknown };
  try {
    message = JSON.parse(body) as typeof message;
  } catch {
    throw new UndeliverableMessageError('not JSON');
  }
  const recipient = RECIPIENT_IDS.find((id) => id === message.recipient);
  if (!recipient || recipientOf(recipient).delivery.kind !== 'webhook') throw new UndeliverableMessageError('not for a webhook recipient');
  if (typeof message.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(message.id)) throw new UndeliverableMessageError('no message id');
  const at = deps.now();
  const secrets = await deps.secretsOf(recipient, at);
  const status = await deps.post({
    url: deps.urlOf(recipient),
    headers: {
      'content-type': 'application/json',
      'webhook-id': message.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': secrets.map((secret) => deps.sign(secret, message.id as string, at, body)).join(' '),
    },
    body,
  });
  if (status < 200 || status > 299) throw new WebhookRejectedError(status);
  return { recipient, webhookId: message.id };
}

/**
 * The secret versions in force for a recipient at `at` (a webhook's messages are signed with them, and a recipient's acks
 * verify with them): the declared `secretVersion` (1 for a queue recipient that declares none), and the `previousSecret`
 * version while `at` is before its `until`.
 */
export function secretVersionsInForce(recipient: RecipientId, at: Date): number[] {
  const delivery = recipientOf(recipient).delivery;
  const current = delivery.secretVersion ?? 1;
  const previous = delivery.previousSecret;
  const previousInForce = previous !== undefined && previous.version !== current && at.getTime() < Date.parse(previous.until);
  return previousInForce ? [current, previous.version] : [current];
}

/**
 * How long a failed delivery waits before its next try: exponential backoff with full jitter (a random delay between 0
 * and `base * 2^(tries - 1)`, capped), so a recipient that was down is not hit by every message at once when it returns.
 */
export function retryDelaySeconds(receiveCount: number, options: { baseSeconds: number; capSeconds: number; random?: () => number }): number {
  const ceiling = Math.min(options.capSeconds, options.baseSeconds * 2 ** Math.max(0, receiveCount - 1));
  return Math.floor((options.random ?? Math.random)() * (ceiling + 1));
}
