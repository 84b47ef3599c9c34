import { consentView, restrict } from '../domain/consent';
import { restrictRoute } from '../routes';
import { consentContext } from '../shared/consent-context';
import { httpRoute } from '../shared/http';
import { clientIdOf } from './client-id';

const deps = consentContext(restrictRoute);

export const handler = httpRoute(restrictRoute, async ({ principal, headers, audit }) => {
  const consentDeps = deps(audit);
  await restrict(consentDeps, principal.subjectId, true, clientIdOf(headers));
  return { body: consentView(await consentDeps.consents.states(principal.subjectId), consentDeps.now()) };
});
