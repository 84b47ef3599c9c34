import { incidentView, startScope } from '../domain/incidents';
import { startIncidentScopeRoute } from './start-incident-scope.route';
import { httpRoute } from '../http/http';
import { incidentContext } from '../wiring/incidents';

const deps = incidentContext(startIncidentScopeRoute);

/** Queue the scope job (domain/incidents.ts `startScope`) and answer 202; the console polls the incident. */
export const handler = httpRoute(startIncidentScopeRoute, async ({ params, audit }) => ({
  status: 202,
  body: incidentView(await startScope(deps(audit), params.incidentId), new Date()),
}));
