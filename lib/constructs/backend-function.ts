import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_BUNDLING } from './function-bundling';
import { acknowledgeCompliance, acknowledgeWildcardActions } from './nag';

/** Repository root: `lib/constructs/` → `../..`. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const HANDLERS_DIR = join(PROJECT_ROOT, 'lambdas', 'handlers');

/** The runtime every function deploys on; bundles target node20 so the same code also runs on the local Node.js 20. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_22_X;

export interface BackendFunctionProps {
  /** Handler module under `lambdas/handlers/`, without extension; it must export `handler`. */
  readonly handler: string;
  /**
   * A handler file outside `lambdas/handlers/` (absolute path), for code that is not the backend's own: the example
   * recipient service (`examples/app-service/handler.ts`). @default lambdas/handlers/<handler>.ts
   */
  readonly entry?: string;
  readonly description?: string;
  /** Stage name, exposed as `STAGE`. */
  readonly stage: string;
  /** Browser origins the function may echo in CORS headers, exposed as `CORS_ALLOWED_ORIGINS`. @default - none */
  readonly corsOrigins?: readonly string[];
  /** Key that encrypts the function's log group. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the log group. */
  readonly removalPolicy: RemovalPolicy;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** X-Ray active tracing. @default false */
  readonly tracing?: boolean;
  /** Extra environment; store and key variables are set by the bind helpers, not here. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** Repository files copied into the asset at the same path (see `bundledFiles` in route-definition.ts). */
  readonly bundledFiles?: readonly string[];
  readonly invocation: FunctionInvocation;
  readonly concurrency: FunctionConcurrency;
}

/**
 * How the function is invoked. Lambda retries an asynchronous invocation (EventBridge) twice and then drops the event
 * unless the function has a dead-letter queue, so one is required. A synchronous caller (API Gateway, the authorizer, an
 * SQS event source mapping, whose failures go to the queue's own redrive DLQ) sees every error itself; a function DLQ
 * would never receive anything.
 */
export type FunctionInvocation =
  | { readonly mode: 'synchronous'; /** Who calls, for the acknowledgement: "API Gateway". */ readonly caller: string }
  | { readonly mode: 'asynchronous'; readonly deadLetterQueue: sqs.IQueue };

/** A reserved concurrency (a cap and a reservation), or what bounds the function's concurrency instead. */
export type FunctionConcurrency = { readonly reserved: number } | { readonly boundedBy: string };

/**
 * A Lambda function with the house defaults set once: Node.js 22 on arm64, esbuild (local, never Docker) targeting node20,
 * minified with source maps, its own KMS-encrypted log group with a retention period, and a role that can write to that
 * log group and nothing else until a bind helper grants it a store. No managed policies. Callers say how it is invoked
 * (an asynchronous one gets a dead-letter queue) and what bounds its concurrency (a reservation or, acknowledged, another
 * limit); both answers satisfy or acknowledge the matching compliance-pack rules here, once for every function.
 */
