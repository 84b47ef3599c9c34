/**
 * The stateless half: one Lambda function per route, worker and the authorizer, all built from the route table
 * (`lambdas/routes.ts`), behind a REST API with request validation, problem+json gateway answers, JSON access logs without
 * IP addresses or user agents, stage throttling and a WAF web ACL. Each function is bound to exactly the stores and keys
 * its declaration names.
 *
 * Split to stay far from CloudFormation's 500 resources per stack: this stack is the API's front door (the REST API and its
 * resource tree, stage, deployment, WAF, authorizer, gateway responses, request models); each feature of the route table
 * (`FEATURES`) is a nested stack with its routes' functions and methods, and the queue workers and scheduled jobs with
 * their alarms are one more (`Jobs`). Nested stacks receive what they use from this stack as parameters.
 */
import { CfnOutput, Duration, NestedStack, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  authorizerFunction as declaredAuthorizer,
  corsAllowHeaders,
  CORS,
  FEATURES,
  fallbackRoute as declaredFallback,
  ROUTE_METHODS_ENV,
  routeMethodsEnvironment,
  routes as declaredRoutes,
  workers as declaredWorkers,
  type Feature,
  type RouteDefinition,
  type WorkerDefinition,
} from '../lambdas/routes';
import { schedules as declaredSchedules, type ScheduleDefinition } from '../lambdas/schedules';
import { RECIPIENT_IDS } from '../lambdas/recipients';
import { recipientQueueEnvVar, recipientQueueId } from '../lambdas/runtime/resources';
import { pathParameters, queryParameters, requestModelSchema } from './api-models';
import type { Stage, StageConfig } from './config';
import { ApiFirewall } from './constructs/api-firewall';
import { ConsoleSite } from './constructs/console-site';
import { ApiGatewayAccountLogging } from './constructs/api-gateway-account';
import { BackendFunction, type FunctionConcurrency, type FunctionInvocation } from './constructs/backend-function';
import { bindDeclarations, type Declaration } from './constructs/bindings';
import { acknowledgeCompliance } from './constructs/nag';
import { NotifyingAlarm } from './constructs/notifying-alarm';
import { addProblemResponses } from './constructs/problem-responses';
import type { StatefulResources } from './stateful-stack';
import { INDEX_SHARDS_ENV } from '../lambdas/runtime/index-shards';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/**
 * Fields of every access-log line. Deliberately absent: `$context.identity.sourceIp` and `$context.identity.userAgent`
 * (personal data), `$context.path` (concrete paths carry ids; `resourcePath` is the template) and the authorizer principal.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  time: '$context.requestTime',
  timeEpochMs: '$context.requestTimeEpoch',
  stage: '$context.stage',
  protocol: '$context.protocol',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatencyMs: '$context.integration.latency',
  authorizerStatus: '$context.authorizer.status',
  wafResponseCode: '$context.wafResponseCode',
  errorType: '$context.error.responseType',
};

/** The authorizer as the route table declares it: a handler and the stores it touches. */
export interface AuthorizerDeclaration extends Declaration {
  readonly handler: string;
}

export interface ApiStackProps extends StackProps {
  readonly config: StageConfig;
  readonly resources: StatefulResources;
  /** @default `routes` of `lambdas/routes.ts` */
  readonly routes?: readonly RouteDefinition[];
  /** @default `fallbackRoute` of `lambdas/routes.ts` */
  readonly fallbackRoute?: RouteDefinition;
  /** Used only when a route is not public. @default `authorizerFunction` of `lambdas/routes.ts` */
  readonly authorizer?: AuthorizerDeclaration;
  /** @default `workers` of `lambdas/routes.ts` */
  readonly workers?: readonly WorkerDefinition[];
  /** @default `schedules` of `lambdas/schedules.ts` */
  readonly schedules?: readonly ScheduleDefinition[];
}

