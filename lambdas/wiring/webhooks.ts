/**
 * Wires the webhook dispatcher: recipient secrets from the KMS HMAC key, Standard Webhooks signatures, HTTPS POSTs. Read
 * once per cold start. WEBHOOK_URL_OVERRIDES (JSON, recipient id → URL) and WEBHOOK_EXTRA_CA_FILE are set by the local
 * cloud only, so that the tests' HTTPS receiver stands in for a recipient; no deployment sets them.
 */
import type { KmsPseudonyms } from '../adapters/kms-pseudonyms';
import { httpsPoster, standardWebhookSignature } from '../adapters/https-webhooks';
import { WEBHOOK_SECRET_PURPOSE, secretMessage, secretVersionsInForce, webhookSecretOf, type WebhookDeps } from '../domain/webhooks';
import { recipientOf, type RecipientId } from '../recipients';
import { pseudonymHmac } from './audit';

/** Seconds a POST may take; the dispatcher's timeout leaves room for a batch of them. */
const POST_TIMEOUT_MS = 5_000;

/**
 * A recipient's signing secret, `whsec_…`: HMAC of a fixed purpose, its id and a secret version (the declared
 * `secretVersion`, 1 for a queue recipient that declares none, unless another is asked for, as `fmn recipients secret
 * --secret-version` does during a rotation). Webhooks are signed with it; every recipient signs its acks with it.
 */
export async function webhookSecret(pseudonyms: Pick<KmsPseudonyms, 'mac'>, recipient: RecipientId, version?: number): Promise<string> {
  const delivery = recipientOf(recipient).delivery;
  const mac = await pseudonyms.mac(WEBHOOK_SECRET_PURPOSE, secretMessage(recipient, version ?? delivery.secretVersion ?? 1));
  return webhookSecretOf(Buffer.from(mac, 'base64url'));
}

/** Call at module scope. */
export function webhookDeps(): WebhookDeps {
  const pseudonyms = pseudonymHmac();
  const overrides = JSON.parse(process.env.WEBHOOK_URL_OVERRIDES || '{}') as Partial<Record<RecipientId, string>>;
  const post = httpsPoster({ extraCaFile: process.env.WEBHOOK_EXTRA_CA_FILE || undefined, timeoutMs: POST_TIMEOUT_MS });
  return {
    secretsOf: (recipient, at) => Promise.all(secretVersionsInForce(recipient, at).map((version) => webhookSecret(pseudonyms, recipient, version))),
    sign: standardWebhookSignature,
    urlOf: (recipient) => {
      const delivery = recipientOf(recipient).delivery;
      return overrides[recipient] ?? (delivery.kind === 'webhook' ? delivery.url : '');
    },
    post,
    now: () => new Date(),
  };
}
