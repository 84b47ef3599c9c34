import * as z from 'zod/mini';
import { authProblems, commonProblems, defineRoute, touches } from '../http/route-definition';

const token = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'Short tokens only: no free text'));

export const analyticsBody = z
  .strictObject({
    events: z
      .array(
        z.strictObject({
          name: z.string().check(z.regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'Lower-case dotted names, e.g. screen.view')),
          at: z.iso.datetime(),
          properties: z.optional(
            z.record(z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,31}$/)), z.union([z.number(), z.boolean(), token])),
          ),
        }),
      )
      .check(z.minLength(1), z.maxLength(25)),
  })
  .check(z.refine((b) => b.events.every((e) => Object.keys(e.properties ?? {}).length <= 10), { message: 'At most 10 properties per event' }))
  .register(z.globalRegistry, {
    id: 'AnalyticsEvents',
    description: 'Usage events. Stored only while the caller grants `analytics`; otherwise accepted and dropped.',
  });

export const analyticsEventsRoute = defineRoute({
  id: 'analyticsEvents',
  method: 'POST',
  path: '/v1/events',
  handler: 'analytics-events',
  summary: 'Usage events: stored (pseudonymously, 90 days) only while I grant `analytics`; otherwise 204 and nothing is stored.',
  description: 
    'A batch of usage events. Unless `analytics` is granted (Art. 6(1)(a)) the consent gate answers 204 ' +
    'and stores nothing; stored events are keyed by an HMAC pseudonym, hold no free text and expire after ' +
    '90 days.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  request: { body: analyticsBody },
  responses: { 204: { description: 'Accepted (stored only with consent).' }, ...authProblems, ...commonProblems },
  personalData: [
    touches('analyticsEvents', ['write'], ['analyticsId', 'sk', 'name', 'properties', 'at', 'expiresAt']),
  ],
  purpose: 'analytics',
  consentGate: 'drop',
  crypto: ['pseudonyms'],
});
