/**
 * Where a command acts: `--local` (the cloud `npm start` runs) or an AWS account, whose resource names come from the
 * deployed stateful stack's outputs (`--stage`, `--stack`, or a named environment of fmn.config.json), or else from the
 * environment variables lambdas/runtime/resources.ts names.
 *
 * It works by setting the same environment variables the Lambda functions read, before the command loads any adapter:
 * the handlers' own code then runs unchanged from the operator's machine. Call {@link useTarget} at the start of an
 * action, then `await import(...)` what talks to AWS.
 *
 * Precedence on AWS, each setting on its own: a flag (`--profile`, `--region`, `--stack`, `--stage`), then the named
 * environment (`--env` or FMN_ENV, from fmn.config.json or FMN_CONFIG), then the SDK's own environment (AWS_PROFILE,
 * AWS_REGION). When a stack is named (by flag or environment), every resource name comes from its outputs and exported
 * names are ignored; with no stack, exported names are used. `--local` ignores all of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import {
  BUCKET_IDS,
  KEY_IDS,
  QUEUE_IDS,
  TABLE_IDS,
  bucketEnvVar,
  keyEnvVar,
  queueEnvVar,
  tableEnvVar,
  type BucketId,
  type KeyId,
  type QueueId,
  type TableId,
} from '../lambdas/runtime/resources';
import { INDEX_SHARDS_ENV, LOCAL_INDEX_SHARDS } from '../lambdas/runtime/index-shards';
import { nameResourcesOnSharedClients } from './aws-errors';
import { CommandFailedError, ConfigError, UsageError } from './command';

export interface TargetOptions {
  readonly local?: boolean;
  readonly profile?: string;
  readonly region?: string;
  /** A deployed stage: its stateful stack is `FmnStateful-<stage>`. */
  readonly stage?: string;
  /** An explicit stateful stack name. */
  readonly stack?: string;
  /** A named environment of the config file. */
  readonly env?: string;
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
  /** The stage the target says it is (from `--stage`, the environment, or the stack's `fmn:stage` tag), if known. */
  readonly stage?: string;
  /** The stateful stack the names came from, if any. */
  readonly stack?: string;
}

/** The names and ports `npm start` uses (local/provision.ts names resources `fmn-local-<id>`; local/start.ts's ports). */
export const LOCAL_PREFIX = 'fmn-local';
export const LOCAL_DEFAULT_PORTS = { DYNAMODB_PORT: 8000, SQS_S3_PORT: 4566, KMS_PORT: 4599 } as const;
export const LOCAL_REGION = 'eu-west-1';

export const localTableName = (id: TableId) => `${LOCAL_PREFIX}-${id}`;
export const localKeyId = (id: KeyId) => `alias/${LOCAL_PREFIX}/${id}`;
export const localQueueName = (id: QueueId) => `${LOCAL_PREFIX}-${id}`;
export const localBucketName = (id: BucketId) => `${LOCAL_PREFIX}-${id}`.toLowerCase();

/** Every resource variable the stateful stack outputs (and the handlers read). */
export const RESOURCE_ENV_VARS: readonly string[] = [
  ...TABLE_IDS.map(tableEnvVar),
  ...KEY_IDS.map(keyEnvVar),
  ...QUEUE_IDS.map(queueEnvVar),
  ...BUCKET_IDS.map(bucketEnvVar),
];

/** The stateful stack's name for a stage (lib/stateful-stack.ts `statefulStackName`; a unit test keeps them equal). */
export const statefulStackFor = (stage: string) => `FmnStateful-${stage}`;

/** What the SDK edge of target resolution does; tests replace it. */
export interface TargetDeps {
  /** Fails with {@link ConfigError} when no region or no credentials can be found for the settings in `process.env`. */
  readonly checkAwsAccess: (profile: string | undefined) => Promise<void>;
  /** The stack's outputs (key → value) and tags, or undefined when there is no such stack. */
  readonly describeStack: (stackName: string) => Promise<{ outputs: Record<string, string>; tags: Record<string, string> } | undefined>;
  /** The stages `--stage` accepts (lib/config.ts STAGES). */
  readonly stages: () => Promise<readonly string[]>;
}

/** The endpoint of a local service: AWS_ENDPOINT_URL_<SERVICE> if set (the tests set it), else 127.0.0.1 and its port. */
function localEndpoint(env: NodeJS.ProcessEnv, service: 'DYNAMODB' | 'KMS' | 'SQS' | 'S3', portVar: keyof typeof LOCAL_DEFAULT_PORTS): string {
  const port = env[portVar] || String(LOCAL_DEFAULT_PORTS[portVar]);
  return env[`AWS_ENDPOINT_URL_${service}`] || `http://127.0.0.1:${port}`;
}

/**
 * Sets the environment for the target and checks that what the command needs is named. Throws {@link UsageError} (exit 2)
 * for contradictory options, {@link ConfigError} (exit 2) for a missing region, credentials, profile, stage or stack; on
 * AWS, credentials come from the SDK's usual chain (`--profile` sets AWS_PROFILE).
 */
