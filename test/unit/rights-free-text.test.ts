import { ERASED_TEXT, newRequest, withoutFreeText, type RightsRequest } from '../../lambdas/domain/rights';
import { LEGAL_HOLD_STOP_NOTE } from '../../lambdas/domain/retention';
import { newRequestBody } from '../../lambdas/handlers/create-request.route';

describe('free text in kept rights requests', () => {
  const base = newRequest({ subjectId: 's', type: 'rectification', mode: 'manual', now: new Date('2026-12-01T00:00:00Z'), dueAt: '2027-01-01', origin: 'retention' });
  const typed: RightsRequest = {
    ...base,
    extension: { dueAt: '2027-02-01', months: 1, reason: 'Waiting for Jane Doe at the registry', at: '2026-12-02T00:00:00Z' },
    history: [
      ...base.history,
      { status: 'verified', at: '2026-12-02T00:00:00Z', by: 'admin', note: 'deadline extended to 2027-02-01: Waiting for Jane Doe at the registry' },
      { status: 'queued', at: '2026-12-03T00:00:00Z', by: 'admin', note: 'approved' },
      { status: 'rejected', at: '2026-12-04T00:00:00Z', by: 'admin', note: LEGAL_HOLD_STOP_NOTE },
      {
        status: 'completed',
        at: '2026-12-05T00:00:00Z',
        by: 'admin',
        note: 'Phoned John Smith, corrected',
        evidence: [{ where: 'CRM', action: 'corrected', detail: 'asked John Smith' }, { where: 'billing', action: 'checked-none-held' }],
      },
      { status: 'failed', at: '2026-12-05T00:00:00Z', by: 'worker', note: 'Could not be completed automatically; an administrator will follow up.' },
    ],
  };

  it('replaces what administrators typed, and keeps fixed service notes, statuses, times and roles', () => {
    const kept = withoutFreeText(typed);
    expect(JSON.stringify(kept)).not.toMatch(/Jane Doe|John Smith/);
    expect(kept.extension).toEqual({ ...typed.extension, reason: ERASED_TEXT });
    expect(kept.history.map((h) => h.note)).toEqual([
      typed.history[0].note, // the retention job's own note
      undefined,
      ERASED_TEXT,
      'approved',
      LEGAL_HOLD_STOP_NOTE,
      ERASED_TEXT,
      'Could not be completed automatically; an administrator will follow up.',
    ]);
    expect(kept.history.map(({ status, at, by }) => ({ status, at, by }))).toEqual(typed.history.map(({ status, at, by }) => ({ status, at, by })));
    // evidence keeps its systems and actions as proof; the officer's words go
    expect(kept.history[5].evidence).toEqual([
      { where: 'CRM', action: 'corrected', detail: ERASED_TEXT },
      { where: 'billing', action: 'checked-none-held' },
    ]);
  });

  it('lets a rectification name only profile fields, never free text', () => {
    expect(newRequestBody.safeParse({ type: 'rectification', fields: ['profile.familyName', 'profile.postalAddress'] }).success).toBe(true);
    expect(newRequestBody.safeParse({ type: 'rectification', fields: ['JaneDoe'] }).success).toBe(false);
    expect(newRequestBody.safeParse({ type: 'rectification', fields: ['profile.Jane'] }).success).toBe(false);
  });
});
