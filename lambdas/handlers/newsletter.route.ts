import * as z from 'zod/mini';
import { authProblems, commonProblems, defineRoute, problem, touches, lazySchema } from '../http/route-definition';

export const newsletterBody = z.strictObject({ subscribed: z.boolean() }).register(z.globalRegistry, { id: 'NewsletterPreference' });

export const newsletterState = lazySchema(() =>
  z
    .object({ subscribed: z.boolean(), at: z.optional(z.iso.datetime()) })
    .register(z.globalRegistry, { id: 'Newsletter' }),
);

export const newsletterRoute = defineRoute({
  id: 'newsletter',
  method: 'PUT',
  path: '/v1/me/newsletter',
  handler: 'newsletter',
  summary: 'Subscribe to or leave the newsletter; needs consent to `marketing-email`.',
  description: 
    'Sets the newsletter preference. Behind the consent gate of `marketing-email` (Art. 6(1)(a)): without ' +
    'that consent the answer is 403 and nothing changes.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  request: { body: newsletterBody },
  responses: {
    200: { description: 'The preference.', schema: newsletterState },
    403: problem('No consent to marketing-email (consent-required, with purpose and reason).'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('consent', ['read', 'write'], ['subjectId', 'sk', 'subscribed', 'at'])],
  purpose: 'marketing-email',
});
