import * as z from 'zod/mini';
import { PASSWORD_MAX_LENGTH } from '../domain/passwords';
import { REAUTHENTICATION_WINDOW_SECONDS } from '../domain/sessions';
import { ACTIVITY_FIELDS, commonProblems, defineRoute, lazySchema, NOTICE_FIELDS, problem, touches } from '../http/route-definition';
import { secondFactorCode } from './accounts.schema';

export const reauthenticateBody = z
  .strictObject({
    password: z.string().check(z.minLength(1), z.maxLength(PASSWORD_MAX_LENGTH)),
    code: secondFactorCode('The 6-digit code of the authenticator app, or one of the single-use recovery codes.'),
  })
  .register(z.globalRegistry, { id: 'ReauthenticationRequest' });

const reauthentication = lazySchema(() =>
  z
    .object({
      reauthenticatedAt: z.iso.datetime(),
      validUntil: z.iso.datetime().check(z.describe('Destructive admin actions are allowed on this session until then.')),
    })
    .register(z.globalRegistry, { id: 'Reauthentication' }),
);

export const reauthenticateRoute = defineRoute({
  id: 'reauthenticate',
  method: 'POST',
  path: '/v1/sessions/current/reauthentication',
  handler: 'reauthenticate',
  summary: `Confirm it is you (password and second factor again) before destructive admin actions, for ${REAUTHENTICATION_WINDOW_SECONDS / 60} minutes.`,
  description:
    'Approving or completing a request and lifting a legal hold answer 403 `reauthentication-required` unless this ' +
    'session gave the password and a second-factor code (at login or here) within the last ' +
    `${REAUTHENTICATION_WINDOW_SECONDS / 60} minutes. A wrong password or code answers 403 \`reauthentication-failed\` ` +
    'and counts on the login throttle (per account and per client address), so guessing here is no faster than at login. ' +
    'Audited as an update of the session, without the password or code.',
  tags: ['sessions', 'admin'],
  feature: 'accounts',
  auth: 'admin',
  request: { body: reauthenticateBody },
  responses: {
    200: { description: 'Confirmed; destructive actions are allowed until `validUntil`.', schema: reauthentication },
    401: problem('No valid session, or it ended meanwhile (problem+json).'),
    403: problem('Not an admin, or a wrong password or code (`reauthentication-failed`) (problem+json).'),
    ...commonProblems,
  },
  personalData: [
    // The account is read whole (GetItem); the second factor's use is written back (its step, or the recovery code removed).
    touches('users', ['read', 'write'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS, ...NOTICE_FIELDS, 'retentionErasureRequestId', 'secondFactor']),
    // The second factor is sealed under the subject's key.
    touches('subjectKeys', ['read'], ['subjectId', 'wrappedKey', 'createdAt']),
    touches('loginThrottle', ['read', 'write', 'delete'], ['counterKey', 'failures', 'lockedUntil', 'windowStart', 'expiresAt']),
    touches('sessions', ['write'], ['tokenHash', 'subjectId', 'reauthenticatedAt']),
  ],
  purpose: 'account',
  crypto: ['pseudonyms', 'subjectKeys'],
});
