import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  AckUnauthenticatedError,
  allAcknowledged,
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
