import * as z from 'zod/mini';
import { authProblems, commonProblems, defineRoute, lazySchema, problem, touches } from '../http/route-definition';
import { email } from './accounts.schema';

export const findSubjectBody = z.strictObject({ email: email() }).register(z.globalRegistry, { id: 'FindSubjectRequest' });

const foundSubject = lazySchema(() => z.object({ subjectId: z.uuid() }).register(z.globalRegistry, { id: 'FoundSubject' }));

export const findSubjectRoute = defineRoute({
  id: 'findSubject',
  method: 'POST',
  path: '/v1/admin/subjects/lookup',
  handler: 'find-subject',
  summary: 'Find a subject id by email (through the blind index). The email travels in the body, never in a URL; audited without it.',
  description:
    'For an officer answering a request that came by letter or email. The email is normalised and turned into its ' +
    'blind index (an HMAC under the pseudonym key), which is looked up; the email itself is not stored, logged or ' +
    'written to the audit trail. A POST, so the email stays out of URLs and access logs. A match is recorded on the ' +
    'subject\'s audit trail; a miss is recorded as a lookup about no one.',
  tags: ['accounts', 'admin'],
  feature: 'accounts',
  auth: 'admin',
  request: { body: findSubjectBody },
  responses: {
    200: { description: 'The account with this email.', schema: foundSubject },
    404: problem('No account with this email (`subject-not-found`).'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('identities', ['read'], ['identityKey', 'subjectId', 'kind', 'createdAt'])],
  purpose: 'accountability',
  crypto: ['pseudonyms'],
});
