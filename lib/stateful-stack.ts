/**
 * The stateful half of the backend: KMS keys, DynamoDB tables, the exports bucket, the rights-request queue and its DLQ,
 * the scheduled jobs' DLQ, the alarm topic, the recipient-events topic with a queue and DLQ per recipient, and the CloudTrail trail that records who touched the personal-data tables. Nothing here is rebuilt on a code change;
 * the stateless API stack receives these resources as typed props.
 *
 * The local cloud synthesizes this stack in-process (`synthStatefulTemplate`) and creates the same tables, queues, buckets
 * and keys from the template, finding them by their `fmn:resource` tag.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aws, CfnOutput, Duration, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { inventory } from '../lambdas/inventory';
import {
  DLQ_RETENTION_DAYS,
  EXPORT_EXPIRY_DAYS,
  EXPORT_NONCURRENT_EXPIRY_DAYS,
  QUEUE_RETENTION_DAYS,
  TRAIL_NONCURRENT_EXPIRY_DAYS,
} from '../lambdas/retention-periods';
import { filterPolicyFor } from '../lambdas/domain/recipient-events';
import { RECIPIENT_IDS, type RecipientId } from '../lambdas/recipients';
import { workers as declaredWorkers, type WorkerDefinition } from '../lambdas/routes';
import {
  RESOURCE_TAG,
  TABLE_IDS,
  bucketEnvVar,
  keyEnvVar,
  queueEnvVar,
  RECIPIENT_MAX_RECEIVES,
  recipientDlqId,
  recipientQueueEnvVar,
  recipientQueueId,
  tableEnvVar,
  topicEnvVar,
  type KeyId,
  type ResourceId,
  type TableId,
} from '../lambdas/runtime/resources';
import { INDEX_SHARDS_ENV } from '../lambdas/runtime/index-shards';
import { stageConfig, type Stage, type StageConfig } from './config';
import { newInProcessApp } from './in-process-app';
import { acknowledgeCompliance } from './constructs/nag';
import { SecureBucket } from './constructs/secure-bucket';
import { pinExports } from './stateful-exports';

/** The resources the stateless stack may bind functions to. Typed handles, never name strings. */
export interface StatefulResources {
  readonly tables: Readonly<Record<TableId, dynamodb.ITable>>;
  readonly exportsBucket: s3.IBucket;
  readonly rightsRequestQueue: sqs.IQueue;
  readonly rightsRequestDlq: sqs.IQueue;
  /** Where Lambda puts a scheduled job's event after its asynchronous invocation failed three times. */
  readonly scheduledJobsDlq: sqs.IQueue;
  /** Every alarm of the stage notifies this topic (`NotifyingAlarm`). */
  readonly alarmTopic: sns.ITopic;
  /** Rights and consent events for recipients; each recipient's queue is subscribed with its filter policy. */
  readonly recipientEvents: sns.ITopic;
  /** A rights request's changes for the subject, published by the outbox drain; the app subscribes its mailer. */
  readonly subjectEvents: sns.ITopic;
  /** Per recipient (`lambdas/recipients.ts`): its queue and the DLQ that takes what it (or SNS) could not handle. */
  readonly recipientQueues: Readonly<Record<RecipientId, { readonly queue: sqs.IQueue; readonly dlq: sqs.IQueue }>>;
  readonly keys: Readonly<Record<KeyId, kms.IKey>>;
}

interface IndexShape {
  readonly indexName: string;
  readonly partitionKey: dynamodb.Attribute;
  readonly sortKey?: dynamodb.Attribute;
  /** @default ALL */
  readonly projectionType?: dynamodb.ProjectionType;
}

interface TableShape {
  readonly partitionKey: dynamodb.Attribute;
  readonly sortKey?: dynamodb.Attribute;
  readonly timeToLiveAttribute?: string;
  readonly indexes?: readonly IndexShape[];
}

const S = dynamodb.AttributeType.STRING;
const N = dynamodb.AttributeType.NUMBER;

