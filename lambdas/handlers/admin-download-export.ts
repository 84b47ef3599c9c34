import { ExportNotReadyError, RequestNotFoundError } from '../domain/rights';
import { adminDownloadRoute } from './admin-download-export.route';
import { httpRoute } from '../http/http';
import { exportLinks, rightsRequests } from '../wiring/rights';

const requests = rightsRequests(adminDownloadRoute);
const linkTo = exportLinks();
/** As for the subject's own link: long enough to start a download, short enough that a leaked link is soon useless. */
const LINK_SECONDS = 300;

export const handler = httpRoute(adminDownloadRoute, async ({ params, query, audit }) => {
  const request = await requests(audit).get(params.requestId);
  if (!request) throw new RequestNotFoundError();
  if (request.status !== 'completed' || !request.exportKeys) throw new ExportNotReadyError();
  const format = query.format ?? 'json';
  const url = await linkTo(request.exportKeys[format], LINK_SECONDS);
  // The admin handed themselves the subject's export: an entry on the subject's chain, naming the export, never its content.
  audit?.noteRead(request.subjectId, ['exports.subjectExport']);
  return { body: { url, format, expiresAt: new Date(Date.now() + LINK_SECONDS * 1000).toISOString() } };
});
