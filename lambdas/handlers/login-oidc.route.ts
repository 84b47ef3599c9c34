import * as z from 'zod/mini';
import { ACTIVITY_FIELDS, commonProblems, defineRoute, NOTICE_FIELDS, problem, touches, USER_AGENT_HEADER, lazySchema } from '../http/route-definition';
import { loginResponse } from './accounts.schema';

export const oidcLoginBody = z
  .strictObject({
    idToken: z
      .string()
      .check(z.minLength(20), z.maxLength(8192), z.describe('The ID token (JWT) the identity provider issued to the client.')),
  })
  .register(z.globalRegistry, { id: 'OidcLoginRequest' });

export const oidcLoginResponse = lazySchema(() =>
  z.extend(loginResponse(), { created: z.boolean(), linked: z.boolean() }).register(z.globalRegistry, { id: 'OidcLogin' }),
);

export const oidcLoginRoute = defineRoute({
  id: 'loginOidc',
  method: 'POST',
  path: '/v1/sessions/oidc',
  handler: 'login-oidc',
  summary: 'Log in with an OpenID Connect ID token from a configured provider; creates or links the account.',
  description: 
    'Verifies the ID token\'s signature, issuer, audience and expiry against the deployment\'s provider ' +
    'allow-list, then logs into the linked account, links a verified email to an existing account, or ' +
    'creates one from the claims the profile needs (Art. 5(1)(c)). Opens a session like password login.',
  tags: ['sessions'],
  feature: 'accounts',
  auth: 'public',
  headers: [USER_AGENT_HEADER],
  request: { body: oidcLoginBody },
  responses: {
    201: { description: 'Logged in; the session token is shown once.', schema: oidcLoginResponse },
    401: problem('The ID token is invalid, expired, or from an unknown issuer.'),
    422: problem('The provider shared no email, or an unverified one, for a new account.'),
    ...commonProblems,
  },
  personalData: [
    touches('identities', ['read', 'write'], ['identityKey', 'subjectId', 'kind', 'createdAt']),
    touches('users', ['read', 'write'], ['subjectId', 'emailIndex', 'profile', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS, ...NOTICE_FIELDS, 'retentionErasureRequestId']),
    touches('subjectKeys', ['write'], ['subjectId', 'wrappedKey', 'createdAt']),
    touches('sessions', ['write'], ['tokenHash', 'subjectId', 'roles', 'deviceLabel', 'createdAt', 'lastUsedAt', 'idleExpiresAt', 'expiresAt']),
  ],
  purpose: 'account',
  crypto: ['subjectKeys', 'pseudonyms'],
  settings: ['oidcProviders'],
});