export class ApiStack extends Stack {
  public readonly api: apigateway.RestApi;
  /** Every function by route, worker or authorizer id. */
  public readonly functions: ReadonlyMap<string, BackendFunction>;
  /** One nested stack per feature that has routes: their functions and methods (the fallback's with its route's feature). */
  public readonly featureStacks: ReadonlyMap<Feature, NestedStack>;
  /** The nested stack of the queue workers and scheduled jobs, with their alarms. */
  public readonly jobs: NestedStack;
  /** Present when at least one route is not public. */
  public readonly authorizer?: apigateway.RequestAuthorizer;
  public readonly firewall: ApiFirewall;
  /** The privacy console and the API behind one CloudFront distribution. */
  public readonly console: ConsoleSite;
  public readonly dlqAlarm: cloudwatch.Alarm;
  /** One per scheduled job's metric (e.g. overdue rights requests). */
  public readonly scheduleAlarms: readonly cloudwatch.Alarm[];
  /** A scheduled job's event waits in the scheduled jobs' DLQ, or EventBridge could not invoke a job. */
  public readonly scheduleFailureAlarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, resources } = props;
    const routes = props.routes ?? declaredRoutes;
    const fallback = props.fallbackRoute ?? declaredFallback;
    const workers = props.workers ?? declaredWorkers;
    const functions = new Map<string, BackendFunction>();
    this.functions = functions;

    type FunctionExtras = { description?: string; timeout?: Duration; invocation?: FunctionInvocation; concurrency?: FunctionConcurrency };
    const reserved = config.concurrency.reserved;
    const apiBound: FunctionConcurrency = {
      boundedBy:
        `Invoked only through the REST API: stage throttling (${config.throttling.rateLimit} requests/s, burst ` +
        `${config.throttling.burstLimit}) and the WAF rate rule (${config.wafRateLimit} requests per IP per 5 minutes) bound ` +
        'its concurrency. Reserving capacity for each API function would carve up the account pool and fail to deploy in ' +
        'accounts with a low concurrency limit (see ConcurrencyConfig in lib/config.ts).',
    };
    const newFunction = (
      stack: Stack,
      declaration: Declaration & { handler: string; bundledFiles?: readonly string[] },
      extra: FunctionExtras = {},
    ) => {
      const functionsScope = (stack.node.tryFindChild('Functions') as Construct | undefined) ?? new Construct(stack, 'Functions');
      const fn = new BackendFunction(functionsScope, declaration.id, {
        handler: declaration.handler,
        invocation: extra.invocation ?? { mode: 'synchronous', caller: 'API Gateway' },
        concurrency:
          extra.concurrency ?? (reserved && hashesPasswords(declaration) ? { reserved: reserved.passwordHashing } : apiBound),
        description: extra.description,
        stage: config.stage,
        corsOrigins: config.corsOrigins,
        logsKey: resources.keys.logsKey,
        logRetention: config.logRetention,
        removalPolicy: config.removalPolicy,
        timeout: extra.timeout,
        memorySize: memoryFor(declaration),
        tracing: config.tracing,
        bundledFiles: declaration.bundledFiles,
        environment: {
          ...(writesAudit(declaration) ? { AUDIT_RETENTION_DAYS: String(config.auditRetentionDays) } : {}),
          ...(touchesShardedKeys(declaration) ? { [INDEX_SHARDS_ENV]: String(config.indexShards) } : {}),
          ...settingsEnvironment(declaration, config),
        },
      });
      bindDeclarations(fn, declaration, resources);
      functions.set(declaration.id, fn);
      return fn;
    };

    // --- REST API ---------------------------------------------------------------------------------------------------
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      encryptionKey: resources.keys.logsKey,
      removalPolicy: config.removalPolicy,
    });
    const corsOrigins = [...config.corsOrigins];
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: `forget-me-not-${config.stage}`,
      description: 'Forget-Me-Not: GDPR-ready personal data API',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: false,
      deployOptions: {
        stageName: config.stage,
        throttlingRateLimit: config.throttling.rateLimit,
        throttlingBurstLimit: config.throttling.burstLimit,
        tracingEnabled: config.tracing,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
      defaultCorsPreflightOptions:
        corsOrigins.length > 0
          ? {
              allowOrigins: corsOrigins,
              // One declaration with the local server (lambdas/routes.ts): the headers the routes declare are allowed.
              allowMethods: [...CORS.allowMethods],
              allowHeaders: corsAllowHeaders(routes),
              maxAge: Duration.seconds(CORS.maxAgeSeconds),
            }
          : undefined,
    });
    // The account role lives here, beside the stage that needs it, not in the stateful stack: the stage's DependsOn makes
    // CloudFormation set the role before it creates the stage, and the stateful stack keeps only data and its keys. One
    // per account and region: `-c apiGatewayAccountRole=false` where it is already set (lib/config.ts).
    if (config.apiGatewayAccountRole) {
      const accountLogging = new ApiGatewayAccountLogging(this, 'ApiGatewayAccountLogging');
      this.api.deploymentStage.node.addDependency(accountLogging.account);
    }
    addProblemResponses(this.api, corsOrigins.length === 1 ? corsOrigins[0] : undefined);
    Validations.of(this.api).acknowledge(NO_COGNITO);
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason:
        'Execution logging writes to a log group API Gateway creates without KMS or retention, and at INFO logs request ' +
        'bodies (personal data); JSON access logs (no IPs or user agents) and function logs cover operations.',
    });
    const stage = this.api.deploymentStage;
    acknowledgeCompliance(
      stage,
      'APIGWExecutionLoggingEnabled',
      'Execution logging writes to a log group API Gateway creates itself, without KMS or retention; at INFO it would log ' +
        'request bodies (personal data). JSON access logs (status, error type, latency; no IPs or user agents) and each ' +
        "function's own log cover operations and errors.",
    );
    acknowledgeCompliance(
      stage,
      'APIGWCacheEnabledAndEncrypted',
      'No cache on purpose: responses are per-caller personal data, and a cache would keep copies outside the erasure ' +
        'path and could serve one caller another caller\'s data. Nothing is cached, so nothing is stored unencrypted.',
    );
    acknowledgeCompliance(
      stage,
      'APIGWSSLEnabled',
      'A stage client certificate authenticates API Gateway to HTTP backends; every integration here is a Lambda proxy ' +
        'integration invoked through the Lambda API with IAM (SigV4 over TLS), so there is no backend to present it to.',
    );
    if (!config.tracing) {
      acknowledgeCompliance(
        stage,
        'APIGWXrayEnabled',
        `X-Ray is off in ${config.stage} to save cost (the tracing setting in lib/config.ts); staging and prod trace the stage and every function.`,
        ['HIPAA.Security'],
      );
    }
    const validator = this.api.addRequestValidator('BodyAndParams', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    // --- authorizer -------------------------------------------------------------------------------------------------
    if (routes.some((route) => route.auth !== 'public')) {
      const declaration = props.authorizer ?? declaredAuthorizer;
      const fn = newFunction(this, declaration, {
        description: 'REST API REQUEST authorizer: session token to principal',
        invocation: { mode: 'synchronous', caller: 'API Gateway, as the REQUEST authorizer' },
      });
      this.authorizer = new apigateway.RequestAuthorizer(this, 'SessionAuthorizer', {
        handler: fn.function,
        identitySources: [apigateway.IdentitySource.header('Authorization')],
        resultsCacheTtl: Duration.seconds(60),
      });
    }

    // --- feature stacks: each route's function and method --------------------------------------------------------
    // The resource tree, models, validator and authorizer stay here; methods in a nested stack take their ids as
    // parameters. Each Method still adds itself to the deployment's logical id and dependencies (the deployment here
    // waits for the nested stack), so a changed route in any feature makes a new deployment.
    const featureStacks = new Map<Feature, NestedStack>();
    this.featureStacks = featureStacks;
    const stackFor = (feature: Feature): NestedStack => {
      let stack = featureStacks.get(feature);
      if (!stack) {
        stack = new NestedStack(this, `${pascal(feature)}Routes`, {
          description: `Forget-Me-Not (${config.stage}), ${feature} routes: ${FEATURES[feature]}`,
        });
        featureStacks.set(feature, stack);
      }
      return stack;
    };
    // Methods in a nested stack are outside the RestApi's subtree, so its acknowledgement is repeated for them.
    const methodsScope = (stack: Stack, id: string): Construct => {
      const existing = stack.node.tryFindChild(id) as Construct | undefined;
      if (existing) return existing;
      const scope = new Construct(stack, id);
      Validations.of(scope).acknowledge(NO_COGNITO);
      return scope;
    };
    const apiGateway = new iam.ServicePrincipal('apigateway.amazonaws.com');

    for (const route of routes) {
      const stack = stackFor(route.feature);
      const fn = newFunction(stack, route, { description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256) });
      // The ack route marks an early ack of a recipient the worker does not wait for, so it reads the same setting.
      if (route.handler === 'recipient-ack' && config.awaitRecipients !== undefined) {
        fn.function.addEnvironment('AWAIT_RECIPIENTS', JSON.stringify(config.awaitRecipients));
      }
      const resource = this.api.root.resourceForPath(route.path);
      const body = route.request?.body;
      const method = new apigateway.Method(methodsScope(stack, 'Methods'), route.id, {
        resource,
        httpMethod: route.method,
        integration: lambdaProxyIntegration(fn.function),
        options: {
          operationName: route.id,
          requestValidator: validator,
          requestModels: body
            ? {
                'application/json': this.api.addModel(`${pascal(route.id)}Body`, {
                  contentType: 'application/json',
                  schema: requestModelSchema(body),
                }),
              }
            : undefined,
          requestParameters: {
            ...Object.fromEntries(pathParameters(route.path).map((p) => [`method.request.path.${p}`, true])),
            ...Object.fromEntries(
              Object.entries(queryParameters(route.request?.query)).map(([q, req]) => [`method.request.querystring.${q}`, req]),
            ),
            ...Object.fromEntries((route.headers ?? []).map((h) => [`method.request.header.${h.name}`, h.required])),
          },
          ...(route.auth === 'public'
            ? { authorizationType: apigateway.AuthorizationType.NONE }
            : { authorizationType: apigateway.AuthorizationType.CUSTOM, authorizer: this.authorizer }),
        },
      });
      fn.function.addPermission('InvokeFromApi', {
        principal: apiGateway,
        sourceArn: this.api.arnForExecuteApi(route.method, pathForArn(route.path), config.stage),
      });
      if (route.auth === 'public') {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `Declared public in the route table (${route.id}): ${route.summary}`,
        });
      }
    }

    // --- fallback: unknown paths and wrong methods ------------------------------------------------------------------
    // API Gateway prefers a method on the exact resource, then ANY there, then the nearest greedy child; without these,
    // unmatched requests would get the gateway's own 403 "Missing Authentication Token" instead of a 404/405 problem.
    // They live in the fallback route's feature stack, with the {proxy+} resources they need.
    const fallbackStack = stackFor(fallback.feature);
    const fallbackFn = newFunction(fallbackStack, fallback, { description: 'Problem answers for unknown paths and wrong methods' });
    // The methods and paths it answers 405 for, from the table deployed here: the function bundles no other declaration.
    fallbackFn.addEnvironment(ROUTE_METHODS_ENV, routeMethodsEnvironment(routes));
    fallbackFn.function.addPermission('InvokeFromApi', { principal: apiGateway, sourceArn: this.api.arnForExecuteApi() });
    const fallbackIntegration = lambdaProxyIntegration(fallbackFn.function);
    const fallbackReason = 'Fallback for unknown paths and wrong methods: answers 404/405 problems and touches no data.';
    const fallbackScope = methodsScope(fallbackStack, 'Fallback');
    const addFallback = (resource: apigateway.IResource, id: string) => {
      const method = new apigateway.Method(fallbackScope, id, {
        resource,
        httpMethod: 'ANY',
        integration: fallbackIntegration,
        options: { authorizationType: apigateway.AuthorizationType.NONE },
      });
      Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason: fallbackReason });
    };
    for (const path of resourceTree(routes.map((r) => r.path))) {
      const resource = path === '/' ? this.api.root : this.api.root.resourceForPath(path);
      addFallback(resource, `ANY ${constructIdOf(path)}`);
      // A resource may have one variable child; where a route already uses that slot, its own subtree covers the rest.
      if (!isGreedy(path) && !hasVariableChild(path, routes)) {
        const proxy = new apigateway.Resource(fallbackScope, `Proxy ${constructIdOf(path)}`, { parent: resource, pathPart: '{proxy+}' });
        addFallback(proxy, `ANY ${constructIdOf(proxy.path)}`);
      }
    }

    // --- workers ----------------------------------------------------------------------------------------------------
    // The event source's maxConcurrency caps how many batches run at once (an erasure touches every table and KMS) without
    // throttling: a throttled batch would count as a failed receive and move toward the DLQ.
    this.jobs = new NestedStack(this, 'Jobs', {
      description: `Forget-Me-Not (${config.stage}): queue workers and scheduled jobs, with their alarms`,
    });
    const jobsStack = this.jobs;
    const workerMax = config.concurrency.rightsWorkerMax;
    for (const worker of workers) {
      const fn = newFunction(jobsStack, worker, {
        description: worker.description,
        timeout: Duration.seconds(worker.timeoutSeconds),
        invocation: { mode: 'synchronous', caller: `the SQS event source mapping; failed messages go to the queue's redrive DLQ` },
        concurrency: reserved
          ? { reserved: Math.max(reserved.rightsWorker, workerMax) }
          : { boundedBy: `The SQS event source runs at most ${workerMax} batches at once (maxConcurrency); nothing is reserved in ${config.stage}.` },
      });
      const queue = consumedQueue(worker, resources);
      // A webhook dispatcher changes its messages' visibility (backoff), so it needs the URL of the queue it consumes.
      if (worker.queue !== 'rightsRequestQueue') fn.function.addEnvironment(recipientQueueEnvVar(worker.queue), queue.queueUrl);
      // Which recipients erasures and exports wait for; unset, the worker waits for every recipient it tells.
      if (worker.handler === 'rights-request-worker' && config.awaitRecipients !== undefined) {
        fn.function.addEnvironment('AWAIT_RECIPIENTS', JSON.stringify(config.awaitRecipients));
      }
      fn.function.addEventSource(
        new lambdaEvents.SqsEventSource(queue, {
          batchSize: worker.batchSize,
          reportBatchItemFailures: true,
          maxConcurrency: workerMax,
        }),
      );
    }

    // --- scheduled jobs ---------------------------------------------------------------------------------------------
    // EventBridge invokes each job asynchronously: Lambda retries a failed run twice, then puts the event on the shared
    // scheduled jobs' DLQ. If EventBridge itself cannot invoke the function (after 2 retries), FailedInvocations counts it.
    const topic = resources.alarmTopic;
    const scheduleAlarms: cloudwatch.Alarm[] = [];
    const failedInvocations: Record<string, cloudwatch.IMetric> = {};
    const jobs = props.schedules ?? declaredSchedules;
    // A metric-math alarm reads at most 10 metrics (one FailedInvocations per rule).
    if (jobs.length > 10) throw new Error(`${jobs.length} scheduled jobs: the FailedInvocations alarm covers at most 10 rules`);
    for (const [i, job] of jobs.entries()) {
      const fn = newFunction(jobsStack, job, {
        description: job.description,
        timeout: Duration.seconds(job.timeoutSeconds),
        invocation: { mode: 'asynchronous', deadLetterQueue: resources.scheduledJobsDlq },
        concurrency: reserved
          ? { reserved: reserved.scheduledJob }
          : { boundedBy: `One EventBridge invocation per "${job.schedule}" plus Lambda's two retries; nothing is reserved in ${config.stage}.` },
      });
      const rule = new events.Rule(jobsStack, `${job.id}Schedule`, {
        description: job.description,
        schedule: events.Schedule.expression(job.schedule),
        targets: [new eventTargets.LambdaFunction(fn.function, { retryAttempts: 2 })],
      });
      failedInvocations[`rule${i}`] = new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        dimensionsMap: { RuleName: rule.ruleName },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.hours(1),
      });
      scheduleAlarms.push(
        new NotifyingAlarm(jobsStack, `${job.id}Alarm`, {
          topic,
          metric: new cloudwatch.Metric({
            namespace: job.metric.namespace,
            metricName: job.metric.name,
            // Powertools Metrics adds the service dimension to the stage set by the handler.
            dimensionsMap: { service: 'forget-me-not', stage: config.stage },
            period: Duration.hours(1),
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
          alarmDescription: job.metric.alarm,
          threshold: 0,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    this.scheduleAlarms = scheduleAlarms;
    const scheduleFailureAlarms: cloudwatch.Alarm[] = [];
    if (jobs.length > 0) {
      scheduleFailureAlarms.push(
        new NotifyingAlarm(jobsStack, 'ScheduledJobsDlqNotEmpty', {
          topic,
          metric: resources.scheduledJobsDlq.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(5),
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
          alarmDescription:
            'A scheduled job failed three times in a row and its event waits in the scheduled jobs DLQ: see the job log.',
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        new NotifyingAlarm(jobsStack, 'ScheduleInvocationsFailed', {
          topic,
          metric: new cloudwatch.MathExpression({
            expression: `SUM([${Object.keys(failedInvocations).map((id) => `FILL(${id}, 0)`).join(', ')}])`,
            usingMetrics: failedInvocations,
            period: Duration.hours(1),
            label: 'FailedInvocations of every schedule rule',
          }),
          alarmDescription: 'EventBridge could not invoke a scheduled job (permissions, a deleted function): the job did not run.',
          threshold: 0,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    this.scheduleFailureAlarms = scheduleFailureAlarms;

    // --- edge protection, alarms, outputs ---------------------------------------------------------------------------
    this.firewall = new ApiFirewall(this, 'Firewall', {
      stageArn: this.api.deploymentStage.stageArn,
      rateLimit: config.wafRateLimit,
      metricPrefix: `fmn-${config.stage}`,
    });

    this.dlqAlarm = new NotifyingAlarm(jobsStack, 'RightsRequestDlqNotEmpty', {
      topic,
      metric: resources.rightsRequestDlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      alarmDescription: 'A rights-request job failed 5 times and waits in the DLQ: a data-subject request is stuck.',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the API stage' });

    // --- privacy console: static files and the API on one CloudFront origin -----------------------------------------
    this.console = new ConsoleSite(this, 'Console', {
      api: this.api,
      logsKey: resources.keys.logsKey,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
  }
}

const NO_COGNITO = {
  id: 'AwsSolutions-COG4',
  reason:
    'Callers hold opaque session tokens checked by the Lambda REQUEST authorizer against the sessions table; ' +
    'there is no Cognito user pool.',
};

/** Stack name per stage. */
export const apiStackName = (stage: Stage): string => `FmnApi-${stage}`;

/** Password hashing (scrypt, N=2^17: 128 MiB) wants a full vCPU, which Lambda gives at 1769 MB; everything else is light. */
function memoryFor(declaration: Declaration): number {
  return hashesPasswords(declaration) ? 1769 : 512;
}

function hashesPasswords(declaration: Declaration): boolean {
  return declaration.personalData.some((t) => t.store === 'users' && (t.fields as readonly string[]).includes('passwordHash'));
}

/** The deploy-time settings a declaration asks for, as environment variables. */
function settingsEnvironment(declaration: Declaration, config: StageConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const setting of declaration.settings ?? []) {
    switch (setting) {
      case 'oidcProviders':
        env.OIDC_PROVIDERS = JSON.stringify(config.oidcProviders);
        break;
      case 'rightsModes':
        env.RIGHTS_MODES = JSON.stringify(config.rightsModes);
        break;
      case 'retention':
        env.RETENTION_INACTIVE_MONTHS = String(config.accountRetention.inactiveMonths);
        env.RETENTION_GRACE_DAYS = String(config.accountRetention.graceDays);
        break;
      case 'clientIds':
        env.CLIENT_IDS = config.clientIds.join(',');
        break;
    }
  }
  return env;
}

/** Functions that write or read a sharded index key (domain/key-shards.ts) must agree on the shard count. */
function touchesShardedKeys(declaration: Declaration): boolean {
  return declaration.personalData.some(
    (t) => t.store === 'audit' || t.store === 'consent' || (t.store === 'users' && (t.fields as readonly string[]).includes('activityMonth')),
  );
}

function writesAudit(declaration: Declaration): boolean {
  return declaration.personalData.some((t) => t.store === 'audit' && t.access.includes('write'));
}

/** Every resource path on the way to a route, root included: `/v1/me` → `/`, `/v1`, `/v1/me`. */
export function resourceTree(paths: readonly string[]): string[] {
  const tree = new Set<string>(['/']);
  for (const path of paths) {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) tree.add('/' + parts.slice(0, i).join('/'));
  }
  return [...tree];
}

function isGreedy(path: string): boolean {
  return /\{[^}]+\+\}$/.test(path);
}

function hasVariableChild(path: string, routes: readonly RouteDefinition[]): boolean {
  const depth = path === '/' ? 0 : path.split('/').filter(Boolean).length;
  return resourceTree(routes.map((r) => r.path)).some((p) => {
    const parts = p.split('/').filter(Boolean);
    const parent = '/' + parts.slice(0, -1).join('/');
    return parts.length === depth + 1 && parent === path && parts[depth].startsWith('{');
  });
}

/**
 * A Lambda proxy integration without LambdaIntegration's invoke permission, which takes the stage's name from the Stage
 * resource: from a nested stack that makes the nested stack wait for the stage, while the stage's deployment waits for
 * the nested stack's methods (a cycle). Callers grant the invoke with the stage's configured name instead.
 */
function lambdaProxyIntegration(fn: lambda.IFunction): apigateway.Integration {
  return new apigateway.AwsIntegration({ proxy: true, service: 'lambda', path: `2015-03-31/functions/${fn.functionArn}/invocations` });
}

/** A resource path as a construct id (which cannot hold `/`): `/v1/me` → `v1.me`, `/` → `root`. */
function constructIdOf(path: string): string {
  return path === '/' ? 'root' : path.slice(1).replace(/\//g, '.');
}

/** A resource path as execute-api ARNs write it: path parameters become `*`. */
function pathForArn(path: string): string {
  return path.replace(/\{[^}]*\}/g, '*');
}

function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** The queue a worker consumes: the rights requests', or a recipient's (its webhook dispatcher). */
function consumedQueue(worker: WorkerDefinition, resources: StatefulResources): IQueue {
  if (worker.queue === 'rightsRequestQueue') return resources.rightsRequestQueue;
  const recipient = RECIPIENT_IDS.find((id) => recipientQueueId(id) === worker.queue);
  if (!recipient) throw new Error(`${worker.id}: no recipient has the queue ${worker.queue}`);
  return resources.recipientQueues[recipient].queue;
}
