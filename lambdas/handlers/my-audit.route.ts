import * as z from 'zod';
import { AUDIT_ACTIONS } from '../domain/audit';
import { cursorParam as cursor } from '../shared/cursor';
import { AUDIT_READ_FIELDS, authProblems, commonProblems, defineRoute, touches } from '../shared/route-definition';
import { auditPosition, limit } from './audit.schema';

export const myAuditQuery = z.strictObject({ limit: limit.optional(), cursor: cursor.optional() });

export const myAuditEntry = z
  .object({
    at: z.iso.datetime(),
    action: z.enum(AUDIT_ACTIONS),
    actor: z.enum(['you', 'administrator', 'service', 'another user']).describe('Who acted on your data.'),
    purpose: z.string(),
    categories: z.array(z.string()).describe('Categories of data touched.'),
    fields: z.array(z.string()).describe('Names of the fields touched; never their values.'),
    outcome: z.enum(['success', 'failure']),
    origin: z.string().describe('The route or worker that acted.'),
  })
  .meta({ id: 'MyAuditEntry' });

export const myAuditPage = z
  .object({ entries: z.array(myAuditEntry), next: z.string().optional().describe('Pass as `cursor` for the next (older) page.') })
  .meta({ id: 'MyAuditPage' });

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
  personalData: [touches('audit', ['read'], [...AUDIT_READ_FIELDS, 'day'])],
  purpose: 'transparency',
  crypto: ['pseudonyms'],
});
