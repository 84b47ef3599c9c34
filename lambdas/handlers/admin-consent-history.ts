import { adminConsentHistoryRoute } from './admin-consent-history.route';
import { consentContext } from '../wiring/consent';
import { httpRoute } from '../http/http';

const deps = consentContext(adminConsentHistoryRoute);

/** The subject's ledger, page by page, as the subject's own history route reads it; the store records the look on their chain. */
export const handler = httpRoute(adminConsentHistoryRoute, async ({ params, query, page, audit }) => {
  const { events, next } = await deps(audit).consents.history(params.subjectId, Number(query.limit ?? 50), page.position?.sk);
  return { body: { events: events.map(({ subjectId: _s, ...event }) => event), next: await page.next(next === undefined ? undefined : { sk: next }) } };
});
