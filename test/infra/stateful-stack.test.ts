import { Match, Template } from 'aws-cdk-lib/assertions';
import { inventory } from '../../lambdas/inventory';
import { rightsRequestWorker } from '../../lambdas/routes';
import { RECIPIENT_IDS } from '../../lambdas/recipients';
import {
  KEY_IDS,
  QUEUE_IDS,
  RESOURCE_TAG,
  TABLE_IDS,
  TOPIC_IDS,
  bucketEnvVar,
  keyEnvVar,
  queueEnvVar,
  recipientDlqId,
  recipientQueueEnvVar,
  recipientQueueId,
  tableEnvVar,
  topicEnvVar,
  type ResourceId,
} from '../../lambdas/runtime/resources';
import { DEFAULT_AUDIT_RETENTION_DAYS, stageConfig } from '../../lib/config';
import { TABLE_SHAPES, personalDataTableIds, synthStatefulTemplate } from '../../lib/stateful-stack';

type Json = Record<string, any>;

let dev: Template;
let prod: Template;
let devSynthMs: number;

beforeAll(() => {
  const started = performance.now();
  dev = Template.fromJSON(synthStatefulTemplate('dev'));
  devSynthMs = performance.now() - started;
  prod = Template.fromJSON(synthStatefulTemplate('prod'));
});

/** The logical id of the resource of `type` tagged `fmn:resource = id`. */
function taggedId(template: Template, type: string, id: ResourceId): string {
  const found = Object.entries(template.findResources(type)).filter(([, r]) =>
    ((r as Json).Properties.Tags ?? []).some((t: Json) => t.Key === RESOURCE_TAG && t.Value === id),
  );
  expect(found).toHaveLength(1);
  return found[0][0];
}

const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

describe('synthStatefulTemplate', () => {
  it('synthesizes quickly, with no functions to bundle', () => {
    expect(devSynthMs).toBeLessThan(5_000);
    dev.resourceCountIs('AWS::Lambda::Function', 0);
  });

  it('tags every table, the exports bucket, both queues and every key with its resource id, once', () => {
    for (const id of TABLE_IDS) taggedId(dev, 'AWS::DynamoDB::Table', id);
    taggedId(dev, 'AWS::S3::Bucket', 'exports');
    for (const id of QUEUE_IDS) taggedId(dev, 'AWS::SQS::Queue', id);
    for (const id of KEY_IDS) taggedId(dev, 'AWS::KMS::Key', id);
    dev.resourceCountIs('AWS::DynamoDB::Table', TABLE_IDS.length);
    // Plus the alarm topic's key, which no function uses (alarms.test.ts).
    dev.resourceCountIs('AWS::KMS::Key', KEY_IDS.length + 1);
  });
});

describe('KMS keys', () => {
  it('rotates every symmetric key and makes the pseudonym key an HMAC key (which KMS cannot rotate)', () => {
    for (const id of ['dataKey', 'queueKey', 'logsKey', 'trailKey'] as const) {
      const key = dev.toJSON().Resources[taggedId(dev, 'AWS::KMS::Key', id)] as Json;
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.Properties.KeySpec).toBeUndefined();
    }
    const hmac = dev.toJSON().Resources[taggedId(dev, 'AWS::KMS::Key', 'pseudonymKey')] as Json;
    expect(hmac.Properties).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect(hmac.Properties.EnableKeyRotation).toBeUndefined();
  });

  it('lets CloudWatch Logs use the logs key only for log groups of this account and region', () => {
    const key = dev.toJSON().Resources[taggedId(dev, 'AWS::KMS::Key', 'logsKey')] as Json;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        Action: expect.arrayContaining(['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*']),
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': expect.anything() } },
      }),
    );
  });

  it('lets CloudTrail encrypt with the trail key only for this trail', () => {
    const key = dev.toJSON().Resources[taggedId(dev, 'AWS::KMS::Key', 'trailKey')] as Json;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Condition: {
          StringEquals: { 'aws:SourceArn': expect.anything() },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': expect.anything() },
        },
      }),
    );
  });
});

