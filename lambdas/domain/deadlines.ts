/**
 * Art. 12(3) deadlines: one calendar month after receipt, extendable once by up to two further months. Dates are UTC
 * calendar days ('YYYY-MM-DD'), so a deadline does not move with the server's or the admin's time zone.
 */
import { Conflict } from './errors';

export class AlreadyExtendedError extends Conflict<'already-extended'> {
  constructor() {
    super('already-extended', {});
  }
}

/** Refuses an extension asked for after the original deadline: Art. 12(3) wants the subject told within the first month. */
export class ExtensionTooLateError extends Conflict<'extension-too-late'> {
  constructor() {
    super('extension-too-late', {});
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Same day `months` later, clamped to the last day of that month (Jan 31 + 1 month → Feb 28, or Feb 29 in leap years). */
function addMonths(year: number, monthIndex: number, day: number, months: number): string {
  // Day 1 never overflows into the next month, so the target month is exact before clamping the day.
  const target = new Date(Date.UTC(year, monthIndex + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return `${target.getUTCFullYear()}-${pad(target.getUTCMonth() + 1)}-${pad(Math.min(day, lastDay))}`;
}

/** The UTC calendar day of an instant, as 'YYYY-MM-DD'. */
export function utcDay(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid date');
  return instant.toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' (UTC): one calendar month after receipt, on the same day of the month or that month's last day. */
export function dueDateFor(receivedAt: Date): string {
  const day = utcDay(receivedAt);
  return addMonths(receivedAt.getUTCFullYear(), receivedAt.getUTCMonth(), Number(day.slice(8)), 1);
}

/**
 * The extended due date: `months` (one or two, Art. 12(3)) counted from the original due date, with the same clamping.
 * Counting from the original date, not from today, keeps the total at most three months after receipt.
 */
export function extendDueDate(originalDue: string, months: 1 | 2): string {
  const match = ISO_DAY.exec(originalDue);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${originalDue}`);
  // The type says 1 | 2, but the value may come from a request body.
  if (months !== 1 && months !== 2) throw new RangeError('An extension is one or two months');
  return addMonths(Number(match[1]), Number(match[2]) - 1, Number(match[3]), months);
}

/**
 * Refuses a second extension (Art. 12(3) allows one, of at most two months) and one asked for once the first month after
 * receipt has passed: the subject must learn of the extension, and why, within that month.
 */
export function assertExtendable(request: { readonly extension?: unknown; readonly originalDueAt: string }, now: Date): void {
  if (request.extension) {
    throw new AlreadyExtendedError();
  }
  if (isOverdue(request.originalDueAt, now)) {
    throw new ExtensionTooLateError();
  }
}

/**
 * Overdue from the day after the due date (UTC): the due date itself is still in time. Equivalently, overdue when
 * `dueAt < utcDay(now)`, which is the key condition the scheduled count runs on the `byStatus` index.
 */
export function isOverdue(dueAt: string, now: Date): boolean {
  return dueAt < utcDay(now);
}
