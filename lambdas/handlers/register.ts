import { register } from '../domain/accounts';
import { grant } from '../domain/consent';
import { isPurposeId, purposeOf } from '../purposes';
import { registerRoute } from './register.route';
import { accountsContext } from '../wiring/accounts';
import { consentContext } from '../wiring/consent';
import { ValidationError } from '../http/problems';
import { httpRoute } from '../http/http';
import { clientIdOf } from './client-id';
import { deviceLabelOf, issuedSessionView } from './session-view';

const deps = accountsContext(registerRoute);
const consentDeps = consentContext(registerRoute);

export const handler = httpRoute(registerRoute, async ({ body, headers, audit }) => {
  const { password, consents = {}, ...profile } = body;
  // Only purposes based on consent can be ticked; checked before anything is written.
  const ticked = Object.entries(consents).filter(([, granted]) => granted === true).map(([purpose]) => purpose);
  const notConsentBased = ticked.filter((p) => !isPurposeId(p) || purposeOf(p).lawfulBasis !== 'consent');
  if (notConsentBased.length > 0) {
    throw new ValidationError(notConsentBased.map((p) => ({ path: `body.consents.${p}`, message: 'Not a consent-based purpose' })));
  }
  const { account, session } = await register(deps(audit), { profile, password, deviceLabel: deviceLabelOf(headers) });
  // The sign-up form's ticks go through the same ledger as any later decision; unticked optional purposes stay not granted.
  for (const purpose of ticked) {
    if (isPurposeId(purpose)) await grant(consentDeps(audit), account.subjectId, purpose, true, 'signup', clientIdOf(headers));
  }
  return { status: 201, body: { account, session: issuedSessionView(session) } };
});
