import { getIncident, incidentView } from '../domain/incidents';
import { adminIncidentRoute } from './admin-incident.route';
import { httpRoute } from '../http/http';
import { incidentContext } from '../wiring/incidents';

const deps = incidentContext(adminIncidentRoute);

/** One incident with its clock and checklists; the read is audited. */
export const handler = httpRoute(adminIncidentRoute, async ({ params, audit }) => {
  const incident = await getIncident(deps(audit), params.incidentId);
  audit?.noteReadOf({}, ['incidents.incidentId', 'incidents.scope']);
  return { body: incidentView(incident, new Date()) };
});
