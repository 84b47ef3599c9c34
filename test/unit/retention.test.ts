/**
 * Account retention rules (`lambdas/domain/retention.ts`) with a fake clock: every branch of `decide`, its boundaries,
 * the month walk the job queries, finished-request expiry, and the settings' bounds.
 */
import {
  DEFAULT_RETENTION,
  activityMonth,
  decide,
  finishedRequestExpiresAt,
  inactivityCutoff,
  monthsBefore,
  monthsToSearch,
  retentionErasureStop,
  retentionPolicyFrom,
  RESTRICTION_STOP_NOTE,
  spareAdmins,
  type AccountRetention,
} from '../../lambdas/domain/retention';
import { newRequest } from '../../lambdas/domain/rights';

const policy = { inactiveMonths: 24, graceDays: 30 };
const NOW = new Date('2028-06-15T12:00:00.000Z');
const DAY = 86_400_000;
const account = (over: Partial<AccountRetention> = {}): AccountRetention => ({
  subjectId: '6f1c1f7e-0000-4000-8000-000000000001',
  lastActiveAt: '2026-06-15T12:00:00.000Z',
  ...over,
});

describe('inactivityCutoff and monthsBefore', () => {
  it('goes back whole calendar months, keeping the time of day', () => {
    expect(inactivityCutoff(NOW, policy).toISOString()).toBe('2026-06-15T12:00:00.000Z');
  });

  it('clamps to the last day of a shorter month (and knows leap years)', () => {
    expect(monthsBefore(new Date('2026-03-31T08:00:00Z'), 1).toISOString()).toBe('2026-02-28T08:00:00.000Z');
    expect(monthsBefore(new Date('2028-03-31T08:00:00Z'), 1).toISOString()).toBe('2028-02-29T08:00:00.000Z');
    expect(monthsBefore(new Date('2027-01-10T00:00:00Z'), 24).toISOString()).toBe('2025-01-10T00:00:00.000Z');
  });
});

describe('decide', () => {
  it('leaves an account active while its last login is after the cutoff (one millisecond is enough)', () => {
    expect(decide(account({ lastActiveAt: '2026-06-15T12:00:00.001Z' }), NOW, policy)).toEqual({ action: 'active' });
    expect(decide(account({ lastActiveAt: '2028-06-01T00:00:00.000Z' }), NOW, policy)).toEqual({ action: 'active' });
  });

  it('notifies exactly at the cutoff, announcing the erasure grace days later', () => {
    expect(decide(account({ lastActiveAt: '2026-06-15T12:00:00.000Z' }), NOW, policy)).toEqual({
      action: 'notify',
      erasureAt: new Date(NOW.getTime() + 30 * DAY).toISOString(),
    });
  });

  it('waits during the grace period, up to the last millisecond', () => {
    const noticed = account({ inactivityNoticeAt: '2028-06-01T12:00:00.000Z', inactivityErasureAt: '2028-07-01T12:00:00.000Z' });
    expect(decide(noticed, NOW, policy)).toEqual({ action: 'wait', erasureAt: '2028-07-01T12:00:00.000Z' });
    expect(decide(noticed, new Date('2028-07-01T11:59:59.999Z'), policy).action).toBe('wait');
  });

  it('erases from the announced date on (boundary included)', () => {
    const noticed = account({ inactivityNoticeAt: '2028-06-01T12:00:00.000Z', inactivityErasureAt: '2028-07-01T12:00:00.000Z' });
    expect(decide(noticed, new Date('2028-07-01T12:00:00.000Z'), policy)).toEqual({ action: 'erase' });
    expect(decide(noticed, new Date('2029-01-01T00:00:00.000Z'), policy)).toEqual({ action: 'erase' });
  });

  it('keeps the date announced in the notice even if the grace setting changes later', () => {
    const noticed = account({ inactivityNoticeAt: '2028-06-01T12:00:00.000Z', inactivityErasureAt: '2028-07-01T12:00:00.000Z' });
    expect(decide(noticed, new Date('2028-06-20T00:00:00Z'), { ...policy, graceDays: 5 }).action).toBe('wait');
  });

  it('falls back to notice + grace when the notice carries no date', () => {
    const noticed = account({ inactivityNoticeAt: '2028-06-01T12:00:00.000Z' });
    expect(decide(noticed, new Date('2028-07-01T11:59:59.999Z'), policy)).toEqual({ action: 'wait', erasureAt: '2028-07-01T12:00:00.000Z' });
    expect(decide(noticed, new Date('2028-07-01T12:00:00.000Z'), policy)).toEqual({ action: 'erase' });
  });

  it('leaves a filed erasure to the rights workers', () => {
    const filed = account({ inactivityNoticeAt: '2028-04-01T00:00:00Z', retentionErasureRequestId: 'r-1' });
    expect(decide(filed, NOW, policy)).toEqual({ action: 'filed', requestId: 'r-1' });
  });

  it('does nothing under a legal hold, whatever stage the account is at', () => {
    const hold = { reason: 'Case 2028/17', at: '2028-01-01T00:00:00Z' };
    expect(decide(account({ legalHold: hold }), NOW, policy)).toEqual({ action: 'held' });
    expect(decide(account({ legalHold: hold, inactivityNoticeAt: '2027-01-01T00:00:00Z' }), NOW, policy)).toEqual({ action: 'held' });
    expect(decide(account({ legalHold: hold, lastActiveAt: '2028-06-01T00:00:00Z' }), NOW, policy)).toEqual({ action: 'held' });
  });

  it('does nothing while the subject restricts processing (Art. 18(1)(c)), whatever stage the account is at', () => {
    const restrictedSince = '2027-09-01T00:00:00Z';
    // Inactive for years (a notice is due), told and past the erasure date, or with an erasure filed: no notice, no erasure.
    expect(decide(account({ restrictedSince }), NOW, policy)).toEqual({ action: 'restricted' });
    expect(decide(account({ restrictedSince, inactivityNoticeAt: '2028-01-01T00:00:00Z', inactivityErasureAt: '2028-01-31T00:00:00Z' }), NOW, policy)).toEqual({
      action: 'restricted',
    });
    expect(decide(account({ restrictedSince, inactivityNoticeAt: '2028-01-01T00:00:00Z', retentionErasureRequestId: 'r-1' }), NOW, policy)).toEqual({
      action: 'restricted',
    });
    // A restriction made years later (clock moved on) still blocks; a hold is reported first when both stand.
    expect(decide(account({ restrictedSince }), new Date(NOW.getTime() + 3650 * DAY), policy)).toEqual({ action: 'restricted' });
    expect(decide(account({ restrictedSince, legalHold: { reason: 'Case', at: '2028-01-01T00:00:00Z' } }), NOW, policy)).toEqual({ action: 'held' });
    // Lifted (absent), the same account is noticed again.
    expect(decide(account(), NOW, policy)).toMatchObject({ action: 'notify' });
  });

  it('treats an account active again as active, even with a stale notice left over', () => {
    const back = account({ lastActiveAt: '2028-06-10T00:00:00Z', inactivityNoticeAt: '2028-05-01T00:00:00Z' });
    expect(decide(back, NOW, policy)).toEqual({ action: 'active' });
  });

  it('refuses an unreadable date instead of guessing', () => {
    expect(() => decide(account({ lastActiveAt: 'yesterday' }), NOW, policy)).toThrow(RangeError);
  });
});

