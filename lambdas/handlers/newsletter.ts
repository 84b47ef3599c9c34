import { newsletterRoute } from './newsletter.route';
import { consentContext } from '../wiring/consent';
import { httpRoute } from '../http/http';

const deps = consentContext(newsletterRoute);

/** Behind the consent gate (purpose marketing-email): without consent the handler never runs. */
export const handler = httpRoute(newsletterRoute, async ({ principal, body, audit }) => {
  const { consents, now } = deps(audit);
  const at = now().toISOString();
  await consents.setNewsletter(principal.subjectId, body.subscribed, at);
  return { body: { subscribed: body.subscribed, at } };
});