export class BackendFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BackendFunctionProps) {
    super(scope, id);
    const entry = props.entry ?? join(HANDLERS_DIR, `${props.handler}.ts`);
    if (!existsSync(entry)) throw new Error(`${this.node.path}: handler file ${entry} does not exist`);
    assertLocalEsbuild();

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: props.removalPolicy,
    });
    // A role of our own instead of the default one with the AWSLambdaBasicExecutionRole managed policy: it may write to
    // this function's log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'forget-me-not',
        STAGE: props.stage,
        CORS_ALLOWED_ORIGINS: (props.corsOrigins ?? []).join(','),
        ...props.environment,
      },
      deadLetterQueue: props.invocation.mode === 'asynchronous' ? props.invocation.deadLetterQueue : undefined,
      reservedConcurrentExecutions: 'reserved' in props.concurrency ? props.concurrency.reserved : undefined,
      bundling: {
        forceDockerBundling: false,
        target: FUNCTION_BUNDLING.target,
        format: FUNCTION_BUNDLING.format === 'cjs' ? nodejs.OutputFormat.CJS : nodejs.OutputFormat.ESM,
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourceMap,
        sourcesContent: FUNCTION_BUNDLING.sourcesContent,
        externalModules: [...FUNCTION_BUNDLING.externalModules],
        logLevel: nodejs.LogLevel.WARNING,
        // Files the handler reads at run time (a route's `bundledFiles`), at their repository path beside index.js.
        ...(props.bundledFiles?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  props.bundledFiles!.map((file) => `mkdir -p "${join(outputDir, dirname(file))}" && cp "${join(inputDir, file)}" "${join(outputDir, file)}"`),
              },
            }
          : {}),
      },
    });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        `Pinned to ${FUNCTION_RUNTIME.name} on purpose: bundles target node20 so the same code also runs on the ` +
        'Node.js 20 toolchain used locally and in CI; move with TOOLCHAIN.md, not with each new Lambda runtime.',
    });
    if (props.invocation.mode === 'synchronous') {
      acknowledgeCompliance(
        this.function,
        'LambdaDLQ',
        `Invoked synchronously only (${props.invocation.caller}): the caller sees every error, so a dead-letter queue, ` +
          'which Lambda uses for asynchronous invocations, would never receive anything.',
        ['HIPAA.Security', 'NIST.800.53.R5'],
      );
    }
    if (props.invocation.mode === 'asynchronous') {
      // CDK grants only sqs:SendMessage for a function's DLQ; Lambda sends as this role, and an SSE-KMS queue also needs the
      // key, or every failed event would be lost to a KMS AccessDenied (visible only as the DeadLetterErrors metric).
      props.invocation.deadLetterQueue.grantSendMessages(this.role);
    }
    if (props.invocation.mode === 'asynchronous' && props.invocation.deadLetterQueue.encryptionMasterKey) {
      acknowledgeWildcardActions(
        this,
        ['kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        'CDK grant that lets Lambda put failed asynchronous events on the dead-letter queue, which SQS encrypts with its key.',
      );
    }
    if ('boundedBy' in props.concurrency) {
      acknowledgeCompliance(this.function, 'LambdaConcurrency', props.concurrency.boundedBy, ['HIPAA.Security', 'NIST.800.53.R5']);
    }
    acknowledgeCompliance(
      this.function,
      'LambdaInsideVPC',
      'Reaches only AWS public endpoints (DynamoDB, KMS, SQS, S3, CloudWatch) over TLS with SigV4 and its own least-privilege ' +
        'role, and no resource of this app lives in a VPC: a VPC would add NAT or endpoint cost and cold-start latency ' +
        'without narrowing what the function can reach (that is the role, and the data is encrypted per subject).',
    );
    acknowledgeCompliance(
      this.role,
      'IAMNoInlinePolicy',
      "The role's only policy is the one CDK writes from grant* calls (bindings.ts): scoped to this function's declared " +
        'stores and keys, attached to this role alone. A customer-managed policy per function would be the same statements ' +
        'in a shareable wrapper; a shared one would widen every function to the union of their needs.',
    );
    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions; CDK adds them for active tracing.',
      });
    }
  }

  /** Sets an environment variable (the bind helpers pair each one with a grant). */
  addEnvironment(name: string, value: string): void {
    this.function.addEnvironment(name, value);
  }
}

let esbuildChecked = false;

/** NodejsFunction silently falls back to Docker when it cannot find esbuild; this machine has no Docker, so say so early. */
function assertLocalEsbuild(): void {
  if (esbuildChecked) return;
  try {
    require.resolve('esbuild/package.json', { paths: [PROJECT_ROOT] });
    esbuildChecked = true;
  } catch {
    throw new Error('esbuild is not installed (npm ci): functions are bundled locally with esbuild, never in Docker');
  }
}
