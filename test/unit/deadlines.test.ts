import { AlreadyExtendedError, ExtensionTooLateError, assertExtendable, dueDateFor, extendDueDate, isOverdue, utcDay } from '../../lambdas/domain/deadlines';
import { problemOf } from '../../lambdas/http/problems';

describe('dueDateFor (one calendar month after receipt, Art. 12(3))', () => {
  it.each([
    // plain days
    ['2026-11-28T23:05:00Z', '2026-12-28'],
    ['2026-01-15T00:00:00Z', '2026-02-15'],
    ['2026-01-01T00:00:00Z', '2026-02-01'],
    // month ends clamp to the last day of the next month
    ['2026-01-31T12:00:00Z', '2026-02-28'],
    ['2026-01-29T12:00:00Z', '2026-02-28'],
    ['2026-03-31T12:00:00Z', '2026-04-30'],
    ['2026-05-31T12:00:00Z', '2026-06-30'],
    ['2026-08-31T12:00:00Z', '2026-09-30'],
    ['2026-04-30T12:00:00Z', '2026-05-30'],
    ['2026-02-28T12:00:00Z', '2026-03-28'],
    // leap years: divisible by 4, except centuries not divisible by 400
    ['2028-01-31T12:00:00Z', '2028-02-29'],
    ['2028-01-30T12:00:00Z', '2028-02-29'],
    ['2028-01-29T12:00:00Z', '2028-02-29'],
    ['2027-01-31T12:00:00Z', '2027-02-28'],
    ['2100-01-31T12:00:00Z', '2100-02-28'],
    ['2000-01-31T12:00:00Z', '2000-02-29'],
    ['2028-02-29T10:00:00Z', '2028-03-29'],
    // December → January of the next year
    ['2026-12-15T08:00:00Z', '2027-01-15'],
    ['2026-12-31T23:59:59Z', '2027-01-31'],
    ['2027-12-01T00:00:00Z', '2028-01-01'],
  ])('received %s → due %s', (received, due) => {
    expect(dueDateFor(new Date(received))).toBe(due);
  });

  it('counts from the UTC calendar day of receipt, not the local one', () => {
    // 23:30 on Jan 31 at UTC-2 is already Feb 1 in UTC: due Mar 1, not Feb 28.
    expect(dueDateFor(new Date('2026-01-31T23:30:00-02:00'))).toBe('2026-03-01');
    // 00:30 on Mar 1 at UTC+2 is still Feb 28 in UTC: due Mar 28.
    expect(dueDateFor(new Date('2026-03-01T00:30:00+02:00'))).toBe('2026-03-28');
  });

  it('refuses an invalid date instead of answering NaN-NaN-NaN', () => {
    expect(() => dueDateFor(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('extendDueDate (once, by one or two months from the original due date)', () => {
  it.each([
    ['2026-12-28', 1, '2027-01-28'],
    ['2026-12-28', 2, '2027-02-28'],
    ['2026-02-28', 1, '2026-03-28'],
    ['2026-02-28', 2, '2026-04-28'],
    // from month ends
    ['2026-10-31', 1, '2026-11-30'],
    ['2026-12-31', 1, '2027-01-31'],
    ['2026-12-31', 2, '2027-02-28'],
    ['2027-12-31', 2, '2028-02-29'],
    ['2099-12-31', 2, '2100-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-07-31', 2, '2026-09-30'],
    ['2028-02-29', 1, '2028-03-29'],
    ['2028-02-29', 2, '2028-04-29'],
    ['2026-11-30', 2, '2027-01-30'],
  ] as const)('%s + %i month(s) → %s', (due, months, extended) => {
    expect(extendDueDate(due, months)).toBe(extended);
  });

  it('counts from the clamped due date, not from receipt: Jan 31 → Feb 28 → Apr 28', () => {
    const due = dueDateFor(new Date('2027-01-31T09:00:00Z'));
    expect(due).toBe('2027-02-28');
    expect(extendDueDate(due, 2)).toBe('2027-04-28');
  });

  it('allows at most two months, and only well-formed dates', () => {
    expect(() => extendDueDate('2026-12-28', 3 as 1 | 2)).toThrow(RangeError);
    expect(() => extendDueDate('2026-12-28', 0 as 1 | 2)).toThrow(RangeError);
    expect(() => extendDueDate('28/12/2026', 1)).toThrow(RangeError);
    expect(() => extendDueDate('2026-12-28T00:00:00Z', 1)).toThrow(RangeError);
  });
});

describe('assertExtendable', () => {
  it('lets a request without an extension be extended', () => {
    const now = new Date('2026-12-20T10:00:00.000Z');
    expect(() => assertExtendable({ originalDueAt: '2026-12-31' }, now)).not.toThrow();
    expect(() => assertExtendable({ extension: undefined, originalDueAt: '2026-12-31' }, now)).not.toThrow();
  });

  it('still lets a request be extended on its original due date (UTC)', () => {
    expect(() => assertExtendable({ originalDueAt: '2026-12-20' }, new Date('2026-12-20T23:59:59.000Z'))).not.toThrow();
  });

  it('refuses an extension once the first month has passed with 409 extension-too-late (Art. 12(3))', () => {
    let thrown: unknown;
    try {
      assertExtendable({ originalDueAt: '2026-12-20' }, new Date('2026-12-21T00:00:00.000Z'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ExtensionTooLateError);
    expect(problemOf(thrown as ExtensionTooLateError)).toMatchObject({ status: 409, slug: 'extension-too-late' });
  });

  it('refuses a second extension with 409 already-extended', () => {
    const extended = { extension: { dueAt: '2027-02-28', reason: 'Complex request.', at: '2026-12-20T10:00:00.000Z' } };
    let thrown: unknown;
    try {
      assertExtendable({ ...extended, originalDueAt: '2026-12-31' }, new Date('2026-12-20T10:00:00.000Z'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AlreadyExtendedError);
    expect(problemOf(thrown as AlreadyExtendedError)).toMatchObject({ status: 409, slug: 'already-extended' });
  });
});

describe('isOverdue (from the day after the due date, UTC)', () => {
  it.each([
    ['2026-12-28', '2026-11-28T00:00:00Z', false],
    ['2026-12-28', '2026-12-28T00:00:00Z', false],
    ['2026-12-28', '2026-12-28T23:59:59.999Z', false],
    ['2026-12-28', '2026-12-29T00:00:00Z', true],
    ['2026-12-28', '2027-03-01T12:00:00Z', true],
    // across the year end
    ['2026-12-31', '2026-12-31T23:59:59.999Z', false],
    ['2026-12-31', '2027-01-01T00:00:00Z', true],
    // leap day
    ['2028-02-29', '2028-02-29T23:00:00Z', false],
    ['2028-02-29', '2028-03-01T00:00:00Z', true],
  ] as const)('due %s, now %s → %s', (due, now, overdue) => {
    expect(isOverdue(due, new Date(now))).toBe(overdue);
  });

  it('uses the UTC day: 01:00 on Dec 29 at UTC+2 is still Dec 28 in UTC', () => {
    expect(isOverdue('2026-12-28', new Date('2026-12-29T01:00:00+02:00'))).toBe(false);
    expect(isOverdue('2026-12-28', new Date('2026-12-28T23:00:00-02:00'))).toBe(true);
  });

  it('agrees with utcDay, the cut-off the scheduled count queries with (dueAt < today)', () => {
    const now = new Date('2026-12-29T00:00:00Z');
    expect(utcDay(now)).toBe('2026-12-29');
    expect('2026-12-28' < utcDay(now)).toBe(isOverdue('2026-12-28', now));
  });
});