/** Key schemas, indexes and TTL attributes of every table; the handlers' access patterns depend on these names. */
export const TABLE_SHAPES: Readonly<Record<TableId, TableShape>> = {
  users: {
    partitionKey: { name: 'subjectId', type: S },
    indexes: [
      { indexName: 'byEmailIndex', partitionKey: { name: 'emailIndex', type: S } },
      // Sparse (only accounts with an activity month), keys only: the retention job queries it month by month up to the
      // inactivity cutoff instead of scanning the table, and reads each account it finds. The month carries a shard of the
      // subject (`2026-12#07`, domain/key-shards.ts) so that a month's logins spread over several partition key values.
      {
        indexName: 'byActivityMonth',
        partitionKey: { name: 'activityMonth', type: S },
        sortKey: { name: 'lastActiveAt', type: S },
        projectionType: dynamodb.ProjectionType.KEYS_ONLY,
      },
    ],
  },
  subjectKeys: { partitionKey: { name: 'subjectId', type: S } },
  identities: {
    partitionKey: { name: 'identityKey', type: S },
    // Erasure and export find every identity claim of a subject.
    indexes: [{ indexName: 'bySubject', partitionKey: { name: 'subjectId', type: S } }],
  },
  sessions: {
    partitionKey: { name: 'tokenHash', type: S },
    timeToLiveAttribute: 'expiresAt',
    indexes: [{ indexName: 'bySubject', partitionKey: { name: 'subjectId', type: S }, sortKey: { name: 'createdAt', type: S } }],
  },
  loginThrottle: { partitionKey: { name: 'counterKey', type: S }, timeToLiveAttribute: 'expiresAt' },
  // One item per scheduled job, overwritten by each run: the operations view reads them all with one BatchGetItem.
  jobRuns: { partitionKey: { name: 'jobId', type: S } },
  consent: {
    partitionKey: { name: 'subjectId', type: S },
    sortKey: { name: 'sk', type: S },
    timeToLiveAttribute: 'expiresAt',
    // Sparse (only the recipients' outbox items carry `outbox`), oldest first: the drain job queries it instead of scanning.
    // `outbox` is `pending#NN`, a shard of the subject: one `pending` value would take every outbox write of the deployment.
    indexes: [{ indexName: 'byOutbox', partitionKey: { name: 'outbox', type: S }, sortKey: { name: 'at', type: S } }],
  },
  analyticsEvents: {
    partitionKey: { name: 'analyticsId', type: S },
    sortKey: { name: 'sk', type: S },
    timeToLiveAttribute: 'expiresAt',
  },
  rightsRequests: {
    partitionKey: { name: 'requestId', type: S },
    // Set when a request is completed or rejected: kept 3 years as proof (FINISHED_REQUEST_RETENTION_YEARS), then deleted.
    timeToLiveAttribute: 'expiresAt',
    indexes: [
      { indexName: 'bySubject', partitionKey: { name: 'subjectId', type: S }, sortKey: { name: 'createdAt', type: S } },
      { indexName: 'byStatus', partitionKey: { name: 'status', type: S }, sortKey: { name: 'dueAt', type: S } },
    ],
  },
  audit: {
    partitionKey: { name: 'chainId', type: S },
    sortKey: { name: 'seq', type: N },
    timeToLiveAttribute: 'expiresAt',
    indexes: [
      { indexName: 'byActor', partitionKey: { name: 'actorId', type: S }, sortKey: { name: 'at', type: S } },
      // `dayShard` is the day with a shard of the chain (`2026-12-04#07`, domain/key-shards.ts): one value per day would take
      // every entry of the deployment and cap it near 1,000 audited requests per second. Not `day` itself, which is hashed.
      { indexName: 'byDayShard', partitionKey: { name: 'dayShard', type: S }, sortKey: { name: 'at', type: S } },
    ],
  },
  incidents: {
    // The record (`sk` = `record`) and its scope's pseudonym pages (`scope#<jobId>#<page>`) under one incident id.
    partitionKey: { name: 'incidentId', type: S },
    sortKey: { name: 'sk', type: S },
    // Refreshed on every write: kept INCIDENT_RETENTION_YEARS after the record last changed (Art. 33(5) documentation).
    timeToLiveAttribute: 'expiresAt',
    // Sparse (records only), newest awareness last: the incident list is one Query. A handful of incidents a year share
    // the one partition value, far below any partition's limits.
    indexes: [{ indexName: 'byAwareness', partitionKey: { name: 'listed', type: S }, sortKey: { name: 'awareAt', type: S } }],
  },
};

