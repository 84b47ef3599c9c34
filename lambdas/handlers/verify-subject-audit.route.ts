import { AUDIT_READ_FIELDS, authProblems, commonProblems, defineRoute, problem, touches } from '../http/route-definition';
import { subjectIdParams } from './retention.schema';
import { chainReport } from './subject-view.schema';

export const verifySubjectAuditRoute = defineRoute({
  id: 'verifySubjectAudit',
  method: 'GET',
  path: '/v1/admin/subjects/{subjectId}/audit/verify',
  handler: 'verify-subject-audit',
  summary: 'Verify a subject\'s audit chain end to end (as `fmn audit verify --subject-id` does): intact, or the first break.',
  description:
    'Integrity of the records that prove accountability (Arts. 5(1)(f), 5(2)): re-hashes every entry of the subject\'s ' +
    'chain, checks each link and the chain head, and reports the first entry that was edited, removed or reordered.',
  tags: ['audit', 'admin'],
  feature: 'audit',
  auth: 'admin',
  request: { params: subjectIdParams },
  responses: {
    200: { description: 'The chain\'s report (also when broken: `ok` is false).', schema: chainReport },
    ...authProblems,
    403: problem('The caller is not an administrator.'),
    ...commonProblems,
  },
  personalData: [touches('audit', ['read'], [...AUDIT_READ_FIELDS, 'day', 'headSeq', 'headHash'])],
  purpose: 'accountability',
  crypto: ['pseudonyms'],
});
