/**
 * Webhook delivery rules (domain/webhooks.ts) and the HTTPS adapter's refusals: the message id is the webhook-id, a
 * message for a recipient without a webhook is refused unsigned, a non-2xx answer is a failure, backoff grows with full
 * jitter, and a URL that is not https:// is refused before any connection.
 */
import { Webhook } from 'standardwebhooks';
import { httpsPoster, InsecureWebhookUrlError, standardWebhookSignature } from '../../lambdas/adapters/https-webhooks';
import { deliverWebhook, retryDelaySeconds, secretVersionsInForce, UndeliverableMessageError, WebhookRejectedError, type WebhookDeps, type WebhookRequest } from '../../lambdas/domain/webhooks';

const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const at = new Date('2026-12-05T10:00:00.000Z');

function deps(status: number) {
  const posted: WebhookRequest[] = [];
  const d: WebhookDeps = {
    secretsOf: async () => [secret],
    sign: standardWebhookSignature,
    urlOf: () => 'https://hooks.example/in',
    post: async (request) => (posted.push(request), status),
    now: () => at,
  };
  return { d, posted };
}

const body = JSON.stringify({ format: 'forget-me-not/recipient-event@1', id: 'evt_0123456789abcdef0123456789abcdef', recipient: 'email-provider', type: 'erasure' });

it('signs the body as it came, with the message id as webhook-id', async () => {
  const { d, posted } = deps(204);
  expect(await deliverWebhook(d, body)).toEqual({ recipient: 'email-provider', webhookId: 'evt_0123456789abcdef0123456789abcdef' });
  expect(posted[0].body).toBe(body);
  expect(posted[0].headers).toMatchObject({ 'webhook-id': 'evt_0123456789abcdef0123456789abcdef', 'webhook-timestamp': String(at.getTime() / 1000) });
  jest.useFakeTimers({ now: at });
  try {
    expect(new Webhook(secret).verify(posted[0].body, posted[0].headers as Record<string, string>)).toMatchObject({ type: 'erasure' });
  } finally {
    jest.useRealTimers();
  }
});

it('during a rotation signs with both secrets, space-separated, so a recipient holding either one verifies', async () => {
  const previous = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
  const { d, posted } = deps(204);
  await deliverWebhook({ ...d, secretsOf: async () => [secret, previous] }, body);
  const signatures = posted[0].headers['webhook-signature'].split(' ');
  expect(signatures).toHaveLength(2);
  jest.useFakeTimers({ now: at });
  try {
    for (const held of [secret, previous]) expect(new Webhook(held).verify(posted[0].body, posted[0].headers as Record<string, string>)).toMatchObject({ type: 'erasure' });
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 3).toString('base64')}`).verify(posted[0].body, posted[0].headers as Record<string, string>)).toThrow();
  } finally {
    jest.useRealTimers();
  }
});

it('the previous secret version is in force only until its declared instant', async () => {
  const { recipients } = await import('../../lambdas/recipients');
  const provider = recipients['email-provider'];
  const original = provider.delivery;
  try {
    (provider as { delivery: unknown }).delivery = { kind: 'webhook', url: 'https://hooks.example/in', secretVersion: 3, previousSecret: { version: 2, until: '2026-12-10T00:00:00Z' } };
    expect(secretVersionsInForce('email-provider', new Date('2026-12-09T23:59:59Z'))).toEqual([3, 2]);
    expect(secretVersionsInForce('email-provider', new Date('2026-12-10T00:00:00Z'))).toEqual([3]);
  } finally {
    (provider as { delivery: unknown }).delivery = original;
  }
  expect(secretVersionsInForce('email-provider', at)).toEqual([1]);
});

it('refuses, unsigned, a message not for a webhook recipient or without an id; a non-2xx answer fails', async () => {
  const { d, posted } = deps(204);
  await expect(deliverWebhook(d, JSON.stringify({ id: 'evt_1', recipient: 'app-service' }))).rejects.toBeInstanceOf(UndeliverableMessageError);
  await expect(deliverWebhook(d, JSON.stringify({ recipient: 'email-provider' }))).rejects.toBeInstanceOf(UndeliverableMessageError);
  await expect(deliverWebhook(d, 'not json')).rejects.toBeInstanceOf(UndeliverableMessageError);
  expect(posted).toEqual([]);
  await expect(deliverWebhook(deps(500).d, body)).rejects.toEqual(new WebhookRejectedError(500));
  await expect(deliverWebhook(deps(302).d, body)).rejects.toBeInstanceOf(WebhookRejectedError);
});

it('backs off exponentially with full jitter, capped', () => {
  const options = { baseSeconds: 60, capSeconds: 3600 };
  expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, { ...options, random: () => 0.999999 }))).toEqual([60, 120, 240, 480]);
  expect(retryDelaySeconds(3, { ...options, random: () => 0 })).toBe(0);
  expect(retryDelaySeconds(20, { ...options, random: () => 0.999999 })).toBe(3600);
});

it('refuses a URL that is not https://', async () => {
  const post = httpsPoster({ timeoutMs: 1000 });
  await expect(post({ url: 'http://127.0.0.1:9/hook', headers: {}, body: '{}' })).rejects.toBeInstanceOf(InsecureWebhookUrlError);
});
