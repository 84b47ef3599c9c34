import * as z from 'zod/mini';
import { REQUEST_TYPES } from '../domain/rights';
import { PROFILE_FIELD_CATEGORIES } from '../inventory';
import { authProblems, commonProblems, defineRoute, problem, QUEUE_JOB_FIELDS, REQUEST_WRITE, touches, lazySchema } from '../http/route-definition';
import { requestView } from './rights.schema';

/** Field names a rectification can name: the profile's fields. A closed list, because the request is kept after erasure. */
const RECTIFIABLE_FIELDS = Object.keys(PROFILE_FIELD_CATEGORIES).map((f) => `profile.${f}`) as [string, ...string[]];

export const newRequestBody = z
  .strictObject({
    type: z.enum(REQUEST_TYPES),
    password: z
      .optional(z.string().check(z.minLength(1), z.maxLength(256)))
      .check(z.describe('Your password, if your last login is older than the re-verification window.')),
    fields: z
      .optional(z.array(z.enum(RECTIFIABLE_FIELDS)).check(z.maxLength(20)))
      .check(z.describe('Rectification: names of the fields you say are wrong (e.g. profile.familyName); never their values.')),
  })
  .register(z.globalRegistry, { id: 'NewRightsRequest' });

export const createdRequest = lazySchema(() =>
  z
    .extend(requestView(), {
      receiptToken: z
        .optional(z.string())
        .check(z.describe('Erasure only: shown once; reads the receipt after your account is gone.')),
    })
    .register(z.globalRegistry, { id: 'CreatedRightsRequest' }),
);

export const createRequestRoute = defineRoute({
  id: 'createRequest',
  method: 'POST',
  path: '/v1/me/requests',
  handler: 'create-request',
  summary:
    'Exercise a right: access, export, rectification or erasure. Answers 202 with the request, due one calendar month later. ' +
    'Access, export and erasure need a login within the re-verification window, or the password in the body.',
  description: 
    'Files a data-subject request: access (Art. 15), export (Art. 20), rectification (Art. 16) or erasure ' +
    '(Art. 17), due one calendar month after receipt (Art. 12(3)). Automatic types are queued for the ' +
    'rights worker; erasure also answers with a receipt token, shown once.',
  tags: ['rights'],
  feature: 'rights',
  auth: 'subject',
  request: { body: newRequestBody },
  responses: {
    202: { description: 'Recorded (and queued, for automatic types).', schema: createdRequest },
    403: problem('Re-verification required: log in again or send the password.'),
    409: problem('A request of this type is already open.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [
    ...REQUEST_WRITE,
    touches('rightsRequestQueue', ['write'], [...QUEUE_JOB_FIELDS]),
    touches('users', ['read'], ['subjectId', 'passwordHash']),
  ],
  purpose: 'transparency',
  settings: ['rightsModes'],
});