/**
 * A recipient's queue hides a message this long after a receive. Its consumer (the recipient's own function, or the
 * webhook dispatcher) is not declared here, so this is what a consumer with a timeout of up to 50 s needs (6x, AWS guidance).
 */
export const RECIPIENT_QUEUE_VISIBILITY = Duration.minutes(5);
/** Receives before a recipient's message goes to its DLQ (defined beside the resource names, the dispatcher reads it too). */
export { RECIPIENT_MAX_RECEIVES };

/** Tables the inventory says hold at least one personal field: the trail records every data-plane call on them. */
export function personalDataTableIds(): TableId[] {
  return TABLE_IDS.filter((id) => Object.values(inventory[id].fields).some((field) => field.personal));
}

/** The queue's visibility timeout is six times the slowest consumer's timeout (AWS guidance for Lambda event sources). */
export function visibilityTimeoutFor(queue: WorkerDefinition['queue'], workers: readonly WorkerDefinition[]): Duration {
  const consumers = workers.filter((w) => w.queue === queue);
  if (consumers.length === 0) throw new Error(`No worker consumes ${queue}`);
  return Duration.seconds(6 * Math.max(...consumers.map((w) => w.timeoutSeconds)));
}

/** Marks a resource with its id from `lambdas/runtime/resources.ts`, which is how the local cloud finds it. */
export function tagResource(resource: IConstruct, id: ResourceId): void {
  Tags.of(resource).add(RESOURCE_TAG, id);
}

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
  /** @default the workers of `lambdas/routes.ts` */
  readonly workers?: readonly WorkerDefinition[];
}

export class StatefulStack extends Stack {
  public readonly resources: StatefulResources;
  public readonly trail: cloudtrail.Trail;
  /** Receives S3 server access logs of the exports and trail buckets. */
  public readonly accessLogsBucket: s3.IBucket;
  /** Encrypts the alarm topic; CloudWatch may use it for this account's alarms. */
  public readonly alarmsKey: kms.Key;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const workers = props.workers ?? declaredWorkers;
    const { removalPolicy } = config;

    // --- keys -------------------------------------------------------------------------------------------------------
    const symmetricKey = (keyId: KeyId, constructId: string, description: string): kms.Key => {
      const key = new kms.Key(this, constructId, {
        description: `forget-me-not ${config.stage}: ${description}`,
        enableKeyRotation: true,
        pendingWindow: config.keyDeletionWindow,
        removalPolicy,
      });
      tagResource(key, keyId);
      return key;
    };
    const dataKey = symmetricKey('dataKey', 'DataKey', 'tables, exports bucket and per-subject data keys');
    const queueKey = symmetricKey('queueKey', 'QueueKey', 'queues: rights requests, recipients, and their DLQs');
    const logsKey = symmetricKey('logsKey', 'LogsKey', 'CloudWatch log groups');
    const trailKey = symmetricKey('trailKey', 'TrailKey', 'CloudTrail log files');

