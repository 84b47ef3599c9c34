/**
 * Wires the incident routes to AWS: the incidents table (through the request's audit trail) and the scope job sent on the
 * rights-request queue (ids only). The worker's side is `incident-scope.ts`, so no route bundles the scope computation.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { AuditTrail } from '../adapters/dynamo-audit';
import { DynamoIncidents } from '../adapters/dynamo-incidents';
import type { IncidentDeps } from '../domain/incidents';
import type { RouteDefinition } from '../http/route-definition';
import { dynamodb } from '../runtime/clients';
import { requireEnv } from '../runtime/env';
import { queueEnvVar } from '../runtime/resources';
import { sqsClient } from '../runtime/sqs';
import { declaredStores } from '../runtime/stores';

type Owner = Pick<RouteDefinition, 'id' | 'personalData'>;

/** Call at module scope: the incident deps of one route, per request. */
export function incidentContext(owner: Owner): (audit: AuditTrail | undefined) => IncidentDeps {
  const table = declaredStores(owner).table('incidents');
  const declaresQueue = owner.personalData.some((t) => t.store === 'rightsRequestQueue' && t.access.includes('write'));
  const queueUrl = declaresQueue ? requireEnv(queueEnvVar('rightsRequestQueue')) : undefined;
  return (audit) => ({
    incidents: new DynamoIncidents(dynamodb, table, audit),
    now: () => new Date(),
    newId: randomUUID,
    enqueueScope: async ({ incidentId, jobId }) => {
      if (!queueUrl) throw new Error(`${owner.id} enqueues without declaring the queue`);
      await sqsClient().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ kind: 'breach-scope', incidentId, jobId }) }));
    },
  });
}
