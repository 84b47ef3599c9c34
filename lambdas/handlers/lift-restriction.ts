import { consentView, restrict } from '../domain/consent';
import { liftRestrictionRoute } from './lift-restriction.route';
import { consentContext } from '../wiring/consent';
import { httpRoute } from '../http/http';
import { clientIdOf } from './client-id';

const deps = consentContext(liftRestrictionRoute);

export const handler = httpRoute(liftRestrictionRoute, async ({ principal, headers, audit }) => {
  const consentDeps = deps(audit);
  const { states } = await restrict(consentDeps, principal.subjectId, false, clientIdOf(headers));
  return { body: consentView(states, consentDeps.now()) };
});
