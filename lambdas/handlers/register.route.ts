import * as z from 'zod/mini';
import {
  ACTIVITY_FIELDS,
  CONSENT_STATS_WRITE,
  CLIENT_ID_HEADER,
  commonProblems,
  defineRoute,
  NEW_CHAIN_AUDIT_WRITE,
  problem,
  touches,
  USER_AGENT_HEADER,
  lazySchema,
} from '../http/route-definition';
import { account, email, issuedSession, locale, password, phone, postalAddress, text } from './accounts.schema';
import { signupConsents } from './consent.schema';

const profileFields = {
  email: email(),
  displayName: text(100),
  givenName: z.optional(text(100)),
  familyName: z.optional(text(100)),
  locale: z.optional(locale()),
  phone: z.optional(phone()),
  postalAddress: z.optional(postalAddress()),
};

export const registerBody = z
  .strictObject({ ...profileFields, password: password(), consents: z.optional(signupConsents) })
  .register(z.globalRegistry, { id: 'RegisterRequest' });

export const registerResponse = lazySchema(() =>
  z.object({ account: account(), session: issuedSession() }).register(z.globalRegistry, { id: 'Registration' }),
);

export const registerRoute = defineRoute({
  id: 'register',
  method: 'POST',
  path: '/v1/accounts',
  handler: 'register',
  summary: 'Register: creates the account and its first session. Optional purposes are never pre-ticked.',
  description: 
    'Creates a subject: a random subject id, the profile encrypted under a new per-subject data key, a ' +
    'blind index of the email and a first session. Purposes ticked in `consents` are recorded in the ' +
    'consent ledger (Art. 7(1)) with method `signup`; nothing optional is granted by default (Art. ' +
    '25(2)).',
  tags: ['accounts'],
  feature: 'accounts',
  auth: 'public',
  headers: [CLIENT_ID_HEADER, USER_AGENT_HEADER],
  request: { body: registerBody },
  responses: {
    201: { description: 'Account created; the session token is shown once.', schema: registerResponse },
    409: problem('The email is already registered.'),
    ...commonProblems,
  },
  personalData: [
    touches('consent', ['read', 'write'], ['subjectId', 'sk', 'topic', 'action', 'lastAction', 'seq', 'eventId', 'policyVersion', 'policyHash', 'method', 'at', 'clientId', 'validUntil']),
    // the sign-up form's ticks are consent decisions: they move the consent figures' counters
    CONSENT_STATS_WRITE,
    touches('users', ['write'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS]),
    touches('subjectKeys', ['write'], ['subjectId', 'wrappedKey', 'createdAt']),
    touches('identities', ['write'], ['identityKey', 'subjectId', 'kind', 'createdAt']),
    touches('sessions', ['write'], ['tokenHash', 'subjectId', 'roles', 'deviceLabel', 'createdAt', 'lastUsedAt', 'idleExpiresAt', 'expiresAt']),
    NEW_CHAIN_AUDIT_WRITE,
  ],
  purpose: 'account',
  crypto: ['subjectKeys', 'pseudonyms'],
});
