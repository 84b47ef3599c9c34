/**
 * Wires the rights feature to AWS, per route or job: the requests table (through the request's audit trail), the
 * rights-request queue, the exports bucket's download links, the accounts' retention state (legal holds), and the settings
 * (modes per type, re-verification window). Each is its own factory, so a handler's bundle holds only the adapters it uses.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import * as z from 'zod/mini';
import type { AuditTrail } from '../adapters/dynamo-audit';
import { DynamoRetentionStore } from '../adapters/dynamo-retention';
import { DynamoLegalHolds } from '../adapters/dynamo-legal-holds';
import { DynamoRightsStore } from '../adapters/dynamo-rights';
import type { RetentionStopDeps } from '../domain/retention-stop';
import { DEFAULT_MODES, REQUEST_TYPES, type EnqueueJob, type RequestModes, type RightsDeps } from '../domain/rights';
import type { RouteDefinition } from '../http/route-definition';
import { dynamodb } from '../runtime/clients';
import { intEnv, requireEnv } from '../runtime/env';
import { sqsClient } from '../runtime/sqs';
import { bucketEnvVar, queueEnvVar } from '../runtime/resources';
import { s3 } from '../runtime/s3';
import { declaredStores } from '../runtime/stores';

type Owner = Pick<RouteDefinition, 'id' | 'personalData'>;

export { sqsClient };

const modesSchema = z.partialRecord(z.enum(REQUEST_TYPES), z.enum(['automatic', 'manual']));

/** RIGHTS_MODES, e.g. `{"erasure":"manual"}`; unnamed types keep their default (rectification is always manual). */
export function modesFromEnv(raw = process.env.RIGHTS_MODES): RequestModes {
  if (!raw) return DEFAULT_MODES;
  const parsed = modesSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error('RIGHTS_MODES must map request types to "automatic" or "manual"');
  return { ...DEFAULT_MODES, ...parsed.data, rectification: 'manual' };
}

/** Sends a request's job (ids only) to the queue, for owners that declare writing it; others get a sender that throws. */
export function jobSender(owner: Owner): EnqueueJob {
  const declaresQueue = owner.personalData.some((t) => t.store === 'rightsRequestQueue' && t.access.includes('write'));
  const queueUrl = declaresQueue ? requireEnv(queueEnvVar('rightsRequestQueue')) : undefined;
  return async (request) => {
    if (!queueUrl) throw new Error(`${owner.id} enqueues without declaring the queue`);
    await sqsClient().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ kind: request.type, requestId: request.requestId }) }));
  };
}

/** Call at module scope: the rights deps of one route or job, per request (the store writes through its audit trail). */
export function rightsContext(owner: Owner): (audit: AuditTrail | undefined) => RightsDeps & { requests: DynamoRightsStore } {
  const stores = declaredStores(owner);
  const table = stores.table('rightsRequests');
  const enqueue = jobSender(owner);
  const modes = modesFromEnv();
  const reverifyMinutes = intEnv('RIGHTS_REVERIFY_MINUTES', 15);
  return (audit) => ({
    requests: new DynamoRightsStore(dynamodb, table, audit, () => stores.table('consent')),
    modes,
    reverifyMinutes,
    now: () => new Date(),
    enqueue,
  });
}

/** Reading and recording requests only, for routes that neither queue nor need the settings. */
export function rightsRequests(owner: Owner): (audit: AuditTrail | undefined) => DynamoRightsStore {
  const stores = declaredStores(owner);
  const table = stores.table('rightsRequests');
  // The consent table holds the outbox the subject's events go through: resolved on a write only, so readers declare none.
  return (audit) => new DynamoRightsStore(dynamodb, table, audit, () => stores.table('consent'));
}

/** Which accounts stand under a legal hold (the admin inbox's filter). */
export function legalHolds(owner: Owner): DynamoLegalHolds {
  return new DynamoLegalHolds(dynamodb, declaredStores(owner).table('users'));
}

/** The accounts' retention state (without the restriction: the routes that change holds do without it). */
export function retentionStates(owner: Owner): (audit: AuditTrail | undefined) => DynamoRetentionStore {
  const users = declaredStores(owner).table('users');
  return (audit) => new DynamoRetentionStore(dynamodb, { users }, audit);
}

/** Call at module scope: the deps of the routes that stop retention (placing a hold, the subject's restriction). */
export function retentionStopContext(owner: Owner): (audit: AuditTrail | undefined) => RetentionStopDeps {
  const retention = retentionStates(owner);
  const requests = rightsRequests(owner);
  return (audit) => ({ retention: retention(audit), requests: requests(audit), now: () => new Date() });
}

/** Short-lived download links to the exports bucket. */
export function exportLinks(): (key: string, expiresInSeconds: number) => Promise<string> {
  const bucket = requireEnv(bucketEnvVar('exports'));
  return (key, expiresIn) => getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
}
