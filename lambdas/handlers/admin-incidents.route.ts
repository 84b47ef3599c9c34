import { authProblems, commonProblems, defineRoute } from '../http/route-definition';
import { INCIDENT_READ } from './incident-data';
import { incidentList } from './incidents.schema';

export const adminIncidentsRoute = defineRoute({
  id: 'adminIncidents',
  method: 'GET',
  path: '/v1/admin/incidents',
  handler: 'admin-incidents',
  summary: 'List recorded breaches, newest awareness first, each with its 72-hour clock and checklists. Audited.',
  description:
    'The register of breaches the controller keeps (Art. 33(5)), with where each notice stands. One Query of a sparse index; ' +
    'a handful of incidents a year, so no paging.',
  tags: ['audit', 'admin'],
  feature: 'audit',
  auth: 'admin',
  responses: {
    200: { description: 'Every incident kept.', schema: incidentList },
    ...authProblems,
    ...commonProblems,
  },
  personalData: [INCIDENT_READ],
  purpose: 'accountability',
});
