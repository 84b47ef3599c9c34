/**
 * Wires the ack route (`domain/recipient-acks.ts`): the requests table through the request's audit trail, the recipients'
 * secrets derived with the KMS HMAC key (as the webhook dispatcher and `fmn recipients secret` derive them), and the
 * exports bucket for the recipients' export parts (a HEAD to find one, a presigned PUT to upload one).
 */
import { HeadObjectCommand, NotFound, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AuditTrail } from '../adapters/dynamo-audit';
import { DynamoRightsStore } from '../adapters/dynamo-rights';
import type { AckDeps } from '../domain/recipient-acks';
import { secretVersionsInForce } from '../domain/webhooks';
import type { RouteDefinition } from '../http/route-definition';
import { dynamodb } from '../runtime/clients';
import { requireEnv } from '../runtime/env';
import { bucketEnvVar } from '../runtime/resources';
import { s3 } from '../runtime/s3';
import { declaredStores } from '../runtime/stores';
import { pseudonymHmac } from './audit';
import { awaitedRecipients } from './awaited-recipients';
import { webhookSecret } from './webhooks';

/** Long enough to upload a part of any sensible size; the ack is sent again afterwards, with a fresh signature. */
const UPLOAD_SECONDS = 15 * 60;

/** Call at module scope: the ack deps, per request (the store writes through its audit trail). */
export function ackContext(route: Pick<RouteDefinition, 'id' | 'personalData'>): (audit: AuditTrail | undefined) => AckDeps {
  const stores = declaredStores(route);
  const table = stores.table('rightsRequests');
  const bucket = requireEnv(bucketEnvVar('exports'));
  const pseudonyms = pseudonymHmac();
  const awaits = awaitedRecipients();
  return (audit) => ({
    // The consent table holds the outbox that tells the subject when the last ack completes the request.
    requests: new DynamoRightsStore(dynamodb, table, audit, () => stores.table('consent')),
    secretsOf: (recipient, at) => Promise.all(secretVersionsInForce(recipient, at).map((version) => webhookSecret(pseudonyms, recipient, version))),
    partExists: async (key) => {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (error) {
        if (error instanceof NotFound || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
        throw error;
      }
    },
    uploadFor: async (key) => ({
      url: await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: UPLOAD_SECONDS }),
      headers: {},
      expiresAt: new Date(Date.now() + UPLOAD_SECONDS * 1000).toISOString(),
    }),
    auditRefused: async (note) => {
      if (!audit) throw new Error('a refused ack without an audit trail');
      await audit.transact([], note);
    },
    awaits,
    now: () => new Date(),
  });
}
