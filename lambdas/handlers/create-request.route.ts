import { QUEUE_JOB_FIELDS, REQUEST_FIELDS, authProblems, commonProblems, defineRoute, problem, touches } from '../shared/route-definition';
import { createdRequest, newRequestBody } from './rights.schema';

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
    touches('rightsRequests', ['read', 'write'], [...REQUEST_FIELDS]),
    touches('rightsRequestQueue', ['write'], [...QUEUE_JOB_FIELDS]),
    touches('users', ['read'], ['subjectId', 'passwordHash']),
  ],
  purpose: 'transparency',
  settings: ['rightsModes'],
});
