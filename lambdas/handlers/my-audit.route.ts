import { AUDIT_READ_FIELDS, authProblems, commonProblems, defineRoute, touches } from '../shared/route-definition';
import { auditPosition, myAuditPage, myAuditQuery } from './audit.schema';

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