    // CloudWatch Logs encrypts with the key on behalf of log groups of this account and region only.
    logsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForThisAccountsLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` },
        },
      }),
    );

    // HMAC key for pseudonyms and blind indexes (email lookup, audit subject pseudonyms). KMS does not support automatic
    // rotation for HMAC keys, and rotating it by hand would change every stored pseudonym and index value, so none is set.
    const pseudonymKey = new kms.Key(this, 'PseudonymKey', {
      description: `forget-me-not ${config.stage}: HMAC key for pseudonyms and blind indexes`,
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      pendingWindow: config.keyDeletionWindow,
      removalPolicy,
    });
    tagResource(pseudonymKey, 'pseudonymKey');

    // --- tables -----------------------------------------------------------------------------------------------------
    const tables = {} as Record<TableId, dynamodb.Table>;
    for (const tableId of TABLE_IDS) {
      const shape = TABLE_SHAPES[tableId];
      const table = new dynamodb.Table(this, `${pascal(tableId)}Table`, {
        partitionKey: shape.partitionKey,
        sortKey: shape.sortKey,
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: dataKey,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        timeToLiveAttribute: shape.timeToLiveAttribute,
        deletionProtection: config.deletionProtection,
        removalPolicy,
      });
      for (const index of shape.indexes ?? []) table.addGlobalSecondaryIndex(index);
      tagResource(table, tableId);
      acknowledgeCompliance(
        table,
        'DynamoDBInBackupPlan',
        'Point-in-time recovery (35 days) is on for every table, and erasure destroys the subject\'s data key ' +
          '(crypto-shredding): erasure receipts promise that no readable copy outlives completion + 35 days. An AWS Backup ' +
          'plan would keep snapshots on its own schedule and vault lock, holding erased subjects\' data past that promise.',
        ['HIPAA.Security', 'NIST.800.53.R5'],
      );
      tables[tableId] = table;
    }

    // --- buckets ----------------------------------------------------------------------------------------------------
    // S3 documents SSE-S3 as the only default encryption a server-access-log destination supports, so this one has no KMS
    // key. Access logs hold requester IPs of presigned downloads: declared in the inventory (`accessLogs`), they expire with
    // the log retention.
    const accessLogsBucket = new SecureBucket(this, 'AccessLogsBucket', {
      expireAfter: Duration.days(config.logRetention),
      removalPolicy,
    });
    Validations.of(accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the server-access-log destination of the other buckets; logging it into itself would loop.',
    });
    acknowledgeCompliance(
      accessLogsBucket,
      'S3DefaultEncryptionKMS',
      'S3 cannot deliver server access logs to a bucket whose default encryption is SSE-KMS; this one uses SSE-S3 (AES-256).',
    );
    acknowledgeCompliance(
      accessLogsBucket,
      'S3BucketVersioningEnabled',
      'S3 writes each log object once under a unique key and nothing here overwrites them; versioning would only keep expired ' +
        'log objects (requester IP addresses) as noncurrent versions beyond the log retention, against storage limitation.',
    );
    this.accessLogsBucket = accessLogsBucket;

    const exportsBucket = new SecureBucket(this, 'ExportsBucket', {
      encryptionKey: dataKey,
      versioned: true,
      expireAfter: Duration.days(EXPORT_EXPIRY_DAYS),
      expireNoncurrentAfter: Duration.days(EXPORT_NONCURRENT_EXPIRY_DAYS),
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: 'exports/',
      removalPolicy,
    });
    tagResource(exportsBucket, 'exports');

    // --- queues -----------------------------------------------------------------------------------------------------
    const rightsRequestDlq = new sqs.Queue(this, 'RightsRequestDlq', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
      removalPolicy,
    });
    tagResource(rightsRequestDlq, 'rightsRequestDlq');
    const rightsRequestQueue = new sqs.Queue(this, 'RightsRequestQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(QUEUE_RETENTION_DAYS),
      visibilityTimeout: visibilityTimeoutFor('rightsRequestQueue', workers),
      deadLetterQueue: { queue: rightsRequestDlq, maxReceiveCount: 5 },
      removalPolicy,
    });
    tagResource(rightsRequestQueue, 'rightsRequestQueue');
    // Scheduled jobs run on asynchronous invocations: after Lambda's two retries the event lands here instead of vanishing
    // (an alarm in the API stack watches it). The events are EventBridge schedule ticks, no personal data. One queue for
    // every job keeps the API stack's resource count flat as jobs are added.
    const scheduledJobsDlq = new sqs.Queue(this, 'ScheduledJobsDlq', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    Validations.of(scheduledJobsDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "It is a dead-letter queue: the scheduled jobs' functions name it as their DeadLetterConfig (Lambda, not SQS redrive).",
    });

    // --- recipients ---------------------------------------------------------------------------------------------------
    // One topic, one queue and DLQ per declared recipient. The topic has a key of its own: publishers are granted it and
    // nothing else, and the queue key's policy can name the topic (SNS delivering to encrypted queues) without a cycle.
    const recipientEventsKey = symmetricKey('recipientEventsKey', 'RecipientEventsKey', 'recipient-events topic');
    const recipientEvents = new sns.Topic(this, 'RecipientEventsTopic', {
      displayName: `Forget-Me-Not ${config.stage} recipient events`,
      masterKey: recipientEventsKey,
      enforceSSL: true,
    });
    tagResource(recipientEvents, 'recipientEvents');
    const recipientQueues = {} as Record<RecipientId, { queue: sqs.Queue; dlq: sqs.Queue }>;
    for (const id of RECIPIENT_IDS) {
      const name = pascal(id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()));
      const dlq = new sqs.Queue(this, `Recipient${name}Dlq`, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: queueKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
        removalPolicy,
      });
      tagResource(dlq, recipientDlqId(id));
      const queue = new sqs.Queue(this, `Recipient${name}Queue`, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: queueKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(QUEUE_RETENTION_DAYS),
        visibilityTimeout: RECIPIENT_QUEUE_VISIBILITY,
        deadLetterQueue: { queue: dlq, maxReceiveCount: RECIPIENT_MAX_RECEIVES },
        removalPolicy,
      });
      tagResource(queue, recipientQueueId(id));
      const subscription = recipientEvents.addSubscription(
        // The DLQ also takes what SNS cannot deliver to the queue (a key or policy mistake), instead of dropping it.
        new snsSubscriptions.SqsSubscription(queue, { rawMessageDelivery: true, deadLetterQueue: dlq }),
      );
      // CDK's SubscriptionFilter cannot express `$or`, so the policy computed from the declaration is set on the resource.
      (subscription.node.defaultChild as sns.CfnSubscription).filterPolicy = filterPolicyFor(id);
      recipientQueues[id] = { queue, dlq };
    }

    // --- the subject's events ------------------------------------------------------------------------------------------
    // A rights request's changes, for the app's mailer (lambdas/domain/subject-events.ts). No subscription here: the app
    // subscribes its mailer (README, "Telling the subject"); the topic's ARN is an output. Its own key, as for the
    // recipients' topic: the drain job is granted it, and a subscriber's queue key can name this topic alone.
    const subjectEventsKey = symmetricKey('subjectEventsKey', 'SubjectEventsKey', 'subject-events topic');
    const subjectEvents = new sns.Topic(this, 'SubjectEventsTopic', {
      displayName: `Forget-Me-Not ${config.stage} subject events`,
      masterKey: subjectEventsKey,
      enforceSSL: true,
    });
    tagResource(subjectEvents, 'subjectEvents');

    // --- alarm notifications ----------------------------------------------------------------------------------------
    // Here rather than next to the alarms in the API stack: email subscriptions must be confirmed by a person, so the topic
    // must outlive API stack rebuilds; keys live here anyway; and the API stack stays clear of CloudFormation's
    // 500-resource limit. The alarms reach it through `StatefulResources.alarmTopic`.
    // A key of its own, so that CloudWatch's grant covers alarm messages and nothing that holds personal data.
    this.alarmsKey = new kms.Key(this, 'AlarmsKey', {
      description: `forget-me-not ${config.stage}: alarm topic`,
      enableKeyRotation: true,
      pendingWindow: config.keyDeletionWindow,
      removalPolicy,
    });
    // Without this CloudWatch cannot publish to the encrypted topic, and alarm notifications are dropped without an error.
    this.alarmsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    const alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Forget-Me-Not ${config.stage} alarms`,
      masterKey: this.alarmsKey,
      enforceSSL: true,
    });
    // The topic policy CDK writes (TLS only) replaces SNS's default one, so CloudWatch needs its own allowance.
    alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
        },
      }),
    );
    for (const email of config.alarmEmails) alarmTopic.addSubscription(new snsSubscriptions.EmailSubscription(email));

    // --- trail ------------------------------------------------------------------------------------------------------
    const trailName = `forget-me-not-${config.stage}`;
    const trailArn = `arn:${Aws.PARTITION}:cloudtrail:${Aws.REGION}:${Aws.ACCOUNT_ID}:trail/${trailName}`;
    // Built from the name rather than `trail.trailArn`: the trail depends on the key, so the key policy cannot depend on it.
    trailKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToEncryptLogFiles',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${Aws.ACCOUNT_ID}:trail/*` },
        },
      }),
    );
    trailKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToDescribeKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
      }),
    );

    const trailBucket = new SecureBucket(this, 'TrailBucket', {
      versioned: true,
      expireAfter: Duration.days(config.auditRetentionDays),
      expireNoncurrentAfter: Duration.days(TRAIL_NONCURRENT_EXPIRY_DAYS),
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: 'trail/',
      removalPolicy,
    });
    acknowledgeCompliance(
      trailBucket,
      'S3DefaultEncryptionKMS',
      "CloudTrail encrypts every log file itself with the trail's customer-managed key (the trail's KMSKeyId); the SSE-S3 " +
        'bucket default only covers objects written without encryption headers, such as the digest files (hashes and ' +
        'signatures, no event data). The key policy lets CloudTrail use the key only for this trail.',
    );
    const singleRegion =
      'Single-region by design: personal data and the records about it stay in the stage region (data residency) and ' +
      'there is no second copy for erasure or retention to reach.';
    acknowledgeCompliance(accessLogsBucket, 'S3BucketReplicationEnabled', `${singleRegion} Access logs are operational and short-lived.`);
    acknowledgeCompliance(
      exportsBucket,
      'S3BucketReplicationEnabled',
      `${singleRegion} Exports are 7-day copies a subject can request again at any time.`,
    );
    acknowledgeCompliance(
      trailBucket,
      'S3BucketReplicationEnabled',
      `${singleRegion} The bucket is versioned, the trail validates its files (digest chain), and the audit table holds the app's own record.`,
    );
    const trailLogGroup = config.trailToCloudWatchLogs
      ? new logs.LogGroup(this, 'TrailLogs', { retention: config.logRetention, encryptionKey: logsKey, removalPolicy })
      : undefined;
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName,
      // Settings (lib/config.ts) for cost and the 5-trails-per-region quota. CloudTrail requires a multi-region trail to
      // include global service events; a single-region one outside us-east-1 would receive none (they are logged there).
      isMultiRegionTrail: config.trailMultiRegion,
      includeGlobalServiceEvents: config.trailMultiRegion,
      enableFileValidation: true,
      encryptionKey: trailKey,
      bucket: trailBucket,
      sendToCloudWatchLogs: trailLogGroup !== undefined,
      cloudWatchLogGroup: trailLogGroup,
    });
    const trailLogsRole = this.trail.node.tryFindChild('LogsRole');
    if (trailLogsRole) {
      acknowledgeCompliance(
        trailLogsRole,
        'IAMNoInlinePolicy',
        "CDK's Trail writes this role's only policy: CloudTrail may create streams and put events in the trail's own log " +
          'group, nothing else; a managed policy would be the same statement in a shareable wrapper.',
      );
    }
    if (!trailLogGroup) {
      acknowledgeCompliance(
        this.trail,
        'CloudTrailCloudWatchLogsEnabled',
        `Off in ${config.stage} (trailToCloudWatchLogs in lib/config.ts; on in prod): every data event on the personal-data ` +
          'tables would also be ingested into CloudWatch Logs at per-GB cost. The S3 copy, with file validation, stays the record.',
      );
    }
    // aws-cdk-lib's Trail only offers basic selectors for S3 objects and Lambda functions; DynamoDB data events need
    // advanced event selectors, which replace basic ones entirely, so management events (when on) are selected here too.
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    cfnTrail.addPropertyDeletionOverride('EventSelectors'); // the L2 renders an empty list; the two kinds cannot be mixed
    cfnTrail.advancedEventSelectors = [
      ...(config.trailManagementEvents
        ? [{ name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] }]
        : []),
      {
        name: 'Personal-data table access',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
          { field: 'resources.ARN', equalTo: personalDataTableIds().map((t) => tables[t].tableArn) },
        ],
      },
    ];

    this.resources = {
      tables,
      exportsBucket,
      rightsRequestQueue,
      rightsRequestDlq,
      scheduledJobsDlq,
      alarmTopic,
      recipientEvents,
      recipientQueues,
      subjectEvents,
      keys: { dataKey, queueKey, logsKey, trailKey, pseudonymKey, recipientEventsKey, subjectEventsKey },
    };
    pinExports(this, this.resources);

    // One output per resource, keyed by the environment variable the handlers and the `fmn` CLI read, so an operator can
    // export them all at once (README, "Ops CLI") instead of looking up physical names by hand.
    const named: Array<[string, string]> = [
      ...TABLE_IDS.map((id): [string, string] => [tableEnvVar(id), tables[id].tableName]),
      [bucketEnvVar('exports'), exportsBucket.bucketName],
      [queueEnvVar('rightsRequestQueue'), rightsRequestQueue.queueUrl],
      [queueEnvVar('rightsRequestDlq'), rightsRequestDlq.queueUrl],
      [topicEnvVar('recipientEvents'), recipientEvents.topicArn],
      // Also what an app subscribes its mailer to (README, "Telling the subject").
      [topicEnvVar('subjectEvents'), subjectEvents.topicArn],
      ...RECIPIENT_IDS.flatMap((id): Array<[string, string]> => [
        [recipientQueueEnvVar(recipientQueueId(id)), recipientQueues[id].queue.queueUrl],
        [recipientQueueEnvVar(recipientDlqId(id)), recipientQueues[id].dlq.queueUrl],
      ]),
      ...(Object.entries(this.resources.keys) as Array<[KeyId, kms.IKey]>).map(([id, key]): [string, string] => [keyEnvVar(id), key.keyArn]),
    ];
    for (const [envVar, value] of named) {
      new CfnOutput(this, envVar.replace(/_/g, ''), { value, description: envVar });
    }
    // For operators subscribing more endpoints to the alarm topic (README, "Deploy"); no handler reads it.
    new CfnOutput(this, 'ALARMTOPICARN', { value: alarmTopic.topicArn, description: 'ALARM_TOPIC_ARN' });
    // The shard count the items' index keys are built with (the API stack gives the functions the same): `fmn` reads it
    // from here, so `fmn keys reshard` and `fmn breach-scope` on a stage agree with its functions.
    new CfnOutput(this, INDEX_SHARDS_ENV.replace(/_/g, ''), { value: String(config.indexShards), description: INDEX_SHARDS_ENV });
  }
}

function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** Stack name per stage; the API stack's is `apiStackName`. */
export const statefulStackName = (stage: Stage): string => `FmnStateful-${stage}`;

/**
 * The stateful stack's CloudFormation template for a stage, synthesized in-process: no bundling (this stack has no
 * functions), no network, no AWS credentials. The local cloud reads the resources tagged `fmn:resource` from it.
 */
export function synthStatefulTemplate(stage: Stage = 'dev', config: StageConfig = stageConfig(stage)): Record<string, unknown> {
  // An explicit scratch outdir: inside a `cdk` CLI run the default would be the CLI's own cdk.out.
  const outdir = mkdtempSync(join(tmpdir(), 'fmn-stateful-'));
  try {
    // The template is all the caller wants: skip the built-in CloudFormation schema validation (2+ s on a cold start).
    const app = newInProcessApp({ outdir, context: { stage }, builtinCloudFormationValidation: false });
    const stack = new StatefulStack(app, statefulStackName(stage), { config });
    return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
