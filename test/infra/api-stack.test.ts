import { Match } from 'aws-cdk-lib/assertions';
import * as z from 'zod/mini';
import {
  authorizerFunction,
  CORS,
  corsAllowHeaders,
  defineRoute,
  fallbackRoute,
  healthRoute,
  rightsRequestWorker,
  routes,
  touches,
  workers,
  type RouteDefinition,
} from '../../lambdas/routes';
import { TABLE_IDS, bucketEnvVar, keyEnvVar, queueEnvVar, tableEnvVar } from '../../lambdas/runtime/resources';
import { ACCESS_LOG_FIELDS } from '../../lib/api-stack';
import { schedules } from '../../lambdas/schedules';
import { declaredAccess, declaredKeyUses, type Declaration } from '../../lib/constructs/bindings';
import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import {
  actionsOn,
  apiResources,
  environmentOf,
  parameterValueOf,
  propertiesOf,
  resolvedIn,
  serviceActions,
  statementsOf,
  synth,
  templateOf,
  type Synthesized,
} from './support';

type Json = Record<string, any>;

const READ = 'dynamodb:GetItem';
const WRITE = 'dynamodb:PutItem';

let dev: Synthesized;
let prod: Synthesized;


const fnOf = (s: Synthesized, id: string) => {
  const fn = s.api.functions.get(id);
  if (!fn) throw new Error(`no function ${id}`);
  return fn;
};

/** Checks one function's grants and environment against its declaration: every declared table, and no other. */
function expectBoundExactlyAsDeclared(s: Synthesized, declaration: Declaration): void {
  const fn = fnOf(s, declaration.id);
  const statements = statementsOf(fn);
  const env = environmentOf(fn);
  const access = declaredAccess(declaration);
  for (const table of TABLE_IDS) {
    const declared = access.get(table) ?? [];
    const actions = actionsOn(statements, resolvedIn(fn, s.stateful.resources.tables[table].tableArn));
    const reads = declared.includes('read');
    const writes = declared.includes('write') || declared.includes('delete');
    expect({ table, reads: actions.includes(READ), writes: actions.includes(WRITE) }).toEqual({ table, reads, writes });
    if (!reads && !writes) expect({ table, actions }).toEqual({ table, actions: [] });
    expect({ table, env: tableEnvVar(table) in env }).toEqual({ table, env: reads || writes });
    if (reads || writes) expect(env[tableEnvVar(table)]).toEqual(resolvedIn(fn, s.stateful.resources.tables[table].tableName));
  }
  // No DynamoDB action on anything but the declared tables and their indexes.
  const declaredArns = [...access.keys()]
    .filter((store): store is (typeof TABLE_IDS)[number] => (TABLE_IDS as readonly string[]).includes(store))
    .flatMap((t) => {
      const arn = s.stateful.resources.tables[t].tableArn;
      return [resolvedIn(fn, arn), resolvedIn(fn, `${arn}/index/*`)].map((r) => JSON.stringify(r));
    });
  for (const statement of statements.filter((st) => serviceActions([st], 'dynamodb:').length > 0)) {
    for (const resource of [statement.Resource].flat()) expect(declaredArns).toContain(JSON.stringify(resource));
  }
  // KMS: the explicit key uses follow the `crypto` declaration.
  const keyUses = declaredKeyUses(declaration);
  const pseudonymActions = actionsOn(statements, resolvedIn(fn, s.stateful.resources.keys.pseudonymKey.keyArn));
  expect(pseudonymActions).toEqual(keyUses.has('pseudonymKey') ? ['kms:GenerateMac'] : []);
  expect(keyEnvVar('pseudonymKey') in env).toBe(keyUses.has('pseudonymKey'));
  expect(keyEnvVar('dataKey') in env).toBe(keyUses.has('dataKey'));
}

