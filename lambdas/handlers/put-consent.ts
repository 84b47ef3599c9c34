import { consentView, grant } from '../domain/consent';
import { putConsentRoute } from './put-consent.route';
import { consentContext } from '../wiring/consent';
import { httpRoute } from '../http/http';
import { clientIdOf } from './client-id';

const deps = consentContext(putConsentRoute);

export const handler = httpRoute(putConsentRoute, async ({ principal, params, body, headers, audit }) => {
  const consentDeps = deps(audit);
  const { states } = await grant(consentDeps, principal.subjectId, params.purpose, body.granted, 'settings', clientIdOf(headers));
  return { body: consentView(states, consentDeps.now()) };
});
