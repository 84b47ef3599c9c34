/**
 * The example recipient (examples/app-service) without a network: the README quotes its signature file word for word and
 * that file works against the backend's own signer and verifier; its contract types still fit the backend's messages; and
 * its handling of erasure and export, acks included, over fake ports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardWebhookSignature } from '../../lambdas/adapters/https-webhooks';
import { verifyAckSignature } from '../../lambdas/domain/recipient-acks';
import { messageId, recipientMessages, type RecipientMessageBody } from '../../lambdas/domain/recipient-events';
import type { AckAnswer, AckBody, RecipientMessage } from '../../examples/app-service/contract';
import { AckRefusedError, handleMessage, type ExampleRecipientDeps, type ServiceRecord } from '../../examples/app-service/service';
import { signAck, verifyDelivery } from '../../examples/app-service/webhook-signature';

const root = join(__dirname, '..', '..');
const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

describe('the README signature snippet', () => {
  it('is examples/app-service/webhook-signature.ts, word for word', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const marker = '<!-- snippet: examples/app-service/webhook-signature.ts -->';
    expect(readme).toContain(marker);
    const block = /^```typescript\n([\s\S]*?)^```$/m.exec(readme.slice(readme.indexOf(marker)))![1];
    expect(block).toBe(readFileSync(join(root, 'examples', 'app-service', 'webhook-signature.ts'), 'utf8'));
  });

  it("verifies what the backend's dispatcher signs, and refuses a changed body or an old timestamp", () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'erasure' });
    const at = new Date();
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': standardWebhookSignature(SECRET, 'evt_1', at, body) };
    expect(verifyDelivery(SECRET, body, headers)).toEqual({ id: 'evt_1', type: 'erasure' });
    expect(() => verifyDelivery(SECRET, body.replace('erasure', 'export'), headers)).toThrow();
    const old = new Date(at.getTime() - 10 * 60_000);
    const stale = { ...headers, 'webhook-timestamp': String(Math.floor(old.getTime() / 1000)), 'webhook-signature': standardWebhookSignature(SECRET, 'evt_1', old, body) };
    expect(() => verifyDelivery(SECRET, body, stale)).toThrow();
  });

  it("signs acks the ack route's verifier accepts, and only with the right secret", () => {
    const now = new Date();
    const { raw, headers } = signAck(SECRET, { messageId: 'evt_1', requestId: 'r', action: 'delete', outcome: 'done' }, now);
    expect(() => verifyAckSignature([SECRET], headers, raw, now)).not.toThrow();
    const other = `whsec_${Buffer.from('another secret of thirty-two byt').toString('base64')}`;
    expect(() => verifyAckSignature([other], headers, raw, now)).toThrow();
  });
});

describe('the contract types', () => {
  it("fit the backend's messages (checked by the compiler, and here on a real one)", () => {
    const [message] = recipientMessages({ type: 'erasure', source: { kind: 'rights-request', id: 'r-1' }, subject: { subjectId: 's-1', email: 'a@b.c' }, at: '2026-12-05T10:00:00.000Z' });
    const body: RecipientMessage = message.body as RecipientMessageBody;
    expect(body.id).toBe(messageId({ kind: 'rights-request', id: 'r-1' }, message.recipient, 'erasure'));
  });
});

describe('handleMessage', () => {
  const message = (type: 'erasure' | 'export', action: 'delete' | 'provide-part'): RecipientMessage => ({
    format: 'forget-me-not/recipient-event@1',
    id: 'evt_1',
    type,
    recipient: 'app-service',
    action,
    source: { kind: 'rights-request', id: 'req-1' },
    occurredAt: '2026-12-05T10:00:00.000Z',
    answerBy: '2026-12-12',
    subject: { subjectId: 'sub-1' },
  });
  const record = (recordId: string): ServiceRecord => ({ subjectId: 'sub-1', recordId, kind: 'order', createdAt: '2026-01-01T00:00:00.000Z', data: { total: 1 } });

  function fakes(records: ServiceRecord[], answers: AckAnswer[]) {
    const acks: AckBody[] = [];
    const uploads: string[] = [];
    let kept = [...records];
    const deps: ExampleRecipientDeps = {
      records: {
        of: async () => kept,
        deleteAllOf: async () => {
          const n = kept.length;
          kept = [];
          return n;
        },
      },
      ack: async (body) => (acks.push(body), answers.shift() ?? { status: 200, body: { status: 'done', duplicate: false, requestStatus: 'completed' } }),
      upload: async (_url, json) => void uploads.push(json),
    };
    return { deps, acks, uploads, kept: () => kept };
  }

  it('erasure: deletes the records and acks done with the count; again, acks nothing found', async () => {
    const box = fakes([record('a'), record('b')], []);
    await expect(handleMessage(message('erasure', 'delete'), box.deps)).resolves.toBe('acknowledged');
    await handleMessage(message('erasure', 'delete'), box.deps);
    expect(box.kept()).toEqual([]);
    expect(box.acks).toEqual([
      { messageId: 'evt_1', requestId: 'req-1', action: 'delete', outcome: 'done', counts: { records: 2 } },
      { messageId: 'evt_1', requestId: 'req-1', action: 'delete', outcome: 'nothing_found' },
    ]);
  });

  it('export: on 409 uploads the part (without the subject id) to the URL given, then acks again', async () => {
    const box = fakes([record('a')], [{ status: 409, body: { type: '/problems/export-part-missing', uploadUrl: 'https://s3.example/put' } }]);
    await handleMessage(message('export', 'provide-part'), box.deps);
    expect(box.acks).toHaveLength(2);
    expect(box.acks[1]).toMatchObject({ outcome: 'done', exportPart: { contentType: 'application/json' }, counts: { records: 1 } });
    expect(JSON.parse(box.uploads[0])).toEqual({ service: 'app-service', records: [{ recordId: 'a', kind: 'order', createdAt: '2026-01-01T00:00:00.000Z', data: { total: 1 } }] });
    expect(box.kept()).toHaveLength(1);
  });

  it('fails the message when the route refuses the ack (so it is retried), and ignores what it is not asked to ack', async () => {
    const refused = fakes([], [{ status: 401, body: {} }]);
    await expect(handleMessage(message('erasure', 'delete'), refused.deps)).rejects.toBeInstanceOf(AckRefusedError);
    const box = fakes([record('a')], []);
    await expect(handleMessage({ ...message('erasure', 'delete'), type: 'restriction-set', action: 'stop-processing' }, box.deps)).resolves.toBe('ignored');
    expect(box.acks).toEqual([]);
  });
});
