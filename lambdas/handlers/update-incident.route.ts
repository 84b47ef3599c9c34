import { authProblems, commonProblems, defineRoute, problem } from '../http/route-definition';
import { INCIDENT_WRITE } from './incident-data';
import { incidentChangeBody, incidentIdParams, incidentView } from './incidents.schema';

export const updateIncidentRoute = defineRoute({
  id: 'updateIncident',
  method: 'PATCH',
  path: '/v1/admin/incidents/{incidentId}',
  handler: 'update-incident',
  summary: 'Fill in a breach\'s notices and status: Art. 33(3) points, notification times, Art. 34 communication or exemption. Audited.',
  description:
    'Notices merge field by field, so information can be given in phases (Art. 33(4)). A notice to the authority after the ' +
    '72 hours must carry the reasons for the delay (Art. 33(1)). The audit entry names the fields changed, never their text.',
  tags: ['audit', 'admin'],
  feature: 'audit',
  auth: 'admin',
  request: { params: incidentIdParams, body: incidentChangeBody },
  responses: {
    200: { description: 'The incident after the change.', schema: incidentView },
    404: problem('No incident with this id.'),
    409: problem('The incident changed meanwhile, or it is closed.'),
    422: problem('Text that looks like contact details, a late notice without reasons, or impossible times.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [INCIDENT_WRITE],
  purpose: 'accountability',
});
