import * as z from 'zod';
import { PASSWORD_MAX_LENGTH } from '../domain/passwords';
import { ACTIVITY_FIELDS, authProblems, commonProblems, defineRoute, problem, SESSION_FIELDS, touches } from '../shared/route-definition';
import { account, email, locale, password, phone, postalAddress, text } from './accounts.schema';

export const patchMeBody = z
  .strictObject({
    email: email.optional(),
    displayName: text(100).optional(),
    givenName: text(100).nullable().optional(),
    familyName: text(100).nullable().optional(),
    locale: locale.nullable().optional(),
    phone: phone.nullable().optional(),
    postalAddress: postalAddress.nullable().optional(),
    newPassword: password.optional(),
    currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH).optional(),
  })
  .refine((body) => Object.keys(body).some((k) => k !== 'currentPassword'), { message: 'Send at least one field to change' })
  .meta({ id: 'ProfileCorrection', description: 'Fields to correct; null removes an optional field.' });

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
  ],
  purpose: 'account',
  crypto: ['subjectKeys', 'pseudonyms'],
});