export async function useTarget(
  options: TargetOptions,
  needs: TargetNeeds,
  env: NodeJS.ProcessEnv = process.env,
  deps: TargetDeps = awsTargetDeps,
): Promise<Target> {
  const awsFlags = (['profile', 'region', 'stage', 'stack', 'env'] as const).filter((f) => options[f] !== undefined);
  if (options.local && awsFlags.length > 0) {
    throw new UsageError(`--local cannot be combined with ${awsFlags.map((f) => `--${f}`).join(', ')}`);
  }
  if (options.local) {
    useLocal(env);
    if (needs.queues?.length) await resolveLocalQueues(env, needs.queues);
    if (env === process.env) await nameResourcesOnSharedClients();
    return { kind: 'local', description: 'local cloud', stage: 'local' };
  }
  if (options.stage !== undefined && options.stack !== undefined) throw new UsageError('--stage and --stack name the same thing: give one');

  const named = namedEnvironment(options.env ?? env.FMN_ENV, env);
  const profile = options.profile ?? named?.profile;
  const region = options.region ?? named?.region;
  if (profile !== undefined) {
    if (!profileExists(profile, env)) throw new ConfigError(`unknown AWS profile '${profile}' (not in ${awsConfigFiles(env).join(' or ')})`);
    env.AWS_PROFILE = profile;
  }
  if (region !== undefined) env.AWS_REGION = region;
  // An explicit stack wins over a stage, and a flag over the named environment.
  const stage = options.stack !== undefined ? undefined : options.stage ?? (named?.stack === undefined ? named?.stage : undefined);
  if (stage !== undefined) {
    const stages = await deps.stages();
    if (!stages.includes(stage)) throw new ConfigError(`unknown stage '${stage}': one of ${stages.join(', ')}`);
  }
  const stack = options.stack ?? (stage !== undefined ? statefulStackFor(stage) : named?.stack);
  await deps.checkAwsAccess(env.AWS_PROFILE);

  let stackStage: string | undefined;
  if (stack !== undefined) {
    const described = await deps.describeStack(stack);
    if (!described) throw new ConfigError(`no stack '${stack}' in ${env.AWS_REGION ?? 'the profile\'s region'}: is it deployed there (or is it another region)?`);
    // The stack names everything: exported names (perhaps another environment's) must not mix in.
    for (const name of RESOURCE_ENV_VARS) {
      const value = described.outputs[name.replace(/_/g, '')];
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    // The stage's shard count of the index keys (an older stack has no such output: the functions' default then).
    const shards = described.outputs[INDEX_SHARDS_ENV.replace(/_/g, '')];
    if (shards === undefined) delete env[INDEX_SHARDS_ENV];
    else env[INDEX_SHARDS_ENV] = shards;
    stackStage = described.tags['fmn:stage'];
  } else if (env.RIGHTS_REQUEST_DLQ_URL) {
    // The name scripts/dlq.ts documented before resources.ts named every queue's variable.
    env[queueEnvVar('rightsRequestDlq')] ??= env.RIGHTS_REQUEST_DLQ_URL;
  }
  const missing = [
    ...(needs.tables ?? []).map(tableEnvVar),
    ...(needs.keys ?? []).map(keyEnvVar),
    ...(needs.queues ?? []).map(queueEnvVar),
    ...(needs.buckets ?? []).map(bucketEnvVar),
  ].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new ConfigError(
      stack !== undefined
        ? `stack '${stack}' has no output for ${missing.join(', ')}: deploy the current stateful stack`
        : `no target: pass --stage <stage> (or --stack <name>, or --env <name> from fmn.config.json), set ${missing.join(', ')}, or use --local`,
    );
  }
  // Only once the environment is final: the shared clients read it when their modules load.
  if (env === process.env) await nameResourcesOnSharedClients();
  const where = [env.AWS_PROFILE, env.AWS_REGION, stack].filter(Boolean);
  return { kind: 'aws', description: `AWS${where.length ? ` (${where.join(', ')})` : ''}`, stage: stackStage ?? stage ?? named?.stage, stack };
}

