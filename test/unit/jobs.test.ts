import { randomUUID } from 'node:crypto';
import { parseJob, RESEND_AFTER_MINUTES, resendDecision, UnknownJobError } from '../../lambdas/domain/jobs';

describe('rights jobs', () => {
  it('parses a probe job', () => {
    const probeId = randomUUID();
    expect(parseJob(JSON.stringify({ kind: 'probe', probeId }))).toEqual({ kind: 'probe', probeId });
  });

  it.each(['not json', '{}', '{"kind":"probe"}', '{"kind":"nuke"}', JSON.stringify({ kind: 'probe', probeId: randomUUID(), x: 1 })])(
    'refuses %s',
    (body) => {
      expect(() => parseJob(body)).toThrow(UnknownJobError);
    },
  );

  it.each(['export', 'access', 'erasure'])('parses a %s job carrying a request id only', (kind) => {
    const requestId = randomUUID();
    expect(parseJob(JSON.stringify({ kind, requestId }))).toEqual({ kind, requestId });
    expect(() => parseJob(JSON.stringify({ kind, requestId, email: 'a@b.example' }))).toThrow(UnknownJobError);
    expect(() => parseJob(JSON.stringify({ kind, requestId: 'not-a-uuid' }))).toThrow(UnknownJobError);
  });
});

describe('lost jobs: when a queued request is sent again', () => {
  // A fake clock: the decision takes `now`, nothing reads the system time.
  const queuedAt = '2026-03-01T12:00:00.000Z';
  const at = (minutesAfter: number) => new Date(Date.parse(queuedAt) + minutesAfter * 60_000);
  const queued = { status: 'queued', updatedAt: queuedAt };

  it('waits while the request is younger than the threshold: its message may be on its way', () => {
    expect(RESEND_AFTER_MINUTES).toBe(10);
    expect(resendDecision(queued, at(0))).toEqual({ action: 'wait' });
    expect(resendDecision(queued, at(9.99))).toEqual({ action: 'wait' });
  });

  it('re-sends from the threshold on (boundary included)', () => {
    expect(resendDecision(queued, at(10))).toEqual({ action: 'resend' });
    expect(resendDecision(queued, at(60 * 24 * 7))).toEqual({ action: 'resend' });
  });

  it('counts from the last change, so a re-sent request waits a full period again', () => {
    const resent = { status: 'queued', updatedAt: at(10).toISOString() };
    expect(resendDecision(resent, at(15))).toEqual({ action: 'wait' });
    expect(resendDecision(resent, at(20))).toEqual({ action: 'resend' });
  });

  it('takes another threshold, and never re-sends a request that left the queued state', () => {
    expect(resendDecision(queued, at(3), 2)).toEqual({ action: 'resend' });
    expect(resendDecision(queued, at(3), 5)).toEqual({ action: 'wait' });
    for (const status of ['in_progress', 'completed', 'verified', 'failed']) {
      expect(resendDecision({ status, updatedAt: queuedAt }, at(60))).toEqual({ action: 'wait' });
    }
  });

  it('refuses a request without a valid change time', () => {
    expect(() => resendDecision({ status: 'queued', updatedAt: 'yesterday' }, at(60))).toThrow(RangeError);
  });
});
