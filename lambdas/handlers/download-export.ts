import { ExportNotReadyError, RequestNotFoundError } from '../domain/rights';
import { downloadRoute } from './download-export.route';
import { httpRoute } from '../http/http';
import { exportLinks, rightsRequests } from '../wiring/rights';
import { RECIPIENT_IDS, recipientOf } from '../recipients';

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
  // The recipients' parts (Art. 20 covers what they hold for us too): one link each, beside this backend's file.
  const parts = await Promise.all(
    RECIPIENT_IDS.flatMap((id) => {
      const key = request.recipients?.[id]?.partKey;
      return key ? [linkTo(key, LINK_SECONDS).then((partUrl) => ({ recipient: id, name: recipientOf(id).name, url: partUrl }))] : [];
    }),
  );
  audit?.noteRead(principal.subjectId, ['exports.subjectExport']);
  return {
    body: { url, format, expiresAt: new Date(Date.now() + LINK_SECONDS * 1000).toISOString(), ...(parts.length > 0 ? { parts } : {}) },
  };
});
