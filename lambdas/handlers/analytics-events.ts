import { recordAnalyticsEvents } from '../domain/analytics';
import { analyticsEventsRoute } from './analytics-events.route';
import { httpRoute } from '../http/http';
import { analyticsContext } from '../wiring/consent';

const deps = analyticsContext(analyticsEventsRoute);

/**
 * The seed's tracking middleware, made real: the consent gate (purpose `analytics`, mode `drop`) answers 204 and stores
 * nothing without consent, so this handler only runs for subjects who granted it. Events are keyed by an analytics-only
 * pseudonym, not the subject id, and expire after 90 days (domain/analytics.ts).
 */
export const handler = httpRoute(analyticsEventsRoute, async ({ principal, body, audit }) => {
  await recordAnalyticsEvents(deps(audit), principal.subjectId, body.events);
  return { status: 204 };
});
