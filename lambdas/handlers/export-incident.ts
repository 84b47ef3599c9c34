import { exportIncident, incidentCsv } from '../domain/incidents';
import { exportIncidentRoute } from './export-incident.route';
import { httpRoute, type HttpAnswer } from '../http/http';
import { incidentContext } from '../wiring/incidents';

const deps = incidentContext(exportIncidentRoute);

/** The record with its pseudonyms as a download, JSON or CSV; the export is audited (domain/incidents.ts `exportIncident`). */
export const handler = httpRoute(exportIncidentRoute, async ({ params, query, audit }): Promise<HttpAnswer> => {
  const { view, pseudonyms, exportedAt } = await exportIncident(deps(audit), params.incidentId);
  const name = `incident-${view.incidentId}`;
  if (query.format === 'csv') {
    return {
      text: incidentCsv(view, pseudonyms),
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` },
    };
  }
  return { body: { exportedAt, incident: view, pseudonyms }, headers: { 'content-disposition': `attachment; filename="${name}.json"` } };
});
