import { consentView, object } from '../domain/consent';
import { withdrawObjectionRoute } from './withdraw-objection.route';
import { consentContext } from '../wiring/consent';
import { httpRoute } from '../http/http';
import { clientIdOf } from './client-id';

const deps = consentContext(withdrawObjectionRoute);

export const handler = httpRoute(withdrawObjectionRoute, async ({ principal, params, headers, audit }) => {
  const consentDeps = deps(audit);
  const { states } = await object(consentDeps, principal.subjectId, params.purpose, false, clientIdOf(headers));
  return { body: consentView(states, consentDeps.now()) };
});
