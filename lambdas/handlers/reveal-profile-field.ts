import { revealProfileField, type RevealPurpose } from '../domain/subject-view';
import type { ProfileField } from '../domain/accounts';
import { revealProfileFieldRoute } from './reveal-profile-field.route';
import { accountsContext } from '../wiring/accounts';
import { httpRoute } from '../http/http';

const accounts = accountsContext(revealProfileFieldRoute);

/**
 * Reveal one field (domain/subject-view.ts). The account store and keyring get no audit trail: their own read notes would
 * add an entry under the route's purpose; the one entry this route writes is the reveal, with the stated purpose.
 */
export const handler = httpRoute(revealProfileFieldRoute, async ({ params, body, audit }) => {
  const { accounts: store, keyring } = accounts(undefined);
  if (!audit) throw new Error('revealProfileField runs without an audit trail');
  return {
    body: await revealProfileField(
      { accounts: store, keyring, record: (note) => audit.transact([], note) },
      params.subjectId,
      body.field as ProfileField,
      body.purpose as RevealPurpose,
    ),
  };
});
