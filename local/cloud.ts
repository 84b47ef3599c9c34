/**
 * The local cloud: DynamoDB Local, fauxqs (SQS + S3) and the KMS emulator on 127.0.0.1, the stateful resources provisioned
 * from the synthesized stack, the route table served over HTTP and the workers consuming the local queue. Handlers run
 * unchanged; they find the services through the same environment variables the SDK reads on AWS.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ScheduledEvent } from 'aws-lambda';
import { ROUTE_METHODS_ENV, routeMethodsEnvironment, routes, workers } from '../lambdas/routes';
import { schedules } from '../lambdas/schedules';
import { INDEX_SHARDS_ENV, LOCAL_INDEX_SHARDS } from '../lambdas/runtime/index-shards';
import { buildConsole } from '../console/build';
import { RECIPIENT_IDS, type RecipientId } from '../lambdas/recipients';
import { recipientQueueId } from '../lambdas/runtime/resources';
import { runAs } from './field-trace';
import { invokeAs } from './lambda-context';
import { startLocalApi } from './api-server';
import { startDynamoDbLocal } from './dynamodb-local';
import { startKmsEmulator } from './kms/kms-emulator';
import { provisionFromTemplate } from './provision';
import { startSqsS3 } from './sqs-s3';
import { startWorker, type RunningWorker } from './worker-runner';
import { installLocalTestHooks } from './test-hooks';

// Before any handler loads: the field-use trace and crash injection, each off unless its variable is set.
installLocalTestHooks();

export interface LocalCloudOptions {
  /** Port of the API; 0 picks a free one. */
  readonly apiPort: number;
  readonly dynamodbPort: number;
  readonly sqsS3Port: number;
  readonly kmsPort: number;
  /** Keep nothing on disk. Otherwise tables and keys persist under `stateDir`. */
  readonly inMemory: boolean;
  readonly stateDir: string;
  readonly cacheDir: string;
  readonly corsOrigins: readonly string[];
  readonly visibilityTimeoutSeconds?: number;
  readonly region?: string;
  /** Also run the example recipient service on the app-service queue (`examples/app-service`). @default false */
  readonly exampleRecipient?: boolean;
  readonly onBatch?: (outcome: { worker: string; received: number; failed: number }) => void;
}

