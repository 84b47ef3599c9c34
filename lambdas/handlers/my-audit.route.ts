import * as z from 'zod/mini';
import { AUDIT_ACTIONS } from '../domain/audit';
import { cursorParam as cursor } from '../http/cursor';
import { AUDIT_READ_FIELDS, authProblems, commonProblems, defineRoute, touches, lazySchema } from '../http/route-definition';
import { auditPosition, limit } from './audit.schema';

export const myAuditQuery = z.strictObject({ limit: z.optional(limit), cursor: z.optional(cursor) });

export const myAuditEntry = lazySchema(() =>
  z
    .object({
      at: z.iso.datetime(),
      action: z.enum(AUDIT_ACTIONS),
      actor: z.enum(['you', 'administrator', 'service', 'another user']).check(z.describe('Who acted on your data.')),
      purpose: z.string(),
      categories: z.array(z.string()).check(z.describe('Categories of data touched.')),
      fields: z.array(z.string()).check(z.describe('Names of the fields touched; never their values.')),
      outcome: z.enum(['success', 'failure']),
      origin: z.string().check(z.describe('The route or worker that acted.')),
    })
    .register(z.globalRegistry, { id: 'MyAuditEntry' }),
);

export const myAuditPage = lazySchema(() =>
  z
    .object({
      entries: z.array(myAuditEntry()),
      next: z.optional(z.string()).check(z.describe('Pass as `cursor` for the next (older) page.')),
    })
    .register(z.globalRegistry, { id: 'MyAuditPage' }),
);

export const myAuditRoute = defineRoute({
  id: 'myAudit',
  method: 'GET',
  path: '/v1/me/audit',
  handler: 'my-audit',
  summary: 'Who accessed my data, when, for what purpose, and which fields (never values). Newest first.',
  description: 
    'Transparency about processing (Art. 15(1)): the audit entries about the caller, each with action, ' +
    'actor role, purpose, data categories and field names, never values. Paginated.',
  tags: ['audit'],
  feature: 'audit',
  auth: 'subject',
  request: { query: myAuditQuery },
  paging: { position: auditPosition },
  responses: { 200: { description: 'A page of the audit trail about me.', schema: myAuditPage }, ...authProblems, ...commonProblems },
  // The page read; defineRoute adds the audit write (which reads the chain head) as for every route.
  personalData: [touches('audit', ['read'], [...AUDIT_READ_FIELDS, 'day', 'dayShard'])],
  purpose: 'transparency',
  crypto: ['pseudonyms'],
});
