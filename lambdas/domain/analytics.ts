/**
 * Usage analytics, for subjects who granted `analytics` (the consent gate drops everything else before this runs): events
 * are keyed by an analytics-only pseudonym, never the subject id, and expire after a fixed time.
 */
import { randomUUID } from 'node:crypto';

/** How long a stored event is kept. */
export const ANALYTICS_RETENTION_DAYS = 90;

export interface AnalyticsEvent {
  readonly name: string;
  readonly at: string;
  readonly properties?: Record<string, string | number | boolean>;
}

export interface StoredAnalyticsEvent {
  readonly analyticsId: string;
  readonly sk: string;
  readonly name: string;
  readonly properties: Record<string, string | number | boolean>;
  readonly at: string;
  /** Epoch seconds: the TTL. */
  readonly expiresAt: number;
}

export interface AnalyticsDeps {
  /** The subject's analytics-only pseudonym (an HMAC under its own purpose label). */
  readonly analyticsIdOf: (subjectId: string) => Promise<string>;
  /** Stores the events in one write, with its audit entry (for `subjectId`). */
  readonly putAll: (subjectId: string, events: readonly StoredAnalyticsEvent[]) => Promise<void>;
  readonly now: () => Date;
}

export async function recordAnalyticsEvents(deps: AnalyticsDeps, subjectId: string, events: readonly AnalyticsEvent[]): Promise<void> {
  const analyticsId = await deps.analyticsIdOf(subjectId);
  const expiresAt = Math.floor(deps.now().getTime() / 1000) + ANALYTICS_RETENTION_DAYS * 86_400;
  await deps.putAll(
    subjectId,
    events.map((e) => ({ analyticsId, sk: `${e.at}#${randomUUID()}`, name: e.name, properties: e.properties ?? {}, at: e.at, expiresAt })),
  );
}
