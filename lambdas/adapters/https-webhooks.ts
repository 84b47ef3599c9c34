/**
 * Webhook delivery over HTTPS with Standard Webhooks signatures (the `standardwebhooks` package signs, so what recipients
 * verify with the same package is what we produce). TLS only: a URL that is not https:// is refused before any connection.
 * Certificates are checked against the system's CAs; the local cloud adds its test CA through WEBHOOK_EXTRA_CA_FILE, which
 * no deployment sets.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { Webhook } from 'standardwebhooks';
import type { WebhookRequest } from '../domain/webhooks';

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` under the `whsec_` secret. */
export function standardWebhookSignature(secret: string, id: string, at: Date, body: string): string {
  return new Webhook(secret).sign(id, at, body);
}

/** A webhook URL that is not https://. */
export class InsecureWebhookUrlError extends Error {
  constructor() {
    super('webhook URLs must be https://');
    this.name = 'InsecureWebhookUrlError';
  }
}

/** A POST that took longer than the timeout. */
export class WebhookTimeoutError extends Error {
  constructor() {
    super('the webhook did not answer in time');
    this.name = 'WebhookTimeoutError';
  }
}

export function httpsPoster(options: { extraCaFile?: string; timeoutMs: number }): (req: WebhookRequest) => Promise<number> {
  // Node replaces its CA list with `ca` when given: the system's roots plus the extra one, never the extra one alone.
  const ca = options.extraCaFile ? [...rootCertificates, readFileSync(options.extraCaFile, 'utf8')] : undefined;
  return (req) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(req.url);
      if (url.protocol !== 'https:') return reject(new InsecureWebhookUrlError());
      const outgoing = request(
        url,
        { method: 'POST', headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) }, ca, timeout: options.timeoutMs },
        (answer) => {
          // The body is not read into memory or logged: only the status counts.
          answer.resume();
          answer.on('end', () => resolve(answer.statusCode ?? 0));
          answer.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new WebhookTimeoutError()));
      outgoing.on('error', reject);
      outgoing.end(req.body);
    });
}
