/**
 * How urgent an open request is, for the inbox badges. A request is due by the end of its `dueAt` day (UTC), as the API
 * says; "due soon" is under a quarter of the time between receipt and that moment.
 */
export type Urgency = 'overdue' | 'due-soon' | 'on-time';

const DAY_MS = 86_400_000;

/** The last moment a request is on time: the end of its due day, UTC. */
export function dueMoment(dueAt: string): number {
  return Date.parse(`${dueAt}T00:00:00Z`) + DAY_MS;
}

export function urgencyOf(request: { receivedAt: string; dueAt: string }, now: number): Urgency {
  const due = dueMoment(request.dueAt);
  if (now >= due) return 'overdue';
  const total = due - Date.parse(request.receivedAt);
  return due - now < total / 4 ? 'due-soon' : 'on-time';
}

/** Whole days until the due moment (negative once overdue), for the badge text. */
export function daysLeft(dueAt: string, now: number): number {
  return Math.floor((dueMoment(dueAt) - now) / DAY_MS);
}

export function badgeText(urgency: Urgency, days: number): string {
  if (urgency === 'overdue') return days >= -1 ? 'Overdue' : `Overdue by ${-days - 1} days`;
  return days === 0 ? 'Due today' : `${days} ${days === 1 ? 'day' : 'days'} left`;
}

/** Oldest due first; ties by receipt, so the order never depends on the API's. */
export function byDueDate<T extends { dueAt: string; receivedAt: string }>(a: T, b: T): number {
  return a.dueAt.localeCompare(b.dueAt) || a.receivedAt.localeCompare(b.receivedAt);
}