describe('the route table of lambdas/routes.ts', () => {
  beforeAll(() => {
    dev = synth({ stage: 'dev' });
    prod = synth({ stage: 'prod', corsOrigins: ['https://app.example.com'] });
  });

  describe('functions from the route table', () => {
    it('creates one function per route, plus the fallback, the workers and (for non-public routes) the authorizer', () => {
      const expected = [
        ...routes.map((r) => r.id),
        fallbackRoute.id,
        ...workers.map((w) => w.id),
        ...schedules.map((j) => j.id),
        ...(routes.some((r) => r.auth !== 'public') ? [authorizerFunction.id] : []),
      ];
      expect([...dev.api.functions.keys()].sort()).toEqual([...expected].sort());
      // plus CDK's BucketDeployment handler, which uploads the console (console-site.test.ts)
      expect(apiResources(dev, 'AWS::Lambda::Function')).toHaveLength(expected.length + 1);
    });

    it('runs every function on nodejs22.x/arm64 with the stage and the CORS list, source maps not loaded at init', () => {
      for (const fn of prod.api.functions.values()) {
        const props = propertiesOf(fn.function);
        expect(props).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
        // Reserved only where lib/config.ts says so (alarms.test.ts checks which); never more than the stage's largest.
        const reserved = prod.config.concurrency.reserved!;
        expect([undefined, reserved.rightsWorker, reserved.passwordHashing, reserved.scheduledJob]).toContain(
          props.ReservedConcurrentExecutions,
        );
        expect(props.Environment.Variables).toMatchObject({
          POWERTOOLS_SERVICE_NAME: 'forget-me-not',
          STAGE: 'prod',
          CORS_ALLOWED_ORIGINS: 'https://app.example.com',
        });
        // The map ships in the asset (fmn stack symbolicate reads it); loading it at every cold start is what P2 measured away.
        expect(props.Environment.Variables.NODE_OPTIONS).toBeUndefined();
      }
    });

    it('gives every function its own KMS-encrypted log group with a retention period', () => {
      for (const fn of dev.api.functions.values()) {
        const stack = Stack.of(fn);
        const logGroupId = stack.getLogicalId(fn.logGroup.node.defaultChild as any);
        expect(templateOf(fn).toJSON().Resources[logGroupId]).toMatchObject({
          Type: 'AWS::Logs::LogGroup',
          DeletionPolicy: 'Delete',
          Properties: { KmsKeyId: resolvedIn(fn, dev.stateful.resources.keys.logsKey.keyArn), RetentionInDays: 7 },
        });
        expect(propertiesOf(fn.function)).toMatchObject({
          Role: { 'Fn::GetAtt': [stack.getLogicalId(fn.role.node.defaultChild as any), 'Arn'] },
          LoggingConfig: { LogGroup: { Ref: logGroupId } },
        });
      }
      const prodGroups = apiResources(prod, 'AWS::Logs::LogGroup');
      expect(prodGroups.length).toBeGreaterThan(prod.api.functions.size);
      for (const group of prodGroups) expect(group).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
    });

    it('uses no managed policies', () => {
      for (const role of apiResources(dev, 'AWS::IAM::Role')) {
        expect((role as Json).Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it.each(routes.map((r) => [r.id, r] as const))('%s: grants and environment exactly as declared', (_id, route) => {
      expectBoundExactlyAsDeclared(dev, route);
    });

    it('binds the authorizer and the workers exactly as declared too', () => {
      if (routes.some((r) => r.auth !== 'public')) expectBoundExactlyAsDeclared(dev, authorizerFunction);
      for (const worker of workers) expectBoundExactlyAsDeclared(dev, worker);
    });

    it.each(['health', 'openapi', 'fallback'])('%s: touches no store and no key', (id) => {
      const statements = statementsOf(fnOf(dev, id));
      for (const service of ['dynamodb:', 'kms:', 's3:', 'sqs:']) expect(serviceActions(statements, service)).toEqual([]);
      expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    });

    it('consumes the rights-request queue with partial batch failures, within the visibility timeout', () => {
      const worker = fnOf(dev, rightsRequestWorker.id);
      templateOf(worker).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: Stack.of(worker).getLogicalId(worker.function.node.defaultChild as any) },
        EventSourceArn: resolvedIn(worker, dev.stateful.resources.rightsRequestQueue.queueArn),
        BatchSize: rightsRequestWorker.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(propertiesOf(worker.function)).toMatchObject({
        Role: { 'Fn::GetAtt': [Stack.of(worker).getLogicalId(worker.role.node.defaultChild as any), 'Arn'] },
        Timeout: rightsRequestWorker.timeoutSeconds,
      });
      const queueId = dev.stateful.getLogicalId(dev.stateful.resources.rightsRequestQueue.node.defaultChild as any);
      const queue = dev.statefulTemplate.toJSON().Resources[queueId] as Json;
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * rightsRequestWorker.timeoutSeconds);
      const statements = statementsOf(worker);
      expect(actionsOn(statements, resolvedIn(worker, dev.stateful.resources.rightsRequestQueue.queueArn))).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']),
      );
      expect(actionsOn(statements, resolvedIn(worker, dev.stateful.resources.keys.queueKey.keyArn))).toEqual(['kms:Decrypt']);
    });
  });

  describe('REST API', () => {
    const methods = (s: Synthesized) => apiResources(s, 'AWS::ApiGateway::Method');

    it('routes every declared endpoint to its function, with the declared authorization', () => {
      for (const route of routes) {
        const fn = fnOf(dev, route.id);
        const method = methods(dev).find(
          (m) =>
            m.Properties.HttpMethod === route.method &&
            JSON.stringify(m.Properties.Integration.Uri).includes(dev.api.getLogicalId(fn.function.node.defaultChild as any)),
        );
        expect({ route: route.id, found: method !== undefined }).toEqual({ route: route.id, found: true });
        expect(method!.Properties.AuthorizationType).toBe(route.auth === 'public' ? 'NONE' : 'CUSTOM');
        expect(method!.Properties.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
      }
    });

    it('sends unknown paths and wrong methods to the fallback: ANY on the root, on /{proxy+} and on every route resource', () => {
      const fallbackFn = fnOf(dev, 'fallback');
      const fallback = Stack.of(fallbackFn).getLogicalId(fallbackFn.function.node.defaultChild as any);
      const anyMethods = dev.api.node
        .findAll()
        .filter((c): c is apigateway.Method => c instanceof apigateway.Method && c.httpMethod === 'ANY');
      for (const method of anyMethods) {
        // In the fallback's own stack, so its integration names the function directly.
        expect(Stack.of(method)).toBe(Stack.of(fallbackFn));
        expect(JSON.stringify(propertiesOf(method).Integration.Uri)).toContain(fallback);
      }
      const withAny = new Set(anyMethods.map((m) => m.resource.path));
      expect(withAny).toContain('/');
      expect(withAny).toContain('/{proxy+}');
      for (const route of routes) expect(withAny).toContain(route.path);
      expect(apiResources(dev, 'AWS::ApiGateway::Method').filter((m) => m.Properties.HttpMethod === 'ANY')).toHaveLength(anyMethods.length);
      // Lambda's resource policy stays small: one permission for the fallback, whatever the number of resources.
      templateOf(fallbackFn).resourcePropertiesCountIs('AWS::Lambda::Permission', { FunctionName: { 'Fn::GetAtt': [fallback, 'Arn'] } }, 1);
    });

    it('lets API Gateway invoke each route function for its own method and path on this stage only', () => {
      for (const route of routes) {
        const fn = fnOf(dev, route.id);
        const permissions = Object.values(templateOf(fn).findResources('AWS::Lambda::Permission')).filter(
          (p) => JSON.stringify((p as Json).Properties.FunctionName).includes(Stack.of(fn).getLogicalId(fn.function.node.defaultChild as any)),
        ) as Json[];
        expect({ route: route.id, permissions: permissions.length }).toEqual({ route: route.id, permissions: 1 });
        const arn = JSON.stringify(permissions[0].Properties.SourceArn);
        expect(arn).toContain(`/dev/${route.method}${route.path.replace(/\{[^}]*\}/g, '*')}"`);
      }
    });

    it('validates bodies and parameters, with a draft-4 model for each route with a body schema', () => {
      dev.apiTemplate.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
      const withBody = routes.filter((r) => r.request?.body);
      dev.apiTemplate.resourceCountIs('AWS::ApiGateway::Model', withBody.length);
      for (const model of Object.values(dev.apiTemplate.findResources('AWS::ApiGateway::Model')) as Json[]) {
        expect(model.Properties).toMatchObject({
          ContentType: 'application/json',
          Schema: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' },
        });
      }
      for (const route of withBody) {
        const method = methods(dev).find((m) => m.Properties.OperationName === route.id)!;
        expect(method.Properties.RequestValidatorId).toBeDefined();
        expect(method.Properties.RequestModels['application/json']).toBeDefined();
      }
    });

    it('writes JSON access logs without IP addresses or user agents to an encrypted log group', () => {
      const stage = Object.values(dev.apiTemplate.findResources('AWS::ApiGateway::Stage'))[0] as Json;
      const format: string = stage.Properties.AccessLogSetting.Format;
      expect(format).not.toMatch(/sourceIp|userAgent/);
      expect(JSON.parse(format)).toEqual(ACCESS_LOG_FIELDS);
      expect(JSON.parse(format)).toMatchObject({
        requestId: '$context.requestId',
        httpMethod: '$context.httpMethod',
        resourcePath: '$context.resourcePath',
        status: '$context.status',
        responseLength: '$context.responseLength',
        latencyMs: '$context.responseLatency',
      });
      const logGroupId = stage.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0];
      expect(dev.apiTemplate.toJSON().Resources[logGroupId].Properties).toEqual({
        KmsKeyId: resolvedIn(dev.api, dev.stateful.resources.keys.logsKey.keyArn),
        RetentionInDays: 7,
        Tags: expect.any(Array),
      });
    });

    it('throttles the stage from the stage configuration', () => {
      dev.apiTemplate.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'dev',
        MethodSettings: [
          Match.objectLike({
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: dev.config.throttling.rateLimit,
            ThrottlingBurstLimit: dev.config.throttling.burstLimit,
          }),
        ],
      });
    });

    it('answers gateway errors with problem+json and never echoes the request', () => {
      const responses = Object.values(dev.apiTemplate.findResources('AWS::ApiGateway::GatewayResponse')) as Json[];
      const types = responses.map((r) => r.Properties.ResponseType);
      expect(types).toEqual(
        expect.arrayContaining(['DEFAULT_4XX', 'DEFAULT_5XX', 'BAD_REQUEST_BODY', 'UNAUTHORIZED', 'THROTTLED', 'WAF_FILTERED']),
      );
      for (const response of responses) {
        expect(response.Properties.ResponseParameters['gatewayresponse.header.Content-Type']).toBe("'application/problem+json'");
        const body: string = response.Properties.ResponseTemplates['application/json'];
        expect(body).toMatch(/^\{"type":"\/problems\/[a-z-]+","title":/);
        expect(body).not.toMatch(/validationErrorString|\$input|\$context\.identity/);
      }
      const unauthorized = responses.find((r) => r.Properties.ResponseType === 'UNAUTHORIZED')!;
      expect(JSON.parse(unauthorized.Properties.ResponseTemplates['application/json'].replace('$context.requestId', 'x'))).toEqual({
        type: '/problems/unauthorized',
        title: 'Unauthorized',
        status: 401,
        detail: 'A valid session token is required.',
        instance: 'x',
      });
    });

    it('has no CORS preflight without configured origins, and one with them', () => {
      expect(methods(dev).filter((m) => m.Properties.HttpMethod === 'OPTIONS')).toEqual([]);
      const options = methods(prod).filter((m) => m.Properties.HttpMethod === 'OPTIONS');
      expect(options.length).toBeGreaterThan(0);
      expect(JSON.stringify(options[0].Properties.Integration)).toContain('https://app.example.com');
      prod.apiTemplate.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'DEFAULT_4XX',
        ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'" }),
      });
    });

    it('allows in the preflight exactly the declared headers, with the CORS declaration the local server uses too', () => {
      const preflight = methods(prod).find((m) => m.Properties.HttpMethod === 'OPTIONS')!;
      const headers = preflight.Properties.Integration.IntegrationResponses[0].ResponseParameters;
      expect(headers['method.response.header.Access-Control-Allow-Headers']).toBe(`'${corsAllowHeaders(routes).join(',')}'`);
      expect(headers['method.response.header.Access-Control-Allow-Methods']).toBe(`'${CORS.allowMethods.join(',')}'`);
      expect(headers['method.response.header.Access-Control-Max-Age']).toBe(`'${CORS.maxAgeSeconds}'`);
      // The headers the handlers read are among them: a browser client can send its client id and a receipt token.
      expect(corsAllowHeaders(routes)).toEqual(expect.arrayContaining(['Content-Type', 'Authorization', 'X-Client-Id', 'X-Receipt-Token']));
    });

    it('declares each route header as a method request parameter, required where the route table says so', () => {
      for (const route of routes.filter((r) => r.headers?.length)) {
        const method = methods(dev).find((m) => m.Properties.OperationName === route.id)!;
        for (const header of route.headers!) {
          expect(method.Properties.RequestParameters[`method.request.header.${header.name}`]).toBe(header.required);
        }
      }
      const receipt = methods(dev).find((m) => m.Properties.OperationName === 'erasureReceipt')!;
      expect(receipt.Properties.RequestParameters['method.request.header.X-Receipt-Token']).toBe(true);
    });

    it('protects the stage with a regional WAF web ACL: managed rules and a per-IP rate limit', () => {
      const rule = (pattern: Json) => dev.apiTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        Rules: Match.arrayWith([Match.objectLike(pattern)]),
      });
      rule({
        Statement: { RateBasedStatement: Match.objectLike({ Limit: dev.config.wafRateLimit, AggregateKeyType: 'IP' }) },
        Action: { Block: Match.anyValue() },
      });
      const managed = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'];
      for (const name of managed) {
        rule({
          Statement: { ManagedRuleGroupStatement: Match.objectLike({ VendorName: 'AWS', Name: name }) },
          OverrideAction: { None: {} },
        });
      }
      const stageId = dev.api.getLogicalId(dev.api.api.deploymentStage.node.defaultChild as any);
      const association = Object.values(dev.apiTemplate.findResources('AWS::WAFv2::WebACLAssociation'))[0] as Json;
      expect(JSON.stringify(association.Properties.ResourceArn)).toContain(stageId);
      expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [dev.api.getLogicalId(dev.api.firewall.webAcl), 'Arn'] });
      prod.apiTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([
          Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: prod.config.wafRateLimit }) } }),
        ]),
      });
    });

    it('alarms as soon as one job waits in the DLQ', () => {
      templateOf(dev.api.dlqAlarm).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: resolvedIn(dev.api.dlqAlarm, dev.stateful.resources.rightsRequestDlq.queueName) }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it('exports the API URL', () => {
      dev.apiTemplate.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    });
  });
});

