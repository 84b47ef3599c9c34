import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ExportNotReadyError, RequestNotFoundError } from '../domain/rights';
import { downloadRoute } from './download-export.route';
import { requireEnv } from '../shared/env';
import { httpRoute } from '../shared/http';
import { bucketEnvVar } from '../shared/resources';
import { rightsContext } from '../shared/rights-context';
import { s3 } from '../shared/s3';

const rights = rightsContext(downloadRoute);
const bucket = requireEnv(bucketEnvVar('exports'));
/** Long enough to start a download, short enough that a leaked link is soon useless. */
const LINK_SECONDS = 300;

export const handler = httpRoute(downloadRoute, async ({ principal, params, query, audit }) => {
  const request = await rights(audit).requests.get(params.requestId);
  if (!request || request.subjectId !== principal.subjectId) throw new RequestNotFoundError();
  if (request.status !== 'completed' || !request.exportKeys) throw new ExportNotReadyError();
  const format = query.format ?? 'json';
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: request.exportKeys[format] }), { expiresIn: LINK_SECONDS });
  audit?.noteRead(principal.subjectId, ['exports.subjectExport']);
  return { body: { url, format, expiresAt: new Date(Date.now() + LINK_SECONDS * 1000).toISOString() } };
});