export interface RunningLocalCloud {
  readonly apiUrl: string;
  readonly endpoints: { dynamodb: string; sqsS3: string; kms: string };
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<RunningLocalCloud> {
  const region = options.region ?? 'eu-west-1';
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    // The slowest to start (a JVM), so it goes first while the others come up.
    const [dynamodb, sqsS3, kms] = await Promise.all([
      startDynamoDbLocal({
        port: options.dynamodbPort,
        dbPath: options.inMemory ? undefined : join(options.stateDir, 'dynamodb'),
        cacheDir: options.cacheDir,
      }).then((s) => (closers.push(s.close), s)),
      startSqsS3({ port: options.sqsS3Port }).then((s) => (closers.push(s.close), s)),
      startKmsEmulator({
        port: options.kmsPort,
        stateFile: options.inMemory ? undefined : join(options.stateDir, 'kms-keys.json'),
        region,
      }).then((s) => (closers.push(s.close), s)),
    ]);
    const endpoints = { dynamodb: dynamodb.endpoint, sqsS3: sqsS3.endpoint, kms: kms.endpoint };

    // Loaded lazily: aws-cdk-lib takes a moment, and only the stateful stack is synthesized (no bundling).
    const { synthStatefulTemplate } = await import('../lib/stateful-stack');
    const template = synthStatefulTemplate('dev');
    const provisioned = await provisionFromTemplate(template, { ...endpoints, region }, {
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    });

    const env = {
      ...handlerEnvironment(endpoints, region, options.corsOrigins, provisioned.env),
      ...webhookEnvironment(),
      // No recipient answers locally by itself: requests wait only for the recipients AWAIT_RECIPIENTS names (JSON array),
      // or, with the example recipient running, for the app service it stands for: the whole loop, as deployed.
      AWAIT_RECIPIENTS: process.env.AWAIT_RECIPIENTS || (options.exampleRecipient ? '["app-service"]' : '[]'),
    };
    // Handlers read their configuration at module scope, so the environment is in place before any is loaded.
    Object.assign(process.env, env);
    const loadHandler = async (name: string) => (await import(`../lambdas/handlers/${name}.ts`)).handler as unknown;

    // The console is rebuilt at every start (about a second), so it always matches the API it is served with.
    const consoleDir = mkdtempSync(join(tmpdir(), 'fmn-console-'));
    closers.push(async () => rmSync(consoleDir, { recursive: true, force: true }));
    await buildConsole(consoleDir);
    const api = await startLocalApi({
      port: options.apiPort,
      routes,
      loadHandler,
      corsOrigins: options.corsOrigins,
      stage: 'local',
      consoleDir,
    });
    closers.push(api.close);

    const sqs = new SQSClient({ region, endpoint: endpoints.sqsS3, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    // A webhook recipient's dispatcher runs only when LOCAL_WEBHOOK_URLS points it at a receiver (the declared URLs are
    // not reachable from here); otherwise its messages stay on its queue, to be read like a queue recipient's.
    const webhookTargets = localWebhookTargets();
    const running: RunningWorker[] = workers.filter((worker) => worker.queue === 'rightsRequestQueue' || webhookTargets.has(worker.queue)).map((worker) =>
      startWorker({
        sqs,
        worker,
        queueUrl: provisioned.queues[worker.queue].url,
        queueArn: provisioned.queues[worker.queue].arn,
        region,
        loadHandler,
        onBatch: options.onBatch,
      }),
    );
    if (options.exampleRecipient) {
      running.push(await startExampleRecipient({ sqs, endpoints, region, apiUrl: api.url, queue: provisioned.queues[recipientQueueId('app-service')], env, onBatch: options.onBatch }));
    }
    closers.push(async () => {
      await Promise.all(running.map((w) => w.stop()));
      sqs.destroy();
    });

    // Scheduled jobs: once at start, then every LOCAL_SCHEDULE_SECONDS (EventBridge's rate is hours; locally, minutes).
    const everySeconds = Number(process.env.LOCAL_SCHEDULE_SECONDS || 300);
    if (!(everySeconds > 0)) throw new Error('LOCAL_SCHEDULE_SECONDS must be a positive number of seconds');
    const inFlight = new Set<Promise<void>>();
    const timers = schedules.map((job) => {
      let running = false;
      const run = () => {
        // EventBridge may overlap slow runs; locally one at a time keeps the log readable.
        if (running) return;
        running = true;
        const done = (async () => {
          const handler = (await loadHandler(job.handler)) as (event: ScheduledEvent, context: unknown) => Promise<unknown>;
          await runAs(`schedule:${job.id}`, () =>
            invokeAs(`fmn-local-${job.id}`, job.timeoutSeconds, handler, scheduledEvent(job.id, region)),
          );
        })()
          // The class only, as for the workers: a message could carry personal data.
          .catch((error: Error) => console.error(`scheduled job ${job.id} failed: ${error.name}`))
          .finally(() => {
            running = false;
            inFlight.delete(done);
          });
        inFlight.add(done);
      };
      run();
      // A job whose own rate is shorter (the recipients' outbox, every minute) keeps it: developers see its effect promptly.
      return setInterval(run, Math.min(everySeconds, rateSeconds(job.schedule) ?? Infinity) * 1000);
    });
    closers.push(async () => {
      timers.forEach((t) => clearInterval(t));
      await Promise.all(inFlight);
    });

    return { apiUrl: api.url, endpoints, env, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * The example recipient service (`examples/app-service`, deployed by `lib/example-recipient-stack.ts`): its table and key
 * provisioned from its own synthesized template, its ack secret derived as `fmn recipients secret app-service --local`
 * derives it, and its handler run on the app-service queue like a worker (Lambda's SQS event source, partial failures).
 */
async function startExampleRecipient(input: {
  sqs: SQSClient;
  endpoints: { dynamodb: string; sqsS3: string; kms: string };
  region: string;
  apiUrl: string;
  queue: { url: string; arn: string };
  env: Record<string, string>;
  onBatch?: LocalCloudOptions['onBatch'];
}): Promise<RunningWorker> {
  const { EXAMPLE_RECIPIENT_ENV, EXAMPLE_RECIPIENT_RESOURCES, synthExampleRecipientTemplate } = await import('../lib/example-recipient-stack');
  const provisioned = await provisionFromTemplate(synthExampleRecipientTemplate(), { ...input.endpoints, region: input.region });
  const { webhookSecret } = await import('../lambdas/wiring/webhooks');
  const { pseudonymHmac } = await import('../lambdas/wiring/audit');
  const exampleEnv = {
    [EXAMPLE_RECIPIENT_ENV.table]: provisioned.tables[EXAMPLE_RECIPIENT_RESOURCES.table],
    [EXAMPLE_RECIPIENT_ENV.apiUrl]: input.apiUrl,
    [EXAMPLE_RECIPIENT_ENV.secretLocal]: await webhookSecret(pseudonymHmac(), 'app-service'),
  };
  Object.assign(process.env, exampleEnv);
  // The secret stays out of the environment handed to test processes (FMN_READY); they derive it as an operator would.
  Object.assign(input.env, { [EXAMPLE_RECIPIENT_ENV.table]: exampleEnv[EXAMPLE_RECIPIENT_ENV.table] });
  return startWorker({
    sqs: input.sqs,
    worker: {
      id: 'exampleRecipient',
      handler: 'example-recipient',
      description: 'The example recipient service (app-service).',
      queue: recipientQueueId('app-service'),
      batchSize: 5,
      timeoutSeconds: 30,
      personalData: [],
    },
    queueUrl: input.queue.url,
    queueArn: input.queue.arn,
    region: input.region,
    loadHandler: async () => (await import('../examples/app-service/handler')).handler,
    onBatch: input.onBatch,
  });
}

/**
 * LOCAL_WEBHOOK_URLS (JSON: recipient id → https URL) and LOCAL_WEBHOOK_CA_FILE (a PEM CA the receivers' certificates
 * chain to): the local stand-ins for webhook recipients. The dispatcher reads them as WEBHOOK_URL_OVERRIDES and
 * WEBHOOK_EXTRA_CA_FILE, which only the local cloud sets.
 */
function localWebhookUrls(): Record<string, string> {
  const raw = process.env.LOCAL_WEBHOOK_URLS;
  if (!raw) return {};
  const urls = JSON.parse(raw) as Record<string, string>;
  for (const [id, url] of Object.entries(urls)) {
    if (!(RECIPIENT_IDS as readonly string[]).includes(id)) throw new Error(`LOCAL_WEBHOOK_URLS names no declared recipient: ${id}`);
    if (!url.startsWith('https://')) throw new Error(`LOCAL_WEBHOOK_URLS: ${id} must be an https:// URL`);
  }
  return urls;
}

function localWebhookTargets(): Set<string> {
  return new Set(Object.keys(localWebhookUrls()).map((id) => recipientQueueId(id as RecipientId)));
}

function webhookEnvironment(): Record<string, string> {
  const urls = localWebhookUrls();
  return {
    ...(Object.keys(urls).length > 0 ? { WEBHOOK_URL_OVERRIDES: JSON.stringify(urls) } : {}),
    ...(process.env.LOCAL_WEBHOOK_CA_FILE ? { WEBHOOK_EXTRA_CA_FILE: process.env.LOCAL_WEBHOOK_CA_FILE } : {}),
  };
}

/** The period of an EventBridge `rate(…)` expression in seconds; undefined for a cron expression. */
export function rateSeconds(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) return undefined;
  const unit = match[2].startsWith('minute') ? 60 : match[2].startsWith('hour') ? 3600 : 86_400;
  return Number(match[1]) * unit;
}

/** The event an EventBridge schedule rule sends its target. */
function scheduledEvent(jobId: string, region: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:000000000000:rule/fmn-local-${jobId}`],
    detail: {},
  };
}

/**
 * The environment handlers run with against the local cloud: the SDK's per-service endpoints, fake credentials (the
 * emulators check none), and the provisioned resources' names. Shared with the benchmarks, which load handlers in-process.
 */
export function handlerEnvironment(
  endpoints: { dynamodb: string; sqsS3: string; kms: string },
  region: string,
  corsOrigins: readonly string[],
  provisioned: Record<string, string>,
): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqsS3,
    AWS_ENDPOINT_URL_SNS: endpoints.sqsS3,
    AWS_ENDPOINT_URL_S3: endpoints.sqsS3,
    AWS_ENDPOINT_URL_KMS: endpoints.kms,
    // The emulator serves S3 by path, not by virtual host.
    S3_FORCE_PATH_STYLE: 'true',
    STAGE: 'local',
    POWERTOOLS_SERVICE_NAME: 'forget-me-not',
    CORS_ALLOWED_ORIGINS: corsOrigins.join(','),
    [INDEX_SHARDS_ENV]: process.env[INDEX_SHARDS_ENV] || String(LOCAL_INDEX_SHARDS),
    // What the API stack sets on the fallback function: the methods and paths of the table served.
    [ROUTE_METHODS_ENV]: routeMethodsEnvironment(routes),
    ...provisioned,
  };
}