describe('spareAdmins (inactive admins are reported, never erased by retention)', () => {
  const admin = (over: Partial<AccountRetention> = {}) => account({ roles: ['subject', 'admin'], ...over });
  const noticed = { inactivityNoticeAt: '2028-05-01T12:00:00.000Z', inactivityErasureAt: '2028-05-31T12:00:00.000Z' };

  it('turns notice, wait and erasure of an admin into a report, at and past every boundary', () => {
    expect(decide(admin(), NOW, policy).action).toBe('notify');
    expect(spareAdmins(admin(), decide(admin(), NOW, policy))).toEqual({ action: 'adminInactive' });
    expect(spareAdmins(admin(noticed), decide(admin(noticed), NOW, policy))).toEqual({ action: 'adminInactive' });
    const waiting = admin({ inactivityNoticeAt: '2028-06-10T12:00:00.000Z', inactivityErasureAt: '2028-07-10T12:00:00.000Z' });
    expect(spareAdmins(waiting, decide(waiting, NOW, policy))).toEqual({ action: 'adminInactive' });
    // years later, still never erased
    expect(spareAdmins(admin(noticed), decide(admin(noticed), new Date('2040-01-01T00:00:00Z'), policy))).toEqual({ action: 'adminInactive' });
  });

  it('leaves subjects, active admins, held admins and erasures already filed as decide says', () => {
    expect(spareAdmins(account({ ...noticed, roles: ['subject'] }), decide(account(noticed), NOW, policy))).toEqual({ action: 'erase' });
    expect(spareAdmins(account(noticed), decide(account(noticed), NOW, policy))).toEqual({ action: 'erase' });
    const recent = admin({ lastActiveAt: '2028-06-01T00:00:00.000Z' });
    expect(spareAdmins(recent, decide(recent, NOW, policy))).toEqual({ action: 'active' });
    const held = admin({ legalHold: { reason: 'Case 7', at: '2028-01-01T00:00:00.000Z' } });
    expect(spareAdmins(held, decide(held, NOW, policy))).toEqual({ action: 'held' });
    const filed = admin({ ...noticed, retentionErasureRequestId: 'r-1' });
    expect(spareAdmins(filed, decide(filed, NOW, policy))).toEqual({ action: 'filed', requestId: 'r-1' });
  });
});

