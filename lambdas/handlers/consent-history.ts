import { consentHistoryRoute } from './consent-history.route';
import { consentContext } from '../wiring/consent';
import { httpRoute } from '../http/http';

const deps = consentContext(consentHistoryRoute);

export const handler = httpRoute(consentHistoryRoute, async ({ principal, query, page, audit }) => {
  const { events, next } = await deps(audit).consents.history(principal.subjectId, Number(query.limit ?? 50), page.position?.sk);
  return { body: { events: events.map(({ subjectId: _s, ...event }) => event), next: await page.next(next === undefined ? undefined : { sk: next }) } };
});
