import { changeIncident, incidentView } from '../domain/incidents';
import { updateIncidentRoute } from './update-incident.route';
import { httpRoute } from '../http/http';
import { incidentContext } from '../wiring/incidents';

const deps = incidentContext(updateIncidentRoute);

/** Change a breach record (domain/incidents.ts `changeIncident`): conditional on the version read, audited. */
export const handler = httpRoute(updateIncidentRoute, async ({ params, body, audit }) => ({
  body: incidentView(await changeIncident(deps(audit), params.incidentId, body), new Date()),
}));
