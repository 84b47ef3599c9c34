import { authProblems, commonProblems, defineRoute, problem } from '../http/route-definition';
import { INCIDENT_READ } from './incident-data';
import { incidentIdParams, incidentView } from './incidents.schema';

export const adminIncidentRoute = defineRoute({
  id: 'adminIncident',
  method: 'GET',
  path: '/v1/admin/incidents/{incidentId}',
  handler: 'admin-incident',
  summary: 'One breach: the record, its 72-hour clock, the scope (categories, subject count, accesses by origin) and checklists. Audited.',
  description:
    'What the Art. 33(3) notice and the Art. 34 communication need, and which points are still missing. The scope\'s ' +
    'pseudonyms are in the export only.',
  tags: ['audit', 'admin'],
  feature: 'audit',
  auth: 'admin',
  request: { params: incidentIdParams },
  responses: {
    200: { description: 'The incident.', schema: incidentView },
    404: problem('No incident with this id.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [INCIDENT_READ],
  purpose: 'accountability',
});
