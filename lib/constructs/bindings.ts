/**
 * Bind helpers: each one sets the environment variable a handler reads (names from `lambdas/runtime/resources.ts`) and
 * grants exactly the access that goes with it, in one call, so a function can never have a name without the permission
 * or a permission without a declared reason. `bindDeclarations` applies a route's or worker's `personalData` and
 * `crypto` declarations from the route table.
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { StoreId } from '../../lambdas/inventory';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { CryptoUse, RouteSetting, DataAccess, DataTouch, OperationsAccess } from '../../lambdas/http/route-definition';
import { RECIPIENT_IDS } from '../../lambdas/recipients';
import {
  BUCKET_IDS,
  TABLE_IDS,
  ALARM_TOPIC_ENV,
  bucketEnvVar,
  keyEnvVar,
  recipientDlqId,
  recipientQueueEnvVar,
  recipientQueueId,
  queueEnvVar,
  tableEnvVar,
  topicEnvVar,
  type BucketId,
  type KeyId,
  type QueueId,
  type TableId,
} from '../../lambdas/runtime/resources';
import type { StatefulResources } from '../stateful-stack';
import type { BackendFunction } from './backend-function';
import { acknowledgeWildcardActions, acknowledgeWildcardResource } from './nag';

const KMS_WRITE_WILDCARDS = ['kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * Table access: `read` → grantReadData; `write` or `delete` → grantWriteData; reads and writes → grantReadWriteData.
 * Sets `<ID>_TABLE_NAME`.
 */
export function bindTable(fn: BackendFunction, id: TableId, table: dynamodb.ITable, access: readonly DataAccess[]): void {
  const reads = access.includes('read');
  const writes = access.includes('write') || access.includes('delete');
  if (!reads && !writes) throw new Error(`${fn.node.path}: no access declared for table ${id}`);
  fn.addEnvironment(tableEnvVar(id), table.tableName);
  if (reads && writes) table.grantReadWriteData(fn.role);
  else if (reads) table.grantReadData(fn.role);
  else table.grantWriteData(fn.role);

  const why = `CDK grant for the declared ${[...new Set(access)].join('/')} access to the ${id} table`;
  // CDK's table grants add `<table arn>/index/*` when the table has secondary indexes (acknowledging it otherwise is a no-op).
  acknowledgeWildcardResource(fn, `${table.tableArn}/index/*`, `${why}: queries on its secondary indexes.`);
  if (writes && table.encryptionKey) {
    acknowledgeWildcardActions(fn, KMS_WRITE_WILDCARDS, `${why}: DynamoDB encrypting with the table's customer-managed key.`);
  }
}

/** Bucket access: `read` → grantRead, `write` → grantPut, `delete` → grantDelete. Sets `<ID>_BUCKET_NAME`. */
export function bindBucket(fn: BackendFunction, id: BucketId, bucket: s3.IBucket, access: readonly DataAccess[]): void {
  if (access.length === 0) throw new Error(`${fn.node.path}: no access declared for bucket ${id}`);
  fn.addEnvironment(bucketEnvVar(id), bucket.bucketName);
  const why = `CDK grant for the declared ${[...new Set(access)].join('/')} access to objects in the ${id} bucket`;
  if (access.includes('read')) {
    bucket.grantRead(fn.role);
    acknowledgeWildcardActions(fn, ['s3:GetObject*', 's3:GetBucket*', 's3:List*'], `${why}.`);
  }
  if (access.includes('write')) {
    bucket.grantPut(fn.role);
    acknowledgeWildcardActions(fn, ['s3:Abort*'], `${why}.`);
    if (bucket.encryptionKey) acknowledgeWildcardActions(fn, KMS_WRITE_WILDCARDS, `${why}: SSE-KMS with the bucket's key.`);
  }
  if (access.includes('delete')) {
    bucket.grantDelete(fn.role);
    acknowledgeWildcardActions(fn, ['s3:DeleteObject*'], `${why}.`);
  }
  acknowledgeWildcardResource(fn, bucket.arnForObjects('*'), `${why}: object keys are per request.`);
}

/** Queue access: `write` → grantSendMessages, `read`/`delete` → grantConsumeMessages. Sets `<ID>_QUEUE_URL`. */
export function bindQueue(fn: BackendFunction, id: QueueId, queue: sqs.IQueue, access: readonly DataAccess[]): void {
  if (access.length === 0) throw new Error(`${fn.node.path}: no access declared for queue ${id}`);
  fn.addEnvironment(queueEnvVar(id), queue.queueUrl);
  if (access.includes('write')) {
    queue.grantSendMessages(fn.role);
    if (queue.encryptionMasterKey) {
      acknowledgeWildcardActions(fn, KMS_WRITE_WILDCARDS, `CDK grant to send to the ${id} queue: SQS encrypting with its key.`);
    }
  }
  if (access.includes('read') || access.includes('delete')) queue.grantConsumeMessages(fn.role);
}

