import { incidentView } from '../domain/incidents';
import { adminIncidentsRoute } from './admin-incidents.route';
import { httpRoute } from '../http/http';
import { incidentContext } from '../wiring/incidents';

const deps = incidentContext(adminIncidentsRoute);

/** Every incident with its clock and checklists; the read is audited (on the system chain: it is about no one subject). */
export const handler = httpRoute(adminIncidentsRoute, async ({ audit }) => {
  const incidents = await deps(audit).incidents.list();
  audit?.noteReadOf({}, ['incidents.incidentId', 'incidents.scope']);
  const now = new Date();
  return { body: { incidents: incidents.map((i) => incidentView(i, now)) } };
});
