/**
 * Where a command acts: `--local` (the cloud `npm start` runs) or an AWS account (`--profile`, `--region`, and the resource
 * names the stateful stack outputs, in the environment variables lambdas/shared/resources.ts names).
 *
 * It works by setting the same environment variables the Lambda functions read, before the command loads any adapter:
 * the handlers' own code then runs unchanged from the operator's machine. Call {@link useTarget} at the start of an
 * action, then `await import(...)` what talks to AWS.
 */
import { KEY_IDS, TABLE_IDS, bucketEnvVar, keyEnvVar, queueEnvVar, tableEnvVar, type BucketId, type KeyId, type QueueId, type TableId } from '../lambdas/shared/resources';
import { CommandFailedError, UsageError } from './command';

export interface TargetOptions {
  readonly local?: boolean;
  readonly profile?: string;
  readonly region?: string;
}

/** The resources a command needs; only these are required (and looked up) for it. */
export interface TargetNeeds {
  readonly tables?: readonly TableId[];
  readonly keys?: readonly KeyId[];
  readonly queues?: readonly QueueId[];
  readonly buckets?: readonly BucketId[];
}

export interface Target {
  readonly kind: 'local' | 'aws';
  /** For messages: `local cloud` or `AWS (profile x, region y)`. */
  readonly description: string;
}

/** The names and ports `npm start` uses (local/provision.ts names resources `fmn-local-<id>`; local/start.ts's ports). */
export const LOCAL_PREFIX = 'fmn-local';
export const LOCAL_DEFAULT_PORTS = { DYNAMODB_PORT: 8000, SQS_S3_PORT: 4566, KMS_PORT: 4599 } as const;
export const LOCAL_REGION = 'eu-west-1';

export const localTableName = (id: TableId) => `${LOCAL_PREFIX}-${id}`;
export const localKeyId = (id: KeyId) => `alias/${LOCAL_PREFIX}/${id}`;
export const localQueueName = (id: QueueId) => `${LOCAL_PREFIX}-${id}`;
export const localBucketName = (id: BucketId) => `${LOCAL_PREFIX}-${id}`.toLowerCase();

/** The endpoint of a local service: AWS_ENDPOINT_URL_<SERVICE> if set (the tests set it), else 127.0.0.1 and its port. */
function localEndpoint(env: NodeJS.ProcessEnv, service: 'DYNAMODB' | 'KMS' | 'SQS' | 'S3', portVar: keyof typeof LOCAL_DEFAULT_PORTS): string {
  const port = env[portVar] || String(LOCAL_DEFAULT_PORTS[portVar]);
  return env[`AWS_ENDPOINT_URL_${service}`] || `http://127.0.0.1:${port}`;
}

/**
 * Sets the environment for the target and checks that what the command needs is named. Throws {@link UsageError} (exit 2)
 * for contradictory options or missing settings; on AWS, credentials come from the SDK's usual chain (`--profile` sets
 * AWS_PROFILE).
 */
export async function useTarget(options: TargetOptions, needs: TargetNeeds, env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  if (options.local && (options.profile !== undefined || options.region !== undefined)) {
    throw new UsageError('--local cannot be combined with --profile or --region');
  }
  if (options.local) {
    useLocal(env);
    if (needs.queues?.length) await resolveLocalQueues(env, needs.queues);
    return { kind: 'local', description: 'local cloud' };
  }
  if (options.profile !== undefined) env.AWS_PROFILE = options.profile;
  if (options.region !== undefined) env.AWS_REGION = options.region;
  // The name scripts/dlq.ts documented before resources.ts named every queue's variable.
  if (env.RIGHTS_REQUEST_DLQ_URL) env[queueEnvVar('rightsRequestDlq')] ??= env.RIGHTS_REQUEST_DLQ_URL;
  const missing = [
    ...(needs.tables ?? []).map(tableEnvVar),
    ...(needs.keys ?? []).map(keyEnvVar),
    ...(needs.queues ?? []).map(queueEnvVar),
    ...(needs.buckets ?? []).map(bucketEnvVar),
  ].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new UsageError(`set ${missing.join(', ')} (the stateful stack's outputs), or use --local`);
  }
  const where = [options.profile ?? env.AWS_PROFILE, options.region ?? env.AWS_REGION].filter(Boolean);
  return { kind: 'aws', description: `AWS${where.length ? ` (${where.join(', ')})` : ''}` };
}

/** What `npm start` provisions: every table and key by its local name, endpoints, region and dummy credentials. */
function useLocal(env: NodeJS.ProcessEnv): void {
  for (const id of TABLE_IDS) env[tableEnvVar(id)] ??= localTableName(id);
  for (const id of KEY_IDS) env[keyEnvVar(id)] ??= localKeyId(id);
  env[bucketEnvVar('exports')] ??= localBucketName('exports');
  env.AWS_ENDPOINT_URL_DYNAMODB = localEndpoint(env, 'DYNAMODB', 'DYNAMODB_PORT');
  env.AWS_ENDPOINT_URL_KMS = localEndpoint(env, 'KMS', 'KMS_PORT');
  env.AWS_ENDPOINT_URL_SQS = localEndpoint(env, 'SQS', 'SQS_S3_PORT');
  env.AWS_ENDPOINT_URL_S3 = localEndpoint(env, 'S3', 'SQS_S3_PORT');
  env.AWS_REGION ??= LOCAL_REGION;
  // The local services check no signatures; dummy keys keep the SDK from looking for real ones (or using them).
  env.AWS_ACCESS_KEY_ID ??= 'local';
  env.AWS_SECRET_ACCESS_KEY ??= 'local';
  delete env.AWS_PROFILE;
}

/** Queue URLs depend on the local SQS's host and port, so they are asked for rather than built. */
async function resolveLocalQueues(env: NodeJS.ProcessEnv, queues: readonly QueueId[]): Promise<void> {
  const { GetQueueUrlCommand, SQSClient } = await import('@aws-sdk/client-sqs');
  const sqs = new SQSClient({ endpoint: env.AWS_ENDPOINT_URL_SQS, region: env.AWS_REGION });
  try {
    for (const id of queues) {
      if (env[queueEnvVar(id)]) continue;
      try {
        env[queueEnvVar(id)] = (await sqs.send(new GetQueueUrlCommand({ QueueName: localQueueName(id) }))).QueueUrl;
      } catch (error) {
        throw new LocalCloudUnreachableError(env.AWS_ENDPOINT_URL_SQS!, error);
      }
    }
  } finally {
    sqs.destroy();
  }
}

/** The local cloud is not running (or not where the ports say): one sentence, exit 1. */
export class LocalCloudUnreachableError extends CommandFailedError {
  constructor(endpoint: string, cause: unknown) {
    super(`the local cloud does not answer at ${endpoint}: is \`npm start\` running (and its ports in DYNAMODB_PORT, SQS_S3_PORT, KMS_PORT)?`, { cause });
  }
}