describe('a route table with subject and admin routes, stores of every kind and keys', () => {
  const consentRoute = defineRoute({
    id: 'putConsent',
    method: 'PUT',
    path: '/v1/me/consents/{purpose}',
    handler: 'health',
    summary: 'Record a consent decision.',
    description: 'A fixture route.',
    tags: [],
    feature: 'consent',
    auth: 'subject',
    request: { body: z.strictObject({ granted: z.boolean() }), params: z.object({ purpose: z.string() }) },
    responses: {},
    personalData: [touches('consent', ['read', 'write'], ['subjectId', 'topic', 'action'])],
  });
  const adminRoute = defineRoute({
    id: 'adminGetRequest',
    method: 'GET',
    path: '/v1/admin/requests/{requestId}',
    handler: 'health',
    summary: 'Read a rights request.',
    description: 'A fixture route.',
    tags: [],
    feature: 'rights',
    auth: 'admin',
    request: { query: z.object({ verbose: z.optional(z.string()), page: z.string() }) },
    responses: {},
    personalData: [touches('rightsRequests', ['read'], ['requestId', 'status']), touches('audit', ['write'], ['actorId', 'action'])],
  });
  const exportRoute = defineRoute({
    id: 'requestExport',
    method: 'POST',
    path: '/v1/me/exports',
    handler: 'health',
    summary: 'Queue an export.',
    description: 'A fixture route.',
    tags: [],
    feature: 'rights',
    auth: 'subject',
    responses: {},
    personalData: [
      touches('exports', ['read'], ['subjectExport']),
      touches('rightsRequestQueue', ['write'], ['requestId']),
      touches('subjectKeys', ['read'], ['subjectId', 'wrappedKey']),
    ],
    crypto: ['subjectKeys', 'pseudonyms'],
  });
  const variantRoutes: RouteDefinition[] = [healthRoute, consentRoute, adminRoute, exportRoute];
  const readOnlyAuthorizer = {
    id: 'authorizer',
    handler: 'authorizer',
    personalData: [
      touches('sessions', ['read'], ['tokenHash', 'subjectId', 'expiresAt']),
      touches('users', ['read'], ['subjectId', 'roles']),
    ],
  };
  let variant: Synthesized;

  beforeAll(() => {
    variant = synth({ api: { routes: variantRoutes, authorizer: readOnlyAuthorizer } });
  });

  it('creates a REQUEST authorizer on the Authorization header with a 60 s cache, only for non-public routes', () => {
    variant.apiTemplate.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 60,
    });
    const authorizerId = variant.api.getLogicalId(variant.api.authorizer!.node.defaultChild as any);
    const methods = variant.api.node.findAll().filter((c): c is apigateway.Method => c instanceof apigateway.Method);
    for (const route of variantRoutes) {
      const method = methods.find((m) => m.node.id === route.id)!;
      const props = propertiesOf(method);
      if (route.auth === 'public') expect(props).toMatchObject({ AuthorizationType: 'NONE' });
      else {
        expect(props).toMatchObject({ AuthorizationType: 'CUSTOM' });
        // The method sits in its feature's nested stack: the authorizer's id arrives as a parameter from the API stack.
        expect(parameterValueOf(Stack.of(method), props.AuthorizerId)).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('lets the authorizer read the sessions and users tables and nothing else', () => {
    expectBoundExactlyAsDeclared(variant, readOnlyAuthorizer);
    const statements = statementsOf(fnOf(variant, 'authorizer'));
    const dynamoActions = new Set(serviceActions(statements, 'dynamodb:'));
    for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
      expect(dynamoActions.has(write)).toBe(false);
    }
    const tables = ['sessions', 'users'] as const;
    for (const table of TABLE_IDS) {
      const actions = actionsOn(statements, resolvedIn(variant.api.authorizer!, variant.stateful.resources.tables[table].tableArn));
      expect({ table, read: actions.includes(READ) }).toEqual({ table, read: (tables as readonly string[]).includes(table) });
    }
  });

  it.each([consentRoute, adminRoute, exportRoute].map((r) => [r.id, r] as const))('%s: bound exactly as declared', (_id, route) => {
    expectBoundExactlyAsDeclared(variant, route);
  });

  it('binds the exports bucket, the queue and the keys with their environment variables', () => {
    const fn = fnOf(variant, exportRoute.id);
    const statements = statementsOf(fn);
    const env = environmentOf(fn);
    const { exportsBucket, rightsRequestQueue, keys } = variant.stateful.resources;
    expect(env[bucketEnvVar('exports')]).toEqual(resolvedIn(fn, exportsBucket.bucketName));
    expect(env[queueEnvVar('rightsRequestQueue')]).toEqual(resolvedIn(fn, rightsRequestQueue.queueUrl));
    expect(env[keyEnvVar('dataKey')]).toEqual(resolvedIn(fn, keys.dataKey.keyArn));
    expect(env[keyEnvVar('pseudonymKey')]).toEqual(resolvedIn(fn, keys.pseudonymKey.keyArn));
    expect(actionsOn(statements, resolvedIn(fn, exportsBucket.arnForObjects('*')))).toEqual([
      's3:GetBucket*',
      's3:GetObject*',
      's3:List*',
    ]);
    expect(actionsOn(statements, resolvedIn(fn, rightsRequestQueue.queueArn))).toEqual([
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
    expect(serviceActions(statements, 's3:Put')).toEqual([]);
    expect(serviceActions(statements, 's3:Delete')).toEqual([]);
    // Reads subject keys: unwraps them (Decrypt) but never creates one (GenerateDataKey).
    expect(actionsOn(statements, resolvedIn(fn, keys.dataKey.keyArn))).toContain('kms:Decrypt');
    expect(actionsOn(statements, resolvedIn(fn, keys.dataKey.keyArn))).not.toContain('kms:GenerateDataKey');
  });

  it('makes every route that touches personal data an audit writer, told how long to keep records', () => {
    // defineRoute adds the audit table and the pseudonym key to any route with personal data; the declaration cannot forget.
    expect(consentRoute.personalData.some((t) => t.store === 'audit' && t.access.includes('write'))).toBe(true);
    expect((consentRoute as RouteDefinition).crypto).toContain('pseudonyms');
    expect(environmentOf(fnOf(variant, adminRoute.id)).AUDIT_RETENTION_DAYS).toBe('395');
    expect(environmentOf(fnOf(variant, consentRoute.id)).AUDIT_RETENTION_DAYS).toBe('395');
    expect(environmentOf(fnOf(variant, healthRoute.id)).AUDIT_RETENTION_DAYS).toBeUndefined();
  });

  it('declares path and query parameters, and puts no greedy fallback beside a path variable', () => {
    const methods = apiResources(variant, 'AWS::ApiGateway::Method');
    expect(methods.find((m) => m.Properties.OperationName === adminRoute.id)!.Properties.RequestParameters).toEqual({
      'method.request.path.requestId': true,
      'method.request.querystring.verbose': false,
      'method.request.querystring.page': true,
    });
    // The resource tree is in the API stack; the fallback's {proxy+} children are in its feature's nested stack.
    const resources = variant.api.node.findAll().filter((c): c is apigateway.Resource => c instanceof apigateway.Resource);
    const children = resources.filter((r) => r.parentResource?.path === '/v1/me/consents').map((r) => r.path);
    expect(children).toEqual(['/v1/me/consents/{purpose}']);
    expect(resources.map((r) => r.path)).toContain('/v1/me/{proxy+}');
  });

  it('builds no authorizer when every route is public', () => {
    const open = synth({ api: { routes: [healthRoute] } });
    open.apiTemplate.resourceCountIs('AWS::ApiGateway::Authorizer', 0);
    expect(open.api.functions.has('authorizer')).toBe(false);
  });
});

describe('OIDC provider allow-list', () => {
  const google = { name: 'google', issuer: 'https://accounts.google.com', audience: 'client-123', jwksUri: 'https://www.googleapis.com/oauth2/v3/certs' };

  it('reaches the OIDC login function, and only it, as OIDC_PROVIDERS', () => {
    const s = synth({ stage: 'dev', oidcProviders: [google] });
    for (const [id, fn] of s.api.functions) {
      const env = environmentOf(fn);
      if (id === 'loginOidc') expect(JSON.parse(String(env.OIDC_PROVIDERS))).toEqual([google]);
      else expect(env).not.toHaveProperty('OIDC_PROVIDERS');
    }
  });
});

describe('client ids from context', () => {
  const readers = routes.filter((r) => r.headers?.some((h) => h.name === 'X-Client-Id')).map((r) => r.id);

  it('reach the functions that read X-Client-Id, and only them, as CLIENT_IDS (default web, ios, android)', () => {
    expect(readers.sort()).toEqual(['liftRestriction', 'object', 'putConsent', 'register', 'restrict', 'withdrawObjection']);
    for (const [clientIds, expected] of [[undefined, 'web,ios,android'], [['web', 'kiosk'], 'web,kiosk']] as const) {
      const s = synth({ stage: 'dev', clientIds });
      for (const [id, fn] of s.api.functions) {
        const env = environmentOf(fn);
        if (readers.includes(id)) expect(env.CLIENT_IDS).toBe(expected);
        else expect(env).not.toHaveProperty('CLIENT_IDS');
      }
    }
  });
});

// Scheduled jobs (rules, alarms, grants) are tested in schedules.test.ts.

describe('awaitRecipients from context', () => {
  it('reaches the rights worker as AWAIT_RECIPIENTS when set, and only then (unset: it waits for every recipient)', () => {
    expect(environmentOf(synth({ stage: 'dev' }).api.functions.get('rightsRequestWorker')!)).not.toHaveProperty('AWAIT_RECIPIENTS');
    const narrowed = synth({ stage: 'dev', awaitRecipients: ['app-service'] });
    expect(JSON.parse(String(environmentOf(narrowed.api.functions.get('rightsRequestWorker')!).AWAIT_RECIPIENTS))).toEqual(['app-service']);
    expect(() => synth({ stage: 'dev', awaitRecipients: ['nobody'] })).toThrow(/"nobody" is not a declared recipient/);
  });
});

describe('rights modes from context', () => {
  it('reach the request-creating function as RIGHTS_MODES', () => {
    const s = synth({ stage: 'dev' });
    const fn = s.api.functions.get('createRequest')!;
    expect(JSON.parse(String(environmentOf(fn).RIGHTS_MODES))).toEqual({});
  });
});
