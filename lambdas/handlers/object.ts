import { consentView, object } from '../domain/consent';
import { objectRoute } from './object.route';
import { consentContext } from '../wiring/consent';
import { httpRoute } from '../http/http';
import { clientIdOf } from './client-id';

const deps = consentContext(objectRoute);

export const handler = httpRoute(objectRoute, async ({ principal, params, headers, audit }) => {
  const consentDeps = deps(audit);
  const { states } = await object(consentDeps, principal.subjectId, params.purpose, true, clientIdOf(headers));
  return { body: consentView(states, consentDeps.now()) };
});
