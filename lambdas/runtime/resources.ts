/**
 * The backend's named resources and the environment variables that carry their physical names.
 *
 * The CDK bind helpers set these variables (paired with a grant) and the local cloud sets the same ones to the names it
 * provisioned, so handlers never know where they run. The ids also tag each resource in the synthesized template
 * (`fmn:resource`), which is how the local cloud finds the definitions it provisions from.
 */
import type { RecipientId } from '../recipients';

export const TABLE_IDS = [
  'users',
  'subjectKeys',
  'identities',
  'sessions',
  'loginThrottle',
  'consent',
  'analyticsEvents',
  'rightsRequests',
  'audit',
  'jobRuns',
  'incidents',
] as const;
export const BUCKET_IDS = ['exports'] as const;
export const QUEUE_IDS = ['rightsRequestQueue', 'rightsRequestDlq'] as const;
export const KEY_IDS = ['dataKey', 'queueKey', 'logsKey', 'trailKey', 'pseudonymKey', 'recipientEventsKey', 'subjectEventsKey'] as const;
/**
 * The topics: rights and consent events for the recipients, one message per recipient (`lambdas/domain/recipient-events.ts`);
 * a rights request's changes for the subject, which the app's mailer subscribes to (`lambdas/domain/subject-events.ts`).
 */
export const TOPIC_IDS = ['recipientEvents', 'subjectEvents'] as const;

/**
 * Receives before a recipient's message goes to its DLQ, as for the rights-request queue. One number for the queues'
 * redrive policy (lib/stateful-stack.ts) and the webhook dispatcher, which gives up its backoff on the last try.
 */
export const RECIPIENT_MAX_RECEIVES = 5;

export type TableId = (typeof TABLE_IDS)[number];
export type BucketId = (typeof BUCKET_IDS)[number];
export type QueueId = (typeof QUEUE_IDS)[number];
export type KeyId = (typeof KEY_IDS)[number];
export type TopicId = (typeof TOPIC_IDS)[number];
/** Each recipient's queue and its DLQ, one pair per declaration in `lambdas/recipients.ts`. */
export type RecipientQueueId = `recipient-${RecipientId}` | `recipient-${RecipientId}-dlq`;
export type ResourceId = TableId | BucketId | QueueId | KeyId | TopicId | RecipientQueueId;

export const recipientQueueId = (id: RecipientId): RecipientQueueId => `recipient-${id}`;
export const recipientDlqId = (id: RecipientId): RecipientQueueId => `recipient-${id}-dlq`;

/**
 * The stage's alarm topic, which every alarm notifies: the operations view finds the stage's alarms by it. Set only on AWS
 * (the local cloud has no CloudWatch), so a function reading it treats its absence as "no alarms to see", not an error.
 */
export const ALARM_TOPIC_ENV = 'ALARM_TOPIC_ARN';

/** Tag key put on every stateful resource so tooling can map template resources back to ids. */
export const RESOURCE_TAG = 'fmn:resource';

const SUFFIX: Record<'table' | 'bucket' | 'queue' | 'key' | 'topic', string> = {
  table: 'TABLE_NAME',
  bucket: 'BUCKET_NAME',
  queue: 'QUEUE_URL',
  key: 'KEY_ID',
  topic: 'TOPIC_ARN',
};

function snake(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase();
}

/**
 * `users` → `USERS_TABLE_NAME`, `rightsRequestQueue` → `RIGHTS_REQUEST_QUEUE_URL` (the kind is not repeated),
 * `recipient-app-service-dlq` → `RECIPIENT_APP_SERVICE_DLQ_QUEUE_URL`.
 */
export function envVarFor(kind: keyof typeof SUFFIX, id: ResourceId): string {
  const base = snake(id).replace(/_(QUEUE|DLQ|KEY|BUCKET|TABLE)$/, (m) => (m === '_DLQ' ? '_DLQ' : ''));
  return `${base}_${SUFFIX[kind]}`;
}

export const tableEnvVar = (id: TableId): string => envVarFor('table', id);
export const bucketEnvVar = (id: BucketId): string => envVarFor('bucket', id);
export const queueEnvVar = (id: QueueId): string => envVarFor('queue', id);
export const keyEnvVar = (id: KeyId): string => envVarFor('key', id);
export const topicEnvVar = (id: TopicId): string => envVarFor('topic', id);
export const recipientQueueEnvVar = (id: RecipientQueueId): string => envVarFor('queue', id);
