import { consentView } from '../domain/consent';
import { myConsentsRoute } from './my-consents.route';
import { consentContext } from '../wiring/consent';
import { httpRoute } from '../http/http';

const deps = consentContext(myConsentsRoute);

export const handler = httpRoute(myConsentsRoute, async ({ principal, audit }) => {
  const { consents, now } = deps(audit);
  const states = await consents.states(principal.subjectId);
  audit?.noteRead(principal.subjectId);
  return { body: consentView(states, now()) };
});