describe('monthsToSearch', () => {
  it('walks from the lookback to the cutoff month, oldest first', () => {
    expect(monthsToSearch(NOW, policy, 3)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06']);
  });

  it('crosses year boundaries and has lookback + 1 months', () => {
    const months = monthsToSearch(new Date('2027-02-01T00:00:00Z'), policy, 2);
    expect(months).toEqual(['2024-12', '2025-01', '2025-02']);
    expect(monthsToSearch(NOW, policy)).toHaveLength(121);
  });

  it('contains the month of every account the decision would call inactive', () => {
    const lastActive = '2026-06-15T12:00:00.000Z';
    expect(decide(account({ lastActiveAt: lastActive }), NOW, policy).action).toBe('notify');
    expect(monthsToSearch(NOW, policy)).toContain(activityMonth(lastActive));
  });
});

describe('activityMonth', () => {
  it('is the UTC month', () => {
    expect(activityMonth('2026-12-31T23:59:59Z')).toBe('2026-12');
    expect(activityMonth(new Date('2027-01-01T00:00:00Z'))).toBe('2027-01');
  });
});

describe('finished requests', () => {
  it('expire three calendar years after they finish (epoch seconds)', () => {
    expect(finishedRequestExpiresAt(new Date('2026-11-29T10:00:00Z'))).toBe(Date.parse('2029-11-29T10:00:00Z') / 1000);
  });

  it('filed by the retention job, name the system and say why, in the same state machine', () => {
    const request = newRequest({ subjectId: 's', type: 'erasure', mode: 'automatic', now: NOW, dueAt: '2028-07-15', origin: 'retention' });
    expect(request).toMatchObject({ origin: 'retention', status: 'queued', type: 'erasure' });
    expect(request.history.map((h) => [h.status, h.by])).toEqual([
      ['received', 'system'],
      ['verified', 'system'],
      ['queued', 'system'],
    ]);
    expect(request.history[0].note).toMatch(/retention/);
    expect(newRequest({ subjectId: 's', type: 'erasure', mode: 'automatic', now: NOW, dueAt: '2028-07-15' })).not.toHaveProperty('origin');
  });
});

describe('retentionErasureStop (checked by the worker before a retention erasure starts)', () => {
  const filed = { receivedAt: '2028-07-01T12:00:00.000Z' };

  it('lets it start when nothing changed since it was filed', () => {
    expect(retentionErasureStop({ lastActiveAt: '2026-06-15T12:00:00.000Z' }, filed)).toBeUndefined();
    expect(retentionErasureStop({ lastActiveAt: '2028-07-01T12:00:00.000Z' }, filed)).toBeUndefined();
  });

  it('stops it when the subject logged in after it was filed (one millisecond is enough)', () => {
    expect(retentionErasureStop({ lastActiveAt: '2028-07-01T12:00:00.001Z' }, filed)).toMatch(/logged in again/);
  });

  it('stops it while the subject restricts processing, with a note the subject reads', () => {
    expect(retentionErasureStop({ lastActiveAt: '2026-06-15T12:00:00.000Z', restrictedSince: '2028-07-02T00:00:00Z' }, filed)).toBe(RESTRICTION_STOP_NOTE);
    expect(RESTRICTION_STOP_NOTE).toMatch(/restricted the processing/);
  });

  it('stops it under a legal hold', () => {
    expect(retentionErasureStop({ lastActiveAt: '2026-06-15T12:00:00.000Z', legalHold: { reason: 'Case', at: '2028-07-02T00:00:00Z' } }, filed)).toMatch(/legal hold/);
  });
});

describe('retentionPolicyFrom', () => {
  it('defaults to 24 months and 30 days', () => {
    expect(retentionPolicyFrom({})).toEqual(DEFAULT_RETENTION);
    expect(DEFAULT_RETENTION).toEqual({ inactiveMonths: 24, graceDays: 30 });
  });

  it('reads the settings', () => {
    expect(retentionPolicyFrom({ inactiveMonths: '36', graceDays: '14' })).toEqual({ inactiveMonths: 36, graceDays: 14 });
  });

  it.each([['0'], ['-1'], ['1.5'], ['abc'], ['241']])('refuses %s months', (value) => {
    expect(() => retentionPolicyFrom({ inactiveMonths: value })).toThrow(/RETENTION_INACTIVE_MONTHS/);
  });

  it('refuses grace days out of range', () => {
    expect(() => retentionPolicyFrom({ graceDays: '0' })).toThrow(/RETENTION_GRACE_DAYS/);
    expect(() => retentionPolicyFrom({ graceDays: '366' })).toThrow(/RETENTION_GRACE_DAYS/);
  });
});