describe('tables', () => {
  const dataKey = () => arnOf(taggedId(dev, 'AWS::KMS::Key', 'dataKey'));

  it.each(TABLE_IDS)('%s: on-demand, encrypted with the data key, point-in-time recovery on', (id) => {
    const table = dev.toJSON().Resources[taggedId(dev, 'AWS::DynamoDB::Table', id)] as Json;
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: dataKey() },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it.each(TABLE_IDS)('%s: key schema, indexes and TTL as the handlers expect', (id) => {
    const shape = TABLE_SHAPES[id];
    const table = dev.toJSON().Resources[taggedId(dev, 'AWS::DynamoDB::Table', id)] as Json;
    const keySchema = (pk: { name: string }, sk?: { name: string }) => [
      { AttributeName: pk.name, KeyType: 'HASH' },
      ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' }] : []),
    ];
    expect(table.Properties.KeySchema).toEqual(keySchema(shape.partitionKey, shape.sortKey));
    expect((table.Properties.GlobalSecondaryIndexes ?? []).map((i: Json) => [i.IndexName, i.KeySchema])).toEqual(
      (shape.indexes ?? []).map((i) => [i.indexName, keySchema(i.partitionKey, i.sortKey)]),
    );
    expect(table.Properties.TimeToLiveSpecification).toEqual(
      shape.timeToLiveAttribute ? { AttributeName: shape.timeToLiveAttribute, Enabled: true } : undefined,
    );
  });

  it('has the key schemas, indexes and TTL attributes of the issue', () => {
    const props = (id: (typeof TABLE_IDS)[number]) =>
      (dev.toJSON().Resources[taggedId(dev, 'AWS::DynamoDB::Table', id)] as Json).Properties;
    expect(props('users').GlobalSecondaryIndexes[0]).toMatchObject({ IndexName: 'byEmailIndex' });
    expect(props('sessions').TimeToLiveSpecification.AttributeName).toBe('expiresAt');
    expect(props('consent').KeySchema).toEqual([
      { AttributeName: 'subjectId', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(props('rightsRequests').GlobalSecondaryIndexes.map((i: Json) => i.IndexName)).toEqual(['bySubject', 'byStatus']);
    expect(props('audit').AttributeDefinitions).toContainEqual({ AttributeName: 'seq', AttributeType: 'N' });
    expect(props('audit').GlobalSecondaryIndexes.map((i: Json) => i.IndexName)).toEqual(['byActor', 'byDayShard']);
  });

  it('outputs the shard count of the index keys, for fmn to agree with the functions', () => {
    dev.hasOutput('INDEXSHARDS', { Value: '32', Description: 'INDEX_SHARDS' });
  });

  it('deletes dev tables with the stack but retains and protects prod tables', () => {
    for (const [, table] of Object.entries(dev.findResources('AWS::DynamoDB::Table'))) {
      expect((table as Json).DeletionPolicy).toBe('Delete');
      expect((table as Json).Properties.DeletionProtectionEnabled).toBe(false);
    }
    for (const [, table] of Object.entries(prod.findResources('AWS::DynamoDB::Table'))) {
      expect((table as Json).DeletionPolicy).toBe('Retain');
      expect((table as Json).UpdateReplacePolicy).toBe('Retain');
      expect((table as Json).Properties.DeletionProtectionEnabled).toBe(true);
    }
  });

  it('retains prod keys, buckets and queues too', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::SQS::Queue']) {
      for (const [, resource] of Object.entries(prod.findResources(type))) expect((resource as Json).DeletionPolicy).toBe('Retain');
    }
  });
});

describe('buckets', () => {
  const tlsOnly = (template: Template, bucketId: string) =>
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });

  it('keeps exports KMS-encrypted with the data key, private, versioned, TLS-only and short-lived', () => {
    const id = taggedId(dev, 'AWS::S3::Bucket', 'exports');
    const bucket = dev.toJSON().Resources[id] as Json;
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(taggedId(dev, 'AWS::KMS::Key', 'dataKey')) },
      BucketKeyEnabled: true,
    });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ ExpirationInDays: 7, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' }),
    );
    expect(bucket.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: expect.stringMatching(/^AccessLogsBucket/) },
      LogFilePrefix: 'exports/',
    });
    tlsOnly(dev, id);
  });

  it('encrypts, blocks public access to, enforces TLS on and expires the access-log and trail buckets', () => {
    for (const [id, bucket] of Object.entries(dev.findResources('AWS::S3::Bucket'))) {
      const props = (bucket as Json).Properties;
      expect(props.BucketEncryption.ServerSideEncryptionConfiguration).toHaveLength(1);
      expect(props.PublicAccessBlockConfiguration.BlockPublicPolicy).toBe(true);
      expect(props.LifecycleConfiguration.Rules.some((r: Json) => r.ExpirationInDays > 0)).toBe(true);
      tlsOnly(dev, id);
    }
    const trailBucket = Object.entries(dev.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('TrailBucket'))![1] as Json;
    expect(trailBucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(trailBucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ ExpirationInDays: DEFAULT_AUDIT_RETENTION_DAYS }),
    );
  });
});

