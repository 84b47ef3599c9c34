import { authProblems, commonProblems, defineRoute, problem, touches } from '../http/route-definition';
import { INCIDENT_FIELDS } from './incident-data';
import { incidentCsvSchema, incidentExport, incidentExportQuery, incidentIdParams } from './incidents.schema';

export const exportIncidentRoute = defineRoute({
  id: 'exportIncident',
  method: 'GET',
  path: '/v1/admin/incidents/{incidentId}/export',
  handler: 'export-incident',
  summary: 'Export a breach record as JSON or CSV, with the scope\'s pseudonyms, for the supervisory authority. Audited.',
  description:
    'The Art. 33(5) documentation in one file: the record, its clock and checklists, and every audit pseudonym the scope ' +
    'found. The export is itself recorded on the trail.',
  tags: ['audit', 'admin'],
  feature: 'audit',
  auth: 'admin',
  request: { params: incidentIdParams, query: incidentExportQuery },
  responses: {
    200: { description: 'The record.', schema: incidentExport, alternative: { contentType: 'text/csv', schema: incidentCsvSchema } },
    404: problem('No incident with this id.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('incidents', ['read'], [...INCIDENT_FIELDS, 'pseudonyms'])],
  purpose: 'accountability',
});