/** What `npm start` provisions: every table and key by its local name, endpoints, region and dummy credentials. */
function useLocal(env: NodeJS.ProcessEnv): void {
  // Exported AWS names (of a real environment) never leak into a local run: every name is the local one.
  for (const name of RESOURCE_ENV_VARS) delete env[name];
  delete env.RIGHTS_REQUEST_DLQ_URL;
  for (const id of TABLE_IDS) env[tableEnvVar(id)] = localTableName(id);
  env[INDEX_SHARDS_ENV] = process.env[INDEX_SHARDS_ENV] || String(LOCAL_INDEX_SHARDS);
  for (const id of KEY_IDS) env[keyEnvVar(id)] = localKeyId(id);
  env[bucketEnvVar('exports')] = localBucketName('exports');
  env.AWS_ENDPOINT_URL_DYNAMODB = localEndpoint(env, 'DYNAMODB', 'DYNAMODB_PORT');
  env.AWS_ENDPOINT_URL_KMS = localEndpoint(env, 'KMS', 'KMS_PORT');
  env.AWS_ENDPOINT_URL_SQS = localEndpoint(env, 'SQS', 'SQS_S3_PORT');
  env.AWS_ENDPOINT_URL_S3 = localEndpoint(env, 'S3', 'SQS_S3_PORT');
  env.AWS_REGION = LOCAL_REGION;
  // The local services check no signatures; dummy keys keep the SDK from looking for real ones (or sending them).
  env.AWS_ACCESS_KEY_ID = 'local';
  env.AWS_SECRET_ACCESS_KEY = 'local';
  delete env.AWS_SESSION_TOKEN;
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

// --- named environments -----------------------------------------------------------------------------------------------

const environmentSchema = z.strictObject({
  profile: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  stage: z.string().min(1).optional(),
  stack: z.string().min(1).optional(),
});
const configSchema = z.strictObject({ environments: z.record(z.string(), environmentSchema) });
export type NamedEnvironment = z.infer<typeof environmentSchema>;

/** FMN_CONFIG, else ./fmn.config.json, else ~/.config/fmn/config.json; undefined when none exists. */
export function configFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.FMN_CONFIG) return env.FMN_CONFIG;
  return [join(process.cwd(), 'fmn.config.json'), join(env.HOME ?? homedir(), '.config', 'fmn', 'config.json')].find((f) => existsSync(f));
}

/** The named environment `name` of the config file (profile, region, stage or stack); undefined when no name is given. */
export function namedEnvironment(name: string | undefined, env: NodeJS.ProcessEnv = process.env): NamedEnvironment | undefined {
  if (name === undefined) return undefined;
  const file = configFile(env);
  if (!file) throw new ConfigError(`unknown environment '${name}': no fmn.config.json (or FMN_CONFIG) defines environments`);
  let parsed: z.infer<typeof configSchema>;
  try {
    parsed = configSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    const issue = error instanceof z.ZodError ? error.issues[0] : undefined;
    throw new ConfigError(`${file} is not a valid fmn config${issue ? ` (${issue.path.join('.')}: ${issue.message})` : ''}`);
  }
  const found = parsed.environments[name];
  if (!found) throw new ConfigError(`unknown environment '${name}' in ${file}: one of ${Object.keys(parsed.environments).join(', ') || '(none)'}`);
  return found;
}

// --- the SDK edge -------------------------------------------------------------------------------------------------------

/** The shared AWS config and credentials files the SDK reads. */
function awsConfigFiles(env: NodeJS.ProcessEnv): [string, string] {
  const home = env.HOME ?? homedir();
  return [env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'), env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials')];
}

/** Whether a profile is defined: `[profile name]` (or `[default]`) in the config file, or `[name]` in the credentials file. */
export function profileExists(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const [config, credentials] = awsConfigFiles(env);
  const sections = (file: string) => {
    try {
      return [...readFileSync(file, 'utf8').matchAll(/^\s*\[\s*([^\]]+?)\s*\]/gm)].map((m) => m[1]!.replace(/\s+/g, ' '));
    } catch {
      return [];
    }
  };
  return sections(config).includes(name === 'default' ? 'default' : `profile ${name}`) || sections(credentials).includes(name);
}

export const awsTargetDeps: TargetDeps = {
  async checkAwsAccess(profile) {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const client = new DynamoDBClient({});
    try {
      try {
        await client.config.region();
      } catch {
        throw new ConfigError(`no AWS region: pass --region, set AWS_REGION, or give the profile${profile ? ` '${profile}'` : ''} a region`);
      }
      try {
        await client.config.credentials();
      } catch {
        throw new ConfigError(
          profile
            ? `no AWS credentials for profile '${profile}' (expired SSO session? try \`aws sso login --profile ${profile}\`)`
            : 'no AWS credentials: pass --profile, or set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
        );
      }
    } finally {
      client.destroy();
    }
  },
  async describeStack(stackName) {
    const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
    const cfn = new CloudFormationClient({});
    try {
      const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
      const stack = Stacks[0];
      if (!stack) return undefined;
      return {
        outputs: Object.fromEntries((stack.Outputs ?? []).filter((o) => o.OutputKey && o.OutputValue).map((o) => [o.OutputKey!, o.OutputValue!])),
        tags: Object.fromEntries((stack.Tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? ''])),
      };
    } catch (error) {
      // CloudFormation answers a missing stack with a ValidationError "Stack with id … does not exist".
      if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) return undefined;
      throw error;
    } finally {
      cfn.destroy();
    }
  },
  async stages() {
    return (await import('../lib/config')).STAGES;
  },
};
