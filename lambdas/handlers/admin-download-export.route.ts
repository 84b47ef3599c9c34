import { authProblems, commonProblems, defineRoute, problem, REQUEST_FIELDS, touches } from '../http/route-definition';
import { downloadLink, downloadQuery, requestIdParams } from './rights.schema';

export const adminDownloadRoute = defineRoute({
  id: 'adminDownloadExport',
  method: 'GET',
  path: '/v1/admin/requests/{requestId}/download',
  handler: 'admin-download-export',
  summary: 'A presigned link, valid for 5 minutes, to the export of a completed export or access request, for an admin. Audited.',
  description:
    'For an officer who must check or hand over an export (a subject who cannot download it, a regulator\'s question). ' +
    'The download is recorded on the subject\'s audit trail as a read of the export by the admin.',
  tags: ['rights', 'admin'],
  feature: 'rights',
  auth: 'admin',
  request: { params: requestIdParams, query: downloadQuery },
  responses: {
    200: { description: 'The link.', schema: downloadLink },
    404: problem('No such request.'),
    409: problem('The export is not ready (or has expired).'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS]), touches('exports', ['read'], ['subjectExport'])],
  purpose: 'accountability',
});
