import { authProblems, commonProblems, defineRoute, problem, REQUEST_FIELDS, touches } from '../http/route-definition';
import { downloadLink, downloadQuery, requestIdParams } from './rights.schema';

export const downloadRoute = defineRoute({
  id: 'downloadExport',
  method: 'GET',
  path: '/v1/me/requests/{requestId}/download',
  handler: 'download-export',
  summary: "A presigned link, valid for 5 minutes, to the export (JSON or CSV) of a completed export or access request, and to its recipients' parts.",
  description: 
    'Data portability (Art. 20): a presigned link to the export in a structured, machine-readable format ' +
    '(JSON or CSV). Export files are deleted 7 days after they are written.',
  tags: ['rights'],
  feature: 'rights',
  auth: 'subject',
  request: { params: requestIdParams, query: downloadQuery },
  responses: {
    200: { description: 'The link.', schema: downloadLink },
    404: problem('No such request of mine.'),
    409: problem('The export is not ready (or has expired).'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS]), touches('exports', ['read'], ['subjectExport'])],
  purpose: 'transparency',
});