describe('rights-request queue', () => {
  it.each(QUEUE_IDS)('%s: KMS-encrypted with the queue key and TLS-only', (id) => {
    const logicalId = taggedId(dev, 'AWS::SQS::Queue', id);
    dev.hasResourceProperties('AWS::SQS::Queue', {
      Tags: Match.arrayWith([{ Key: RESOURCE_TAG, Value: id }]),
      KmsMasterKeyId: arnOf(taggedId(dev, 'AWS::KMS::Key', 'queueKey')),
    });
    dev.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('redrives to the DLQ after 5 receives, with a visibility timeout of 6 × the worker timeout', () => {
    const queue = dev.toJSON().Resources[taggedId(dev, 'AWS::SQS::Queue', 'rightsRequestQueue')] as Json;
    const dlqId = taggedId(dev, 'AWS::SQS::Queue', 'rightsRequestDlq');
    expect(queue.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: arnOf(dlqId), maxReceiveCount: 5 });
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * rightsRequestWorker.timeoutSeconds);
  });

  it('keeps failed jobs in the DLQ for 14 days', () => {
    const dlq = dev.toJSON().Resources[taggedId(dev, 'AWS::SQS::Queue', 'rightsRequestDlq')] as Json;
    expect(dlq.Properties.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
  });
});

describe('CloudTrail', () => {
  const trailOf = (template: Template) => (Object.values(template.findResources('AWS::CloudTrail::Trail'))[0] as Json).Properties;
  const MANAGEMENT = { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] };

  it('is validated and KMS-encrypted with the trail key', () => {
    for (const template of [dev, prod]) {
      template.hasResourceProperties('AWS::CloudTrail::Trail', {
        EnableLogFileValidation: true,
        KMSKeyId: arnOf(taggedId(template, 'AWS::KMS::Key', 'trailKey')),
      });
    }
  });

  it('is multi-region with global service events in prod, and single-region in dev (one trail slot, not one per region)', () => {
    expect(trailOf(prod)).toMatchObject({ IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true });
    expect(trailOf(dev)).toMatchObject({ IsMultiRegionTrail: false, IncludeGlobalServiceEvents: false });
    expect(trailOf(prod).AdvancedEventSelectors).toContainEqual(MANAGEMENT);
  });

  it('follows -c trailManagementEvents and -c trailMultiRegion (for an account whose organization trail records management events)', () => {
    const orgCovered = Template.fromJSON(synthStatefulTemplate('prod', stageConfig('prod', { trailManagementEvents: false })));
    const trail = trailOf(orgCovered);
    expect(trail).toMatchObject({ IsMultiRegionTrail: false, IncludeGlobalServiceEvents: false });
    // Only the data events on the personal-data tables are left.
    expect(trail.AdvancedEventSelectors).toHaveLength(1);
    expect(trail.AdvancedEventSelectors).not.toContainEqual(MANAGEMENT);
    expect(JSON.stringify(trail.AdvancedEventSelectors)).toContain('AWS::DynamoDB::Table');

    const devEverywhere = trailOf(Template.fromJSON(synthStatefulTemplate('dev', stageConfig('dev', { trailMultiRegion: true }))));
    expect(devEverywhere).toMatchObject({ IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true });
  });

  it('records data events of exactly the personal-data tables, with advanced selectors only', () => {
    const trail = Object.values(dev.findResources('AWS::CloudTrail::Trail'))[0] as Json;
    expect(trail.Properties.EventSelectors).toBeUndefined();
    const selectors = trail.Properties.AdvancedEventSelectors as Json[];
    const isData = (f: Json) => f.Field === 'eventCategory' && f.Equals[0] === 'Data';
    const dataSelector = selectors.find((s) => s.FieldSelectors.some(isData))!;
    const field = (name: string) => dataSelector.FieldSelectors.find((f: Json) => f.Field === name)?.Equals;
    expect(field('resources.type')).toEqual(['AWS::DynamoDB::Table']);
    const expected = personalDataTableIds().map((id) => arnOf(taggedId(dev, 'AWS::DynamoDB::Table', id)));
    expect(field('resources.ARN')).toEqual(expected);
    // Management events stay selected: advanced selectors replace the default.
    expect(selectors).toContainEqual({
      Name: 'Management events',
      FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
    });
  });

  it('counts as personal-data tables those the inventory gives a personal field', () => {
    for (const id of TABLE_IDS) {
      const personal = Object.values(inventory[id].fields).some((f) => f.personal);
      expect(personalDataTableIds().includes(id)).toBe(personal);
    }
  });

  it('also delivers to an encrypted CloudWatch Logs group on prod', () => {
    prod.hasResourceProperties('AWS::CloudTrail::Trail', { CloudWatchLogsLogGroupArn: Match.anyValue() });
    prod.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: arnOf(taggedId(prod, 'AWS::KMS::Key', 'logsKey')),
      RetentionInDays: 90,
    });
  });
});

