import { authProblems, commonProblems, defineRoute, problem } from '../http/route-definition';
import { INCIDENT_CREATE } from './incident-data';
import { incidentView, newIncidentBody } from './incidents.schema';

export const createIncidentRoute = defineRoute({
  id: 'createIncident',
  method: 'POST',
  path: '/v1/admin/incidents',
  handler: 'create-incident',
  summary: 'Record a personal-data breach: awareness time, affected stores, time window, description and nature. Audited.',
  description:
    'Art. 33(5) documentation starts here; the 72 hours to the supervisory authority run from awareAt (Art. 33(1)). The ' +
    'record holds no personal data beyond pseudonyms: text shaped like an email address or a phone number is refused.',
  tags: ['audit', 'admin'],
  feature: 'audit',
  auth: 'admin',
  request: { body: newIncidentBody },
  responses: {
    201: { description: 'The incident, with its clock and checklists.', schema: incidentView },
    422: problem('Text that looks like contact details, or impossible times.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [INCIDENT_CREATE],
  purpose: 'accountability',
});
