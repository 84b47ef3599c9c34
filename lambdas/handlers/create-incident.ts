import { incidentView, recordIncident } from '../domain/incidents';
import { createIncidentRoute } from './create-incident.route';
import { httpRoute } from '../http/http';
import { incidentContext } from '../wiring/incidents';

const deps = incidentContext(createIncidentRoute);

/** Record a breach (domain/incidents.ts `recordIncident`): the record and its audit entry in one transaction. */
export const handler = httpRoute(createIncidentRoute, async ({ body, audit }) => {
  const incident = await recordIncident(deps(audit), body);
  return { status: 201, body: incidentView(incident, new Date()) };
});
