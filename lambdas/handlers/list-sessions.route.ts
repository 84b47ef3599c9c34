import * as z from 'zod/mini';
import { authProblems, commonProblems, defineRoute, SESSION_FIELDS, touches, lazySchema } from '../http/route-definition';

export const sessionSummary = lazySchema(() =>
  z
    .object({
      id: z.string().check(z.describe('Short, non-secret id of the session.')),
      deviceLabel: z.string(),
      createdAt: z.iso.datetime(),
      lastUsedAt: z.iso.datetime(),
      expiresAt: z.iso.datetime(),
      current: z.boolean(),
    })
    .register(z.globalRegistry, { id: 'SessionSummary' }),
);

export const sessionList = lazySchema(() =>
  z.object({ sessions: z.array(sessionSummary()) }).register(z.globalRegistry, { id: 'SessionList' }),
);

export const listSessionsRoute = defineRoute({
  id: 'listSessions',
  method: 'GET',
  path: '/v1/sessions',
  handler: 'list-sessions',
  summary: 'My sessions: when created and last used, and a coarse device label. No IP addresses are stored.',
  description: 
    'The caller\'s live sessions, so one they do not recognise can be spotted and ended: creation and ' +
    'last-use times, expiry and a coarse device label. Token hashes are never returned.',
  tags: ['sessions'],
  feature: 'accounts',
  auth: 'subject',
  responses: { 200: { description: 'My sessions.', schema: sessionList }, ...authProblems, ...commonProblems },
  personalData: [touches('sessions', ['read'], [...SESSION_FIELDS])],
  purpose: 'account',
});
