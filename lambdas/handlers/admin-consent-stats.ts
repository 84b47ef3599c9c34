import { consentFigures } from '../domain/consent-stats';
import { adminConsentStatsRoute } from './admin-consent-stats.route';
import { httpRoute } from '../http/http';
import { consentStatsReader } from '../wiring/consent';

const stats = consentStatsReader(adminConsentStatsRoute);

/** The figures over a range of days (default: the last 30); the range is checked by the query schema. */
export const handler = httpRoute(adminConsentStatsRoute, async ({ query }) => {
  const now = new Date();
  const to = query.to ?? now.toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
  return { body: { from, to, ...consentFigures(await stats.counts(from, to), now) } };
});