/**
 * Publishing recipient events: `sns:Publish` on the recipient-events topic and, through CDK's grant, the two KMS actions
 * SNS needs on the topic's key (GenerateDataKey*, Decrypt); nothing on the recipient queues. Sets
 * `RECIPIENT_EVENTS_TOPIC_ARN`, which `snsRecipientEventPublisher` is built with.
 */
export function bindRecipientEvents(fn: BackendFunction, resources: Pick<StatefulResources, 'recipientEvents'>): void {
  fn.addEnvironment(topicEnvVar('recipientEvents'), resources.recipientEvents.topicArn);
  resources.recipientEvents.grantPublish(fn.role);
  acknowledgeWildcardActions(fn, ['kms:GenerateDataKey*'], 'CDK grant to publish to the recipient-events topic: SNS encrypting with its key.');
}

/** The recipient queues are written only through the topic: publishing is the one access a declaration may name. */
function bindRecipientEventsFor(fn: BackendFunction, declaration: Declaration, access: readonly DataAccess[], resources: StatefulResources): void {
  // A redrive moves recipients' messages between their queues (bindOperations grants that), it never publishes.
  if (declaration.operations?.includes('redrive')) return;
  if (access.some((a) => a !== 'write')) throw new Error(`${declaration.id}: recipientEvents can only be written (published to)`);
  bindRecipientEvents(fn, resources);
}

/**
 * Publishing the subject's events (a rights request's changes): `sns:Publish` on the subject-events topic and SNS's two
 * KMS actions on its key. Sets `SUBJECT_EVENTS_TOPIC_ARN`. A declaration may only write (publish to) it.
 */
function bindSubjectEvents(fn: BackendFunction, declaration: Declaration, access: readonly DataAccess[], resources: StatefulResources): void {
  if (access.some((a) => a !== 'write')) throw new Error(`${declaration.id}: subjectEvents can only be written (published to)`);
  fn.addEnvironment(topicEnvVar('subjectEvents'), resources.subjectEvents.topicArn);
  resources.subjectEvents.grantPublish(fn.role);
  acknowledgeWildcardActions(fn, ['kms:GenerateDataKey*'], 'CDK grant to publish to the subject-events topic: SNS encrypting with its key.');
}

/** What a function does with a KMS key; each use is one KMS action, never a wildcard. */
export type KeyUse = 'decrypt' | 'generate-data-key' | 'generate-mac' | 'verify-mac';

const KEY_ACTIONS: Record<KeyUse, string> = {
  decrypt: 'kms:Decrypt',
  'generate-data-key': 'kms:GenerateDataKey',
  'generate-mac': 'kms:GenerateMac',
  'verify-mac': 'kms:VerifyMac',
};

/** Grants the listed key uses and sets `<ID>_KEY_ID` to the key ARN (KMS accepts an ARN wherever it takes a key id). */
export function bindKey(fn: BackendFunction, id: KeyId, key: kms.IKey, uses: readonly KeyUse[]): void {
  if (uses.length === 0) throw new Error(`${fn.node.path}: no use declared for key ${id}`);
  fn.addEnvironment(keyEnvVar(id), key.keyArn);
  key.grant(fn.role, ...[...new Set(uses)].map((use) => KEY_ACTIONS[use]));
}

/** A route, worker or the authorizer as the route table declares it. */
export interface Declaration {
  readonly id: string;
  readonly personalData: readonly DataTouch[];
  readonly crypto?: readonly CryptoUse[];
  readonly settings?: readonly RouteSetting[];
  readonly operations?: readonly OperationsAccess[];
}

/** The access each store is declared with, merged over all touches of that store. */
export function declaredAccess(declaration: Declaration): Map<StoreId, DataAccess[]> {
  const byStore = new Map<StoreId, Set<DataAccess>>();
  for (const touch of declaration.personalData) {
    const access = byStore.get(touch.store) ?? new Set<DataAccess>();
    for (const a of touch.access) access.add(a);
    byStore.set(touch.store, access);
  }
  return new Map([...byStore].map(([store, access]) => [store, [...access]]));
}

/**
 * KMS uses implied by a declaration's `crypto` list:
 * - `subjectKeys`: per-subject data keys under the data key: reading `subjectKeys` unwraps (Decrypt), writing it creates
 *   one (GenerateDataKey). Declaring it without reading or writing `subjectKeys` is a declaration error.
 * - `pseudonyms`: blind indexes and pseudonyms are HMACs under the pseudonym key (GenerateMac).
 */
