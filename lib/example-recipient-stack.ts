/**
 * The example recipient (issue 14, item 7): the app's own service beside this backend, declared as the `app-service`
 * recipient. A Lambda function consumes its recipient queue, keeps its records in a table of its own under a key of its
 * own, and acknowledges erasures and exports through the ack route. Built only with `-c exampleRecipient=true`, as a stack
 * of its own (`FmnExampleRecipient-<stage>`): it stands for code that lives in another repository, to be copied.
 *
 * The ack secret reaches the function encrypted under the service's own key (`-c exampleRecipientSecret=<base64
 * ciphertext>`, README "The example recipient"); the function decrypts it once per cold start. Until it is given, the
 * queue's event source is created disabled, so messages wait on the queue instead of failing into its DLQ.
 */
import { Aws, Duration, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct, Node } from 'constructs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESOURCE_TAG } from '../lambdas/runtime/resources';
import { stageConfig, type Stage, type StageConfig } from './config';
import { newInProcessApp } from './in-process-app';
import { BackendFunction, PROJECT_ROOT } from './constructs/backend-function';
import { acknowledgeCompliance, acknowledgeWildcardActions, acknowledgeWildcardResource } from './constructs/nag';

/** The context switches: `-c exampleRecipient=true`, and the ack secret's ciphertext once it exists. */
export const EXAMPLE_RECIPIENT_CONTEXT = { enabled: 'exampleRecipient', secret: 'exampleRecipientSecret' } as const;

/** The resource tags the local cloud provisions the example's table and key by (as the stateful stack's). */
export const EXAMPLE_RECIPIENT_RESOURCES = { table: 'appServiceRecords', key: 'appServiceKey' } as const;

/** The environment the function reads (`examples/app-service/handler.ts`); the local cloud sets the same names. */
export const EXAMPLE_RECIPIENT_ENV = {
  table: 'APP_SERVICE_TABLE_NAME',
  apiUrl: 'FMN_API_URL',
  secretCiphertext: 'APP_SERVICE_ACK_SECRET_CIPHERTEXT',
  /** Local only: the secret in clear, derived by the local cloud as `fmn recipients secret app-service --local` does. */
  secretLocal: 'APP_SERVICE_ACK_SECRET',
} as const;

export interface ExampleRecipientSettings {
  readonly enabled: boolean;
  /** Base64 ciphertext of the ack secret under the service's key. @default - none: the event source stays disabled */
  readonly secretCiphertext?: string;
}

/** Reads the two context values; `exampleRecipient` must be a boolean (or "true"/"false"). */
export function exampleRecipientFromContext(node: Node): ExampleRecipientSettings {
  const raw = node.tryGetContext(EXAMPLE_RECIPIENT_CONTEXT.enabled);
  if (raw !== undefined && ![true, false, 'true', 'false'].includes(raw)) {
    throw new Error(`-c ${EXAMPLE_RECIPIENT_CONTEXT.enabled} must be true or false, got ${JSON.stringify(raw)}`);
  }
  const secret = node.tryGetContext(EXAMPLE_RECIPIENT_CONTEXT.secret);
  return { enabled: raw === true || raw === 'true', ...(typeof secret === 'string' && secret ? { secretCiphertext: secret } : {}) };
}

export interface ExampleRecipientStackProps extends StackProps {
  readonly config: StageConfig;
  readonly settings: ExampleRecipientSettings;
  /** The `app-service` recipient's queue (the stateful stack's), which the function consumes. */
  readonly queue: sqs.IQueue;
  /** The backend's API URL: the ack route is `<apiUrl>v1/recipients/app-service/acks`. */
  readonly apiUrl: string;
}

export const exampleRecipientStackName = (stage: Stage): string => `FmnExampleRecipient-${stage}`;

export class ExampleRecipientStack extends Stack {
  public readonly table: dynamodb.Table;
  public readonly key: kms.Key;
  public readonly worker: BackendFunction;

  constructor(scope: Construct, id: string, props: ExampleRecipientStackProps) {
    super(scope, id, props);
    const removalPolicy = props.config.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // Its own key: the backend's keys are the backend's, and this service's records are not.
    this.key = new kms.Key(this, 'Key', {
      description: `forget-me-not ${props.config.stage}: example recipient (app service) records, logs and ack secret`,
      enableKeyRotation: true,
      removalPolicy,
    });
    Tags.of(this.key).add(RESOURCE_TAG, EXAMPLE_RECIPIENT_RESOURCES.key);
    // Its function's log group is encrypted with it too (as the backend's logs key, scoped to this account's log groups).
    this.key.addToResourcePolicy(
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

    this.table = new dynamodb.Table(this, 'Records', {
      partitionKey: { name: 'subjectId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'recordId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.config.stage === 'prod',
      removalPolicy,
    });
    Tags.of(this.table).add(RESOURCE_TAG, EXAMPLE_RECIPIENT_RESOURCES.table);

    this.worker = new BackendFunction(this, 'Worker', {
      handler: 'example-recipient',
      entry: join(PROJECT_ROOT, 'examples', 'app-service', 'handler.ts'),
      description: 'Example recipient (app service): erases and exports its own records, acknowledges through the ack route.',
      stage: props.config.stage,
      logsKey: this.key,
      logRetention: logs.RetentionDays.ONE_MONTH,
      removalPolicy,
      timeout: Duration.seconds(30),
      environment: {
        [EXAMPLE_RECIPIENT_ENV.table]: this.table.tableName,
        [EXAMPLE_RECIPIENT_ENV.apiUrl]: props.apiUrl,
        ...(props.settings.secretCiphertext ? { [EXAMPLE_RECIPIENT_ENV.secretCiphertext]: props.settings.secretCiphertext } : {}),
      },
      invocation: { mode: 'synchronous', caller: 'the SQS event source of the app-service recipient queue' },
      concurrency: { boundedBy: 'The event source maximum concurrency (2) on the app-service recipient queue.' },
    });
    this.table.grantReadWriteData(this.worker.role);
    this.key.grantDecrypt(this.worker.role);
    acknowledgeWildcardActions(this.worker, ['kms:ReEncrypt*', 'kms:GenerateDataKey*'], "CDK grant to write the example's own table, encrypted with its own key.");
    acknowledgeWildcardResource(this.worker, `${this.table.tableArn}/index/*`, 'CDK grant for the example table: queries on its (future) indexes.');
    // The recipient queue is under the backend's queue key: consuming it decrypts with that key (CDK's grant).
    this.worker.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        maxConcurrency: 2,
        enabled: props.settings.secretCiphertext !== undefined,
      }),
    );
    acknowledgeCompliance(
      this.table,
      'DynamoDBInBackupPlan',
      'An example service: point-in-time recovery is on; a backup plan is the copying app\'s decision for its own data.',
    );
  }
}

/**
 * The example stack's template alone, for the local cloud (`npm start`), which provisions its table and key from it as it
 * does the stateful stack's: no bundling, no network, a stand-in queue and API URL (the local cloud wires the real ones).
 */
export function synthExampleRecipientTemplate(): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), 'fmn-example-recipient-'));
  try {
    const app = newInProcessApp({ outdir, context: { stage: 'dev', 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
    const holder = new Stack(app, 'LocalQueueHolder');
    const queue = sqs.Queue.fromQueueArn(holder, 'AppServiceQueue', 'arn:aws:sqs:eu-west-1:000000000000:local-app-service');
    const stack = new ExampleRecipientStack(app, exampleRecipientStackName('dev'), {
      config: stageConfig('dev'),
      settings: { enabled: true },
      queue,
      apiUrl: 'http://127.0.0.1/',
    });
    return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
