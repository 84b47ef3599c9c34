import * as z from 'zod/mini';
import { PASSWORD_MAX_LENGTH } from '../domain/passwords';
import { ACTIVITY_FIELDS, commonProblems, defineRoute, NOTICE_FIELDS, problem, touches, USER_AGENT_HEADER } from '../http/route-definition';
import { email, loginResponse, secondFactorCode } from './accounts.schema';

export const loginBody = z
  .strictObject({
    email: email(),
    password: z.string().check(z.minLength(1), z.maxLength(PASSWORD_MAX_LENGTH)),
    code: z.optional(
      secondFactorCode(
        'The second factor, required for accounts with the admin role: the 6-digit code of the authenticator app ' +
          'enrolled by `fmn admin create`, or one of its single-use recovery codes.',
      ),
    ),
  })
  .register(z.globalRegistry, { id: 'LoginRequest' });

export const loginRoute = defineRoute({
  id: 'login',
  method: 'POST',
  path: '/v1/sessions',
  handler: 'login',
  summary: 'Log in with email and password. Errors and timing do not reveal whether the email is registered.',
  description: 
    'Checks the password against its scrypt hash and opens a session; the token is returned once and ' +
    'stored only as its SHA-256. Failures are throttled per account and per client address (an HMAC of ' +
    'it, never the address); the session\'s device label comes from `User-Agent`, which is not stored. Accounts with ' +
    'the admin role also need `code` (TOTP, RFC 6238, or a single-use recovery code); a missing or wrong code answers ' +
    'and counts like a wrong password.',
  tags: ['sessions'],
  feature: 'accounts',
  auth: 'public',
  headers: [USER_AGENT_HEADER],
  request: { body: loginBody },
  responses: {
    201: { description: 'Logged in; the session token is shown once.', schema: loginResponse },
    401: problem('Wrong email or password.'),
    ...commonProblems,
  },
  personalData: [
    touches('identities', ['read'], ['identityKey', 'subjectId', 'kind', 'createdAt']),
    // The account is read whole (GetItem), the encrypted profile and blind index included, though login decrypts nothing.
    touches('users', ['read', 'write'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS, ...NOTICE_FIELDS, 'retentionErasureRequestId', 'secondFactor']),
    // An admin's second factor is sealed under the subject's key.
    touches('subjectKeys', ['read'], ['subjectId', 'wrappedKey', 'createdAt']),
    touches('loginThrottle', ['read', 'write', 'delete'], ['counterKey', 'failures', 'lockedUntil', 'windowStart', 'expiresAt']),
    touches('sessions', ['write'], ['tokenHash', 'subjectId', 'roles', 'deviceLabel', 'createdAt', 'lastUsedAt', 'idleExpiresAt', 'expiresAt']),
  ],
  purpose: 'account',
  crypto: ['pseudonyms', 'subjectKeys'],
});
