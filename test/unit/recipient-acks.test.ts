import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { messageId } from '../../lambdas/domain/recipient-events';
import { canMove, InvalidTransitionError, type RightsRequest } from '../../lambdas/domain/rights';
import {
  acknowledge,
  AckUnauthenticatedError,
  allAcknowledged,
  DELIVERY_FAILED_REASON,
  recordDeliveryFailure,
  overdueRecipients,
  recipientViews,
  verifyAckSignature,
  viewStatus,
  type RecipientProgress,
} from '../../lambdas/domain/recipient-acks';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const now = new Date('2026-12-06T10:00:00Z');
const body = JSON.stringify({ messageId: 'evt_x', outcome: 'done' });

function headersFor(key: string, at = now, id = 'ack_1') {
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(key).sign(id, at, body) };
}

describe('verifyAckSignature', () => {
  it('accepts what the standardwebhooks package signs, with the current or a previous secret', () => {
    expect(() => verifyAckSignature([secret], headersFor(secret), body, now)).not.toThrow();
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect(() => verifyAckSignature([other, secret], headersFor(secret), body, now)).not.toThrow();
  });

  it('refuses another secret, another body, a stale or future timestamp, and missing headers', () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    const refused = (f: () => void, why: string) => {
      try {
        f();
        throw new Error('accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(AckUnauthenticatedError);
        expect((error as AckUnauthenticatedError).why).toBe(why);
      }
    };
    refused(() => verifyAckSignature([other], headersFor(secret), body, now), 'signature');
    refused(() => verifyAckSignature([secret], headersFor(secret), `${body} `, now), 'signature');
    refused(() => verifyAckSignature([secret], headersFor(secret, new Date(now.getTime() - 301_000)), body, now), 'timestamp');
    refused(() => verifyAckSignature([secret], headersFor(secret, new Date(now.getTime() + 301_000)), body, now), 'timestamp');
    refused(() => verifyAckSignature([secret], { 'webhook-id': 'ack_1' }, body, now), 'signature');
    refused(() => verifyAckSignature([secret], { ...headersFor(secret), 'webhook-id': 'bad id!' }, body, now), 'signature');
  });
});

describe('recipient statuses', () => {
  const pending: RecipientProgress = { messageId: 'evt_a', action: 'delete', answerBy: '2026-12-10', status: 'pending' };

  it('is overdue from the day after answerBy, acknowledged on done or nothing found', () => {
    expect(viewStatus(pending, '2026-12-10')).toBe('pending');
    expect(viewStatus(pending, '2026-12-11')).toBe('overdue');
    expect(viewStatus({ ...pending, status: 'nothing_found' }, '2026-12-11')).toBe('acknowledged');
    expect(viewStatus({ ...pending, status: 'failed' }, '2026-12-01')).toBe('failed');
    expect(overdueRecipients({ 'app-service': pending }, '2026-12-11')).toEqual(['app-service']);
    expect(overdueRecipients({ 'app-service': { ...pending, status: 'done' } }, '2026-12-11')).toEqual([]);
  });

  it('waits for every recipient, and shows a reason to administrators only', () => {
    expect(allAcknowledged(undefined)).toBe(true);
    expect(allAcknowledged({ 'app-service': { ...pending, status: 'done' }, 'email-provider': pending })).toBe(false);
    expect(allAcknowledged({ 'app-service': { ...pending, status: 'done' }, 'email-provider': { ...pending, status: 'nothing_found' } })).toBe(true);
    const failed = { 'app-service': { ...pending, status: 'failed' as const, reason: 'timeout at the database' } };
    expect(recipientViews(failed, '2026-12-06', { withReason: false })[0]).not.toHaveProperty('reason');
    expect(recipientViews(failed, '2026-12-06', { withReason: true })[0].reason).toBe('timeout at the database');
  });
});