describe('outputs for operators', () => {
  it('names every table, queue, bucket and key by the environment variable the handlers and the fmn CLI read, the alarm topic and the shard count', () => {
    // Pinned cross-stack exports are outputs too (test/infra/stateful-exports.test.ts); these are the operators' ones.
    const outputs = Object.fromEntries(
      Object.entries(prod.toJSON().Outputs as Record<string, { Description: string; Value: unknown; Export?: unknown }>).filter(([, o]) => !o.Export),
    );
    const expected = [
      ...TABLE_IDS.map(tableEnvVar),
      bucketEnvVar('exports'),
      ...QUEUE_IDS.map(queueEnvVar),
      ...KEY_IDS.map(keyEnvVar),
      ...TOPIC_IDS.map(topicEnvVar),
      ...RECIPIENT_IDS.flatMap((id) => [recipientQueueEnvVar(recipientQueueId(id)), recipientQueueEnvVar(recipientDlqId(id))]),
      'ALARM_TOPIC_ARN', // for operators subscribing to alarms; no handler reads it
      'INDEX_SHARDS', // the shard count of the index keys, for fmn (the functions get it from the API stack)
    ].sort();

    expect(Object.values(outputs).map((o) => o.Description).sort()).toEqual(expected);
    for (const [logicalId, output] of Object.entries(outputs)) expect(logicalId).toBe(output.Description.replace(/_/g, ''));
  });

  it('gives each the physical name the functions are given (a reference, never a literal)', () => {
    const outputs = prod.toJSON().Outputs as Record<string, { Value: unknown }>;
    const usersLogicalId = Object.keys(prod.findResources('AWS::DynamoDB::Table')).find((id) =>
      JSON.stringify(prod.toJSON().Resources[id].Properties.Tags ?? []).includes('"users"'),
    );
    expect(usersLogicalId).toBeDefined();
    expect(outputs[tableEnvVar('users').replace(/_/g, '')].Value).toEqual({ Ref: usersLogicalId });
  });
});
