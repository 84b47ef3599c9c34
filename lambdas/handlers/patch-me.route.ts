import * as z from 'zod/mini';
import { PASSWORD_MAX_LENGTH } from '../domain/passwords';
import { ACTIVITY_FIELDS, authProblems, commonProblems, defineRoute, problem, SESSION_FIELDS, touches, OUTBOX_WRITE } from '../http/route-definition';
import { account, email, locale, password, phone, postalAddress, text } from './accounts.schema';

export const patchMeBody = z
  .strictObject({
    email: z.optional(email()),
    displayName: z.optional(text(100)),
    givenName: z.optional(z.nullable(text(100))),
    familyName: z.optional(z.nullable(text(100))),
    locale: z.optional(z.nullable(locale())),
    phone: z.optional(z.nullable(phone())),
    postalAddress: z.optional(z.nullable(postalAddress())),
    newPassword: z.optional(password()),
    currentPassword: z.optional(z.string().check(z.minLength(1), z.maxLength(PASSWORD_MAX_LENGTH))),
  })
  .check(z.refine((body) => Object.keys(body).some((k) => k !== 'currentPassword'), { message: 'Send at least one field to change' }))
  .register(z.globalRegistry, { id: 'ProfileCorrection', description: 'Fields to correct; null removes an optional field.' });

export const patchMeRoute = defineRoute({
  id: 'patchMe',
  method: 'PATCH',
  path: '/v1/me',
  handler: 'patch-me',
  summary: 'Correct my data (Art. 16): any field, including provider-sourced ones. Email and password changes need the current password.',
  description: 
    'Rectification (Art. 16). A new email moves the login identifier and needs the current password; a ' +
    'new password ends every other session. Fields a provider supplied can be corrected too, and a later ' +
    'provider login does not overwrite the correction.',
  tags: ['accounts'],
  feature: 'accounts',
  auth: 'subject',
  request: { body: patchMeBody },
  responses: {
    200: { description: 'The corrected account.', schema: account },
    409: problem('The new email is taken, or the account changed concurrently.'),
    410: problem('The account data has been erased.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [
    // Read whole and written back whole (a Put in the transaction), so every attribute of the account goes both ways.
    touches('users', ['read', 'write'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS]),
    touches('subjectKeys', ['read'], ['subjectId', 'wrappedKey', 'createdAt']),
    touches('identities', ['write', 'delete'], ['identityKey', 'subjectId', 'kind', 'createdAt']),
    // A password change ends every other session of the subject.
    touches('sessions', ['read', 'delete'], [...SESSION_FIELDS]),
    // A corrected field a recipient receives: the recipients' event, in the same transaction.
    OUTBOX_WRITE,
  ],
  purpose: 'account',
  crypto: ['subjectKeys', 'pseudonyms'],
});