describe('acknowledge, over an in-memory store', () => {
  type Request = RightsRequest;

  const requestId = '6f1c9e0e-1111-4222-8333-444455556666';
  let stored: Request;
  /** Set to make the next write lose to a concurrent writer (which changes only updatedAt). */
  let conflicts = 0;
  const refused: unknown[] = [];

  const store = {
    get: async () => structuredClone(stored),
    replace: async (previous: Request, next: Request) => {
      if (conflicts > 0) {
        conflicts--;
        stored = { ...stored, updatedAt: new Date(Date.parse(stored.updatedAt) + 1).toISOString() };
      }
      if (previous.updatedAt !== stored.updatedAt || previous.status !== stored.status) throw new InvalidTransitionError(previous.status, next.status);
      stored = structuredClone(next);
    },
    transition: async (previous: Request, to: Request['status'], change: { by: string; note?: string }, at: Date, extra: Partial<Request> = {}) => {
      if (!canMove(previous.status, to)) throw new InvalidTransitionError(previous.status, to);
      const next = { ...previous, ...extra, status: to, history: [...previous.history, { status: to, at: at.toISOString(), ...change }], updatedAt: at.toISOString() };
      await store.replace(previous, next);
      return next;
    },
  };
  const deps = {
    requests: store,
    secretsOf: async () => [secret],
    partExists: async () => false,
    uploadFor: async (key: string) => ({ url: `https://upload.example/${key}`, headers: {}, expiresAt: now.toISOString() }),
    auditRefused: async (note: unknown) => void refused.push(note),
    awaits: () => true,
    now: () => now,
  };
  const ackOf = (recipient: 'app-service' | 'email-provider', outcome: 'done' | 'failed', id: string) => {
    const body = { messageId: messageId({ kind: 'rights-request', id: requestId }, recipient, 'erasure'), requestId, action: 'delete' as const, outcome, ...(outcome === 'failed' ? { reason: 'r' } : {}) };
    const rawBody = JSON.stringify(body);
    const at = now;
    return { recipientId: recipient, rawBody, body, headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, rawBody) } };
  };

  beforeEach(() => {
    conflicts = 0;
    refused.length = 0;
    const pending = (recipient: 'app-service' | 'email-provider') => ({
      messageId: messageId({ kind: 'rights-request', id: requestId }, recipient, 'erasure'),
      action: 'delete' as const,
      answerBy: '2026-12-20',
      status: 'pending' as const,
    });
    stored = {
      requestId,
      subjectId: 'erased#abc',
      type: 'erasure',
      status: 'awaiting_recipients',
      mode: 'automatic',
      receivedAt: '2026-12-06T09:00:00.000Z',
      createdAt: '2026-12-06T09:00:00.000Z',
      dueAt: '2027-01-06',
      originalDueAt: '2027-01-06',
      history: [],
      recipients: { 'app-service': pending('app-service'), 'email-provider': pending('email-provider') },
      updatedAt: '2026-12-06T09:30:00.000Z',
    };
  });

  it('completes the request on the last ack, after re-reading a request another writer changed', async () => {
    conflicts = 1;
    expect((await acknowledge(deps, ackOf('app-service', 'done', 'a1'))).requestStatus).toBe('awaiting_recipients');
    conflicts = 1;
    const last = await acknowledge(deps, ackOf('email-provider', 'done', 'a2'));
    expect(last).toMatchObject({ requestStatus: 'completed', duplicate: false });
    expect(stored.status).toBe('completed');
    expect(stored.history.at(-1)).toMatchObject({ status: 'completed', by: 'system' });
  });

  it("an early failed ack of a recipient the deployment does not wait for is shown, and the request does not wait for it", async () => {
    // the worker has told only the app service (AWAIT_RECIPIENTS=["app-service"]) when the email provider's failure arrives
    const { 'email-provider': _told, ...onlyApp } = stored.recipients!;
    stored = { ...stored, recipients: onlyApp };
    const notAwaited = { ...deps, awaits: (recipient: string) => recipient === 'app-service' };
    expect(await acknowledge(notAwaited, ackOf('email-provider', 'failed', 'f1'))).toMatchObject({ status: 'failed', requestStatus: 'awaiting_recipients' });
    expect(stored.recipients?.['email-provider']).toMatchObject({ status: 'failed', awaited: false });
    // the last awaited ack completes it, the failure notwithstanding
    expect((await acknowledge(notAwaited, ackOf('app-service', 'done', 'a1'))).requestStatus).toBe('completed');
    // while a recipient that is waited for and failed holds a request
    expect(allAcknowledged({ 'app-service': { ...stored.recipients!['app-service']!, status: 'failed' } })).toBe(false);
  });

  it('refuses a replayed webhook-id and audits it, without the body', async () => {
    await acknowledge(deps, ackOf('app-service', 'failed', 'a1'));
    const before = structuredClone(stored);
    await expect(acknowledge(deps, ackOf('app-service', 'done', 'a1'))).rejects.toBeInstanceOf(AckUnauthenticatedError);
    expect(stored).toEqual(before);
    expect(refused).toEqual([{ action: 'recipient.ack', fields: ['rightsRequests.recipients'], outcome: 'failure' }]);
  });

  it('marks a pending recipient failed when its webhook message goes to the DLQ, and leaves an acknowledged one alone', async () => {
    const message = JSON.stringify({ type: 'erasure', source: { kind: 'rights-request', id: requestId } });
    expect(await recordDeliveryFailure({ requests: store, now: () => now }, 'email-provider', message)).toBe(true);
    expect(stored.recipients!['email-provider']).toMatchObject({ status: 'failed', reason: DELIVERY_FAILED_REASON });
    await acknowledge(deps, ackOf('app-service', 'done', 'a3'));
    expect(await recordDeliveryFailure({ requests: store, now: () => now }, 'app-service', message)).toBe(false);
    expect(await recordDeliveryFailure({ requests: store, now: () => now }, 'app-service', 'not json')).toBe(false);
  });
});
