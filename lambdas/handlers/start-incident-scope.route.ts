import { authProblems, commonProblems, defineRoute, problem, touches } from '../http/route-definition';
import { INCIDENT_WRITE } from './incident-data';
import { incidentIdParams, incidentView } from './incidents.schema';

export const startIncidentScopeRoute = defineRoute({
  id: 'startIncidentScope',
  method: 'POST',
  path: '/v1/admin/incidents/{incidentId}/scope',
  handler: 'start-incident-scope',
  summary: 'Compute the breach\'s scope in the background (categories, subjects by pseudonym, accesses in the window); poll the incident. Audited.',
  description:
    'The scope of each affected store is the one `fmn breach-scope` computes (Art. 33(3)(a)). It scans a store, so it runs ' +
    'as a job of the rights-request worker (DLQ after five tries) and is stored with the incident; starting again ' +
    'supersedes a run still queued.',
  tags: ['audit', 'admin'],
  feature: 'audit',
  auth: 'admin',
  request: { params: incidentIdParams },
  responses: {
    202: { description: 'Queued: the incident with scope.status queued; poll GET /v1/admin/incidents/{incidentId}.', schema: incidentView },
    404: problem('No incident with this id.'),
    409: problem('The incident changed meanwhile, or it is closed.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [INCIDENT_WRITE, touches('rightsRequestQueue', ['write'], ['kind', 'incidentId', 'jobId'])],
  purpose: 'accountability',
});
