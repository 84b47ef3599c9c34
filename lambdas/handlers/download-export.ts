import { ExportNotReadyError, RequestNotFoundError } from '../domain/rights';
import { downloadRoute } from './download-export.route';
import { httpRoute } from '../http/http';
import { exportLinks, rightsRequests } from '../wiring/rights';

const requests = rightsRequests(downloadRoute);
const linkTo = exportLinks();
/** Long enough to start a download, short enough that a leaked link is soon useless. */
const LINK_SECONDS = 300;

export const handler = httpRoute(downloadRoute, async ({ principal, params, query, audit }) => {
  const request = await requests(audit).get(params.requestId);
  if (!request || request.subjectId !== principal.subjectId) throw new RequestNotFoundError();
  if (request.status !== 'completed' || !request.exportKeys) throw new ExportNotReadyError();
  const format = query.format ?? 'json';
  const url = await linkTo(request.exportKeys[format], LINK_SECONDS);
  audit?.noteRead(principal.subjectId, ['exports.subjectExport']);
  return { body: { url, format, expiresAt: new Date(Date.now() + LINK_SECONDS * 1000).toISOString() } };
});