export function declaredKeyUses(declaration: Declaration): Map<KeyId, KeyUse[]> {
  const uses = new Map<KeyId, KeyUse[]>();
  const crypto = new Set(declaration.crypto ?? []);
  if (crypto.has('subjectKeys')) {
    const access = declaredAccess(declaration).get('subjectKeys') ?? [];
    const keyUses: KeyUse[] = [];
    if (access.includes('read')) keyUses.push('decrypt');
    if (access.includes('write')) keyUses.push('generate-data-key');
    if (keyUses.length === 0) {
      throw new Error(`${declaration.id} declares crypto 'subjectKeys' but neither reads nor writes the subjectKeys table`);
    }
    uses.set('dataKey', keyUses);
  }
  if (crypto.has('pseudonyms')) uses.set('pseudonymKey', ['generate-mac']);
  return uses;
}

/** Binds a function to exactly the stores and keys its declaration names, and nothing else. */
export function bindDeclarations(fn: BackendFunction, declaration: Declaration, resources: StatefulResources): void {
  for (const [store, access] of declaredAccess(declaration)) {
    if (isTableId(store)) bindTable(fn, store, resources.tables[store], access);
    else if (isBucketId(store)) bindBucket(fn, store, resources.exportsBucket, access);
    // A redrive reads and deletes in the DLQ and sends to the queue, no more: bindOperations grants exactly that.
    else if (store === 'rightsRequestQueue' && declaration.operations?.includes('redrive')) continue;
    else if (store === 'rightsRequestQueue') bindQueue(fn, store, resources.rightsRequestQueue, access);
    else if (store === 'recipientEvents') bindRecipientEventsFor(fn, declaration, access, resources);
    else if (store === 'subjectEvents') bindSubjectEvents(fn, declaration, access, resources);
    else throw new Error(`${declaration.id}: no binding for store ${String(store)}`);
  }
  for (const [keyId, uses] of declaredKeyUses(declaration)) bindKey(fn, keyId, resources.keys[keyId], uses);
  if (declaration.operations?.length) bindOperations(fn, declaration.operations, resources);
}

/**
 * The operations view's access (`RouteDefinition.operations`), each with its env vars:
 * - `queueCounters`: sqs:GetQueueAttributes on every queue and DLQ (the rights requests', each recipient's), nothing on
 *   their messages; sets each one's `<ID>_QUEUE_URL`;
 * - `redrive`: consume from every DLQ, send to its source queue (CDK grants, with the queue key's uses);
 * - `alarms`: cloudwatch:DescribeAlarms (alarms have no grant method; DescribeAlarms takes no narrower resource than the
 *   account's alarms), and `ALARM_TOPIC_ARN`, the action every alarm of the stage notifies, by which the handler finds them.
 */
export function bindOperations(fn: BackendFunction, access: readonly OperationsAccess[], resources: StatefulResources): void {
  const pairs = [
    { queue: resources.rightsRequestQueue, queueEnv: queueEnvVar('rightsRequestQueue'), dlq: resources.rightsRequestDlq, dlqEnv: queueEnvVar('rightsRequestDlq') },
    ...RECIPIENT_IDS.map((id) => ({
      queue: resources.recipientQueues[id].queue,
      queueEnv: recipientQueueEnvVar(recipientQueueId(id)),
      dlq: resources.recipientQueues[id].dlq,
      dlqEnv: recipientQueueEnvVar(recipientDlqId(id)),
    })),
  ];
  for (const pair of pairs) {
    fn.addEnvironment(pair.queueEnv, pair.queue.queueUrl);
    fn.addEnvironment(pair.dlqEnv, pair.dlq.queueUrl);
    if (access.includes('queueCounters') || access.includes('redrive')) {
      pair.queue.grant(fn.role, 'sqs:GetQueueAttributes');
      pair.dlq.grant(fn.role, 'sqs:GetQueueAttributes');
    }
    if (access.includes('redrive')) {
      pair.dlq.grantConsumeMessages(fn.role);
      pair.dlq.grant(fn.role, 'sqs:ChangeMessageVisibility');
      pair.queue.grantSendMessages(fn.role);
      if (pair.queue.encryptionMasterKey) {
        acknowledgeWildcardActions(fn, KMS_WRITE_WILDCARDS, 'CDK grant to send redriven messages back to their queue: SQS encrypting with its key.');
      }
    }
  }
  if (access.includes('alarms')) {
    fn.addEnvironment(ALARM_TOPIC_ENV, resources.alarmTopic.topicArn);
    const stack = Stack.of(fn);
    const alarms = stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: [alarms] }));
    acknowledgeWildcardResource(fn, alarms, 'cloudwatch:DescribeAlarms lists alarms by name; the handler filters on the stage\'s alarm topic (read-only).');
  }
}

function isTableId(store: string): store is TableId {
  return (TABLE_IDS as readonly string[]).includes(store);
}

function isBucketId(store: string): store is BucketId {
  return (BUCKET_IDS as readonly string[]).includes(store);
}
