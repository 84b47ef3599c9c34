/**
 * Wires rights requests to AWS for one route or worker: the requests table (through the request's audit trail), the
 * rights-request queue, and the settings (modes per type, re-verification window).
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import type { AuditTrail } from '../adapters/dynamo-audit';
import { DynamoRightsStore } from '../adapters/dynamo-rights';
import { DEFAULT_MODES, REQUEST_TYPES, type RequestModes, type RightsRequest } from '../domain/rights';
import type { RouteDefinition } from './route-definition';
import { dynamodb } from './clients';
import { intEnv, requireEnv } from './env';
import { traceClient } from './field-trace';
import { queueEnvVar } from './resources';
import { declaredStores } from './stores';

export const sqs = traceClient(new SQSClient({}), 'sqs');

const modesSchema = z.partialRecord(z.enum(REQUEST_TYPES), z.enum(['automatic', 'manual']));

/** RIGHTS_MODES, e.g. `{"erasure":"manual"}`; unnamed types keep their default (rectification is always manual). */
export function modesFromEnv(raw = process.env.RIGHTS_MODES): RequestModes {
  if (!raw) return DEFAULT_MODES;
  const parsed = modesSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error('RIGHTS_MODES must map request types to "automatic" or "manual"');
  return { ...DEFAULT_MODES, ...parsed.data, rectification: 'manual' };
}

export function rightsContext(owner: Pick<RouteDefinition, 'id' | 'personalData'>) {
  const table = declaredStores(owner).table('rightsRequests');
  const declaresQueue = owner.personalData.some((t) => t.store === 'rightsRequestQueue' && t.access.includes('write'));
  const queueUrl = declaresQueue ? requireEnv(queueEnvVar('rightsRequestQueue')) : undefined;
  const modes = modesFromEnv();
  const reverifyMinutes = intEnv('RIGHTS_REVERIFY_MINUTES', 15);
  return (audit: AuditTrail | undefined) => ({
    requests: new DynamoRightsStore(dynamodb, table, audit),
    modes,
    reverifyMinutes,
    now: () => new Date(),
    /** Queues the job: ids only, never personal values. */
    enqueue: async (request: Pick<RightsRequest, 'requestId' | 'type'>) => {
      if (!queueUrl) throw new Error(`${owner.id} enqueues without declaring the queue`);
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ kind: request.type, requestId: request.requestId }) }));
    },
  });
}

/** What a subject sees of a request: everything but internal keys. */
export function requestView(request: RightsRequest) {
  const { subjectId: _s, exportKeys, erasureSteps: _e, receiptTokenHash: _r, updatedAt: _u, createdAt: _c, pendingVerification: _p, ...rest } = request;
  return { ...rest, downloadable: request.status === 'completed' && exportKeys !== undefined };
}
