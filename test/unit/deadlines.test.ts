import { assertExtendable, dueDateFor, extendDueDate, isOverdue } from '../../lambdas/domain/deadlines';

describe('dueDateFor (one calendar month, Art. 12(3))', () => {
  it.each([
    ['2026-11-28T23:05:00Z', '2026-12-28'],
    ['2026-01-15T00:00:00Z', '2026-02-15'],
    ['2026-01-31T12:00:00Z', '2026-02-28'],
    ['2028-01-31T12:00:00Z', '2028-02-29'],
    ['2027-01-31T12:00:00Z', '2027-02-28'],
    ['2100-01-31T12:00:00Z', '2100-02-28'],
    ['2000-01-30T12:00:00Z', '2000-02-29'],
    ['2026-03-31T12:00:00Z', '2026-04-30'],
    ['2026-12-15T08:00:00Z', '2027-01-15'],
    ['2026-12-31T23:59:59Z', '2027-01-31'],
    ['2028-02-29T10:00:00Z', '2028-03-29'],
  ])('received %s → due %s', (received, due) => {
    expect(dueDateFor(new Date(received))).toBe(due);
  });

  it('uses the UTC calendar day of receipt', () => {
    // 23:30 on Jan 31 at UTC-2 is already Feb 1 in UTC: due Mar 1, not Feb 28.
    expect(dueDateFor(new Date('2026-01-31T23:30:00-02:00'))).toBe('2026-03-01');
  });
});

describe('extendDueDate (once, by up to two months)', () => {
  it.each([
    ['2026-02-28', 1, '2026-03-28'],
    ['2026-02-28', 2, '2026-04-28'],
    ['2026-12-31', 2, '2027-02-28'],
    ['2027-12-31', 2, '2028-02-29'],
    ['2026-10-31', 1, '2026-11-30'],
  ] as const)('%s + %i month(s) → %s', (due, months, extended) => {
    expect(extendDueDate(due, months)).toBe(extended);
  });

  it('refuses a second extension', () => {
    expect(() => assertExtendable({})).not.toThrow();
    expect(() => assertExtendable({ extension: { dueAt: '2027-01-01' } })).toThrow(expect.objectContaining({ status: 409, slug: 'already-extended' }));
  });
});

describe('isOverdue', () => {
  it('is overdue from the day after the due date (UTC)', () => {
    expect(isOverdue('2026-12-28', new Date('2026-12-28T23:59:59Z'))).toBe(false);
    expect(isOverdue('2026-12-28', new Date('2026-12-29T00:00:00Z'))).toBe(true);
    expect(isOverdue('2026-12-28', new Date('2026-11-28T00:00:00Z'))).toBe(false);
  });
});
