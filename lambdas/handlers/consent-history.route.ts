import * as z from 'zod';
import { cursorParam } from '../shared/cursor';
import { authProblems, commonProblems, CONSENT_EVENT_FIELDS, defineRoute, touches } from '../shared/route-definition';

export const historyQuery = z.strictObject({
  limit: z.string().regex(/^([1-9]|[1-9][0-9]|100)$/, 'A whole number from 1 to 100').optional(),
  cursor: cursorParam.optional(),
});

/** Where the next page of the consent history starts: the sort key of the last event read (the subject is the caller). */
export const historyPosition = z.strictObject({ sk: z.string().regex(/^event#[0-9T:.Z-]+#[a-z-]+#\d{8}$/) });

export const consentEvent = z
  .object({
    eventId: z.uuid(),
    topic: z.string().describe('A purpose id, or `restriction`.'),
    action: z.enum(['grant', 'withdraw', 'object', 'withdraw-objection', 'restrict', 'lift-restriction']),
    seq: z.number().int(),
    policyVersion: z.string().optional(),
    policyHash: z.string().optional(),
    method: z.enum(['signup', 'settings', 'api', 'admin-on-behalf']),
    at: z.iso.datetime(),
    clientId: z.string(),
    validUntil: z.iso.datetime().optional(),
  })
  .meta({ id: 'ConsentEvent' });

export const consentHistory = z
  .object({ events: z.array(consentEvent), next: z.string().optional() })
  .meta({ id: 'ConsentHistory' });

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
