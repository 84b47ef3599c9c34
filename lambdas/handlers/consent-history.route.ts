import * as z from 'zod/mini';
import { cursorParam } from '../http/cursor';
import { authProblems, commonProblems, CONSENT_EVENT_FIELDS, defineRoute, touches, lazySchema } from '../http/route-definition';

export const historyQuery = z.strictObject({
  limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9][0-9]|100)$/, 'A whole number from 1 to 100'))),
  cursor: z.optional(cursorParam),
});

/** Where the next page of the consent history starts: the sort key of the last event read (the subject is the caller). */
export const historyPosition = z.strictObject({ sk: z.string().check(z.regex(/^event#[0-9T:.Z-]+#[a-z-]+#\d{8}$/)) });

export const consentEvent = lazySchema(() =>
  z
    .object({
      eventId: z.uuid(),
      topic: z.string().check(z.describe('A purpose id, or `restriction`.')),
      action: z.enum(['grant', 'withdraw', 'object', 'withdraw-objection', 'restrict', 'lift-restriction']),
      seq: z.int(),
      policyVersion: z.optional(z.string()),
      policyHash: z.optional(z.string()),
      method: z.enum(['signup', 'settings', 'api', 'admin-on-behalf']),
      at: z.iso.datetime(),
      clientId: z.string(),
      validUntil: z.optional(z.iso.datetime()),
    })
    .register(z.globalRegistry, { id: 'ConsentEvent' }),
);

export const consentHistory = lazySchema(() =>
  z
    .object({ events: z.array(consentEvent()), next: z.optional(z.string()) })
    .register(z.globalRegistry, { id: 'ConsentHistory' }),
);

export const consentHistoryRoute = defineRoute({
  id: 'consentHistory',
  method: 'GET',
  path: '/v1/me/consents/history',
  handler: 'consent-history',
  summary: 'Every consent, objection and restriction decision I made, newest first.',
  description: 
    'Proof of consent (Art. 7(1)) as the subject sees it: every grant, withdrawal, objection and ' +
    'restriction in the ledger, with the policy version and hash each was given on.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  request: { query: historyQuery },
  paging: { position: historyPosition },
  responses: { 200: { description: 'A page of my consent history.', schema: consentHistory }, ...authProblems, ...commonProblems },
  personalData: [touches('consent', ['read'], [...CONSENT_EVENT_FIELDS])],
  purpose: 'consent-management',
});
