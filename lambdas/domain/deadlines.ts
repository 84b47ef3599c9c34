/**
 * Art. 12(3) deadlines: one calendar month after receipt, extendable once by up to two further months.
 */
import { ProblemError } from '../shared/errors';

const pad = (n: number) => String(n).padStart(2, '0');

/** Same day `months` later, clamped to the last day of that month (Jan 31 + 1 month → Feb 28 or 29). */
function addMonths(year: number, monthIndex: number, day: number, months: number): string {
  const target = new Date(Date.UTC(year, monthIndex + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return `${target.getUTCFullYear()}-${pad(target.getUTCMonth() + 1)}-${pad(Math.min(day, lastDay))}`;
}

/** YYYY-MM-DD (UTC): one calendar month after receipt. */
export function dueDateFor(receivedAt: Date): string {
  return addMonths(receivedAt.getUTCFullYear(), receivedAt.getUTCMonth(), receivedAt.getUTCDate(), 1);
}

/** The extended due date, counted from the original due date. */
export function extendDueDate(originalDue: string, months: 1 | 2): string {
  const [y, m, d] = originalDue.split('-').map(Number);
  return addMonths(y, m - 1, d, months);
}

export function assertExtendable(request: { readonly extension?: unknown }): void {
  if (request.extension) throw new ProblemError(409, 'already-extended', 'Already extended', 'A deadline can be extended only once.');
}

/** Overdue from the day after the due date (UTC). */
export function isOverdue(dueAt: string, now: Date): boolean {
  return now.toISOString().slice(0, 10) > dueAt;
}
