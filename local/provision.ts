/**
 * Creates the local copies of the stateful resources from the synthesized CloudFormation template of the stateful stack:
 * the same key schemas, indexes, TTL attributes, queue timeouts and redrive policies the stacks deploy. There is no second
 * hand-written list: a table added to the stack appears locally on the next `npm start`.
 *
 * Resources are matched by their `fmn:resource` tag; local names are `fmn-local-<id>`. Everything is idempotent so a
 * persisted `.local/` state survives restarts.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient, type KeySpec, type KeyUsageType } from '@aws-sdk/client-kms';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  RESOURCE_TAG,
  bucketEnvVar,
  envVarFor,
  keyEnvVar,
  tableEnvVar,
  topicEnvVar,
  type BucketId,
  type KeyId,
  type ResourceId,
  type TableId,
  type TopicId,
} from '../lambdas/runtime/resources';

interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
}

export interface LocalEndpoints {
  readonly dynamodb: string;
  readonly sqsS3: string;
  readonly kms: string;
  readonly region: string;
}

export interface ProvisionOptions {
  /** Overrides every queue's visibility timeout (seconds), so tests can watch retries and redrive without waiting minutes. */
  readonly visibilityTimeoutSeconds?: number;
  readonly namePrefix?: string;
}

export interface ProvisionedResources {
  /** Environment variables the handlers read: table names, queue URLs, bucket names, key ids. */
  readonly env: Record<string, string>;
  readonly queues: Record<string, { url: string; arn: string }>;
  readonly tables: Record<string, string>;
  readonly buckets: Record<string, string>;
  readonly keys: Record<string, string>;
  /** Topic id → ARN. */
  readonly topics: Record<string, string>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

function tagOf(resource: CfnResource): string | undefined {
  const tagLists: Array<Array<{ Key: string; Value: string }>> = [];
  const props = resource.Properties ?? {};
  if (Array.isArray(props.Tags)) tagLists.push(props.Tags);
  for (const replica of props.Replicas ?? []) if (Array.isArray(replica.Tags)) tagLists.push(replica.Tags);
  for (const tags of tagLists) {
    const found = tags.find((t) => t.Key === RESOURCE_TAG);
    if (found) return found.Value;
  }
  return undefined;
}

export async function provisionFromTemplate(
  template: Record<string, unknown>,
  endpoints: LocalEndpoints,
  options: ProvisionOptions = {},
): Promise<ProvisionedResources> {
  const prefix = options.namePrefix ?? 'fmn-local';
  const resources = (template.Resources ?? {}) as Record<string, CfnResource>;
  const tagged = Object.entries(resources)
    .map(([logicalId, resource]) => ({ logicalId, resource, id: tagOf(resource) }))
    .filter((r): r is { logicalId: string; resource: CfnResource; id: string } => r.id !== undefined);

  const config = { region: endpoints.region, credentials };
  const kms = new KMSClient({ ...config, endpoint: endpoints.kms });
  const dynamodb = new DynamoDBClient({ ...config, endpoint: endpoints.dynamodb });
  const sqs = new SQSClient({ ...config, endpoint: endpoints.sqsS3 });
  const s3 = new S3Client({ ...config, endpoint: endpoints.sqsS3, forcePathStyle: true });
  // fauxqs serves SNS on the same endpoint as SQS and S3.
  const sns = new SNSClient({ ...config, endpoint: endpoints.sqsS3 });

  const out: ProvisionedResources = { env: {}, queues: {}, tables: {}, buckets: {}, keys: {}, topics: {} };
  try {
    for (const { id, resource } of tagged.filter((r) => r.resource.Type === 'AWS::KMS::Key')) {
      const keyId = await ensureKey(kms, `alias/${prefix}/${id}`, resource.Properties ?? {});
      out.keys[id] = keyId;
      out.env[keyEnvVar(id as KeyId)] = keyId;
    }
    for (const { id, resource } of tagged.filter((r) => /^AWS::DynamoDB::(Global)?Table$/.test(r.resource.Type))) {
      const name = `${prefix}-${id}`;
      await ensureTable(dynamodb, name, resource.Properties ?? {});
      out.tables[id] = name;
      out.env[tableEnvVar(id as TableId)] = name;
    }
    // Dead-letter queues first, so redrive policies can point at them.
    const queues = tagged.filter((r) => r.resource.Type === 'AWS::SQS::Queue');
    const arnsByLogicalId = new Map<string, string>();
    const ordered = [...queues].sort((a, b) => Number(!!a.resource.Properties?.RedrivePolicy) - Number(!!b.resource.Properties?.RedrivePolicy));
    for (const { id, logicalId, resource } of ordered) {
      const props = resource.Properties ?? {};
      const attributes: Record<string, string> = {};
      const visibility = options.visibilityTimeoutSeconds ?? props.VisibilityTimeout;
      if (visibility !== undefined) attributes.VisibilityTimeout = String(visibility);
      if (props.MessageRetentionPeriod !== undefined) attributes.MessageRetentionPeriod = String(props.MessageRetentionPeriod);
      if (props.ReceiveMessageWaitTimeSeconds !== undefined) attributes.ReceiveMessageWaitTimeSeconds = String(props.ReceiveMessageWaitTimeSeconds);
      if (props.RedrivePolicy) {
        const target = props.RedrivePolicy.deadLetterTargetArn;
        const targetLogicalId = target?.['Fn::GetAtt']?.[0] as string | undefined;
        const arn = targetLogicalId ? arnsByLogicalId.get(targetLogicalId) : undefined;
        if (!arn) throw new Error(`queue ${id}: its dead-letter queue is not in the template`);
        attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: props.RedrivePolicy.maxReceiveCount });
      }
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${id}`, Attributes: attributes }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      arnsByLogicalId.set(logicalId, Attributes!.QueueArn!);
      out.queues[id] = { url: QueueUrl!, arn: Attributes!.QueueArn! };
      out.env[envVarFor('queue', id as ResourceId)] = QueueUrl!;
    }
    // Topics, then their SQS subscriptions with the template's raw delivery and filter policy: the recipient fan-out runs
    // locally as deployed. (A subscription's own RedrivePolicy is left out: fauxqs keeps it but never redrives.)
    const topicArnsByLogicalId = new Map<string, string>();
    for (const { id, logicalId } of tagged.filter((r) => r.resource.Type === 'AWS::SNS::Topic')) {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `${prefix}-${id}` }));
      topicArnsByLogicalId.set(logicalId, TopicArn!);
      out.topics[id] = TopicArn!;
      out.env[topicEnvVar(id as TopicId)] = TopicArn!;
    }
    for (const subscription of Object.values(resources).filter((r) => r.Type === 'AWS::SNS::Subscription')) {
      const props = subscription.Properties ?? {};
      const topicArn = topicArnsByLogicalId.get(props.TopicArn?.Ref);
      if (!topicArn || props.Protocol !== 'sqs') continue; // e.g. the alarm topic's email subscriptions
      const queueArn = arnsByLogicalId.get(props.Endpoint?.['Fn::GetAtt']?.[0]);
      if (!queueArn) throw new Error(`a subscription of ${topicArn}: its queue is not in the template`);
      const attributes: Record<string, string> = {};
      if (props.RawMessageDelivery !== undefined) attributes.RawMessageDelivery = String(props.RawMessageDelivery);
      if (props.FilterPolicy !== undefined) attributes.FilterPolicy = JSON.stringify(props.FilterPolicy);
      if (props.FilterPolicyScope !== undefined) attributes.FilterPolicyScope = String(props.FilterPolicyScope);
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: attributes }));
    }
    for (const { id } of tagged.filter((r) => r.resource.Type === 'AWS::S3::Bucket')) {
      const name = `${prefix}-${id}`.toLowerCase();
      try {
        await s3.send(new HeadBucketCommand({ Bucket: name }));
      } catch {
        await s3.send(new CreateBucketCommand({ Bucket: name }));
      }
      out.buckets[id] = name;
      out.env[bucketEnvVar(id as BucketId)] = name;
    }
  } finally {
    kms.destroy();
    dynamodb.destroy();
    sqs.destroy();
    s3.destroy();
    sns.destroy();
  }
  return out;
}

async function ensureKey(kms: KMSClient, alias: string, props: Record<string, any>): Promise<string> {
  try {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: alias }));
    return KeyMetadata!.Arn!;
  } catch (error) {
    if ((error as Error).name !== 'NotFoundException') throw error;
  }
  const { KeyMetadata } = await kms.send(
    new CreateKeyCommand({
      KeySpec: (props.KeySpec as KeySpec | undefined) ?? 'SYMMETRIC_DEFAULT',
      KeyUsage: (props.KeyUsage as KeyUsageType | undefined) ?? 'ENCRYPT_DECRYPT',
      Description: typeof props.Description === 'string' ? props.Description : alias,
    }),
  );
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: KeyMetadata!.KeyId! }));
  return KeyMetadata!.Arn!;
}

async function ensureTable(dynamodb: DynamoDBClient, name: string, props: Record<string, any>): Promise<void> {
  try {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    await addMissingIndexes(dynamodb, name, props, new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const input: CreateTableCommandInput = {
    TableName: name,
    KeySchema: props.KeySchema,
    AttributeDefinitions: props.AttributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
    ...(props.GlobalSecondaryIndexes?.length
      ? {
          GlobalSecondaryIndexes: props.GlobalSecondaryIndexes.map((index: any) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection ?? { ProjectionType: 'ALL' },
          })),
        }
      : {}),
    ...(props.LocalSecondaryIndexes?.length ? { LocalSecondaryIndexes: props.LocalSecondaryIndexes } : {}),
    ...(props.StreamSpecification?.StreamViewType
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: props.StreamSpecification.StreamViewType } }
      : {}),
  };
  await dynamodb.send(new CreateTableCommand(input));
  const ttl = props.TimeToLiveSpecification;
  if (ttl?.AttributeName && ttl.Enabled !== false) {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true } }),
    );
  }
}

/**
 * A persisted `.local/` state keeps the tables of the version that created them. When a later version declares a new global
 * secondary index (the recipients' outbox added `consent.byOutbox`), queries on it would fail with "index not found" until
 * the state was deleted by hand, losing the developer's data. Indexes are added one at a time, as DynamoDB requires; an
 * index whose key schema changed is not rebuilt here (that is a migration, see the README).
 */
async function addMissingIndexes(dynamodb: DynamoDBClient, name: string, props: Record<string, any>, present: Set<string | undefined>): Promise<void> {
  for (const index of (props.GlobalSecondaryIndexes ?? []) as any[]) {
    if (present.has(index.IndexName)) continue;
    const keyNames = new Set((index.KeySchema as { AttributeName: string }[]).map((key) => key.AttributeName));
    await dynamodb.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: (props.AttributeDefinitions as { AttributeName: string }[]).filter((a) => keyNames.has(a.AttributeName)) as any,
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection ?? { ProjectionType: 'ALL' } } },
        ],
      }),
    );
    await waitForIndex(dynamodb, name, index.IndexName);
  }
}

async function waitForIndex(dynamodb: DynamoDBClient, name: string, indexName: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    const status = Table?.GlobalSecondaryIndexes?.find((index) => index.IndexName === indexName)?.IndexStatus;
    if (status === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`local table ${name}: index ${indexName} did not become active`);
}
