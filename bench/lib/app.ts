/**
 * The handlers under test, loaded in this process after the local cloud's environment is in place (handlers read their
 * configuration at module scope), and small typed helpers that invoke them with the events API Gateway and SQS send.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext } from '../../local/lambda-context';
import { apiEvent, sqsEvent, subjectContext } from './events';
import { SdkProbe } from './sdk-probe';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** A subject's identity as the authorizer would pass it. */
export interface Caller {
  readonly subjectId: string;
  readonly sessionId: string;
}

export type App = Awaited<ReturnType<typeof loadApp>>;

/** Answers outside 2xx are benchmark failures: a benchmark of error answers would measure the wrong path. */
function expectOk(what: string, result: APIGatewayProxyResult): APIGatewayProxyResult {
  if (result.statusCode >= 300) throw new Error(`${what} answered ${result.statusCode}: ${result.body.slice(0, 300)}`);
  return result;
}

export async function loadApp(queueArn: string) {
  const routes = await import('../../lambdas/routes');
  const load = async <T>(name: string) => (await import(`../../lambdas/handlers/${name}.ts`)).handler as T;
  const handlers = {
    register: await load<ProxyHandler>('register'),
    login: await load<ProxyHandler>('login'),
    getMe: await load<ProxyHandler>('get-me'),
    putConsent: await load<ProxyHandler>('put-consent'),
    myConsents: await load<ProxyHandler>('my-consents'),
    createRequest: await load<ProxyHandler>('create-request'),
    analyticsEvents: await load<ProxyHandler>('analytics-events'),
    worker: await load<SqsHandler>('rights-request-worker'),
  };
  // The module-scope clients the handlers use: the probe records what they send.
  const { dynamodb } = await import('../../lambdas/runtime/clients');
  const { kms } = await import('../../lambdas/runtime/kms');
  const { s3 } = await import('../../lambdas/runtime/s3');
  const sqs = (await import('../../lambdas/wiring/rights')).sqsClient();
  const probe = new SdkProbe();
  probe.attach({ dynamodb, kms, s3, sqs });
  const ctx = (id: string) => lambdaContext(`fmn-bench-${id}`, 29);

  const call = async (what: string, handler: ProxyHandler, event: APIGatewayProxyEvent) =>
    expectOk(what, await handler(event, ctx(what)));

  return {
    routes,
    handlers,
    clients: { dynamodb, kms, s3, sqs },
    probe,
    /** POST /v1/accounts; returns the caller its session stands for. */
    async register(email: string, password: string, extra: Record<string, unknown> = {}): Promise<Caller & { token: string }> {
      const event = apiEvent({ route: routes.registerRoute, body: { email, password, displayName: 'Bench Subject', ...extra } });
      const body = JSON.parse((await call('register', handlers.register, event)).body);
      return { subjectId: body.account.subjectId, sessionId: body.session.token, token: body.session.token };
    },
    registerEvent: (email: string, password: string) =>
      apiEvent({ route: routes.registerRoute, body: { email, password, displayName: 'Bench Subject' } }),
    loginEvent: (email: string, password: string) => apiEvent({ route: routes.loginRoute, body: { email, password } }),
    getMeEvent: (c: Caller) => apiEvent({ route: routes.getMeRoute, authorizer: subjectContext(c.subjectId, c.sessionId) }),
    putConsentEvent: (c: Caller, purpose: string, granted: boolean) =>
      apiEvent({
        route: routes.putConsentRoute,
        path: `/v1/me/consents/${purpose}`,
        pathParameters: { purpose },
        body: { granted },
        authorizer: subjectContext(c.subjectId, c.sessionId),
      }),
    myConsentsEvent: (c: Caller) => apiEvent({ route: routes.myConsentsRoute, authorizer: subjectContext(c.subjectId, c.sessionId) }),
    createRequestEvent: (c: Caller, type: 'export' | 'erasure' | 'access') =>
      apiEvent({ route: routes.createRequestRoute, body: { type }, authorizer: subjectContext(c.subjectId, c.sessionId) }),
    analyticsEvent: (c: Caller, events: unknown[]) =>
      apiEvent({ route: routes.analyticsEventsRoute, body: { events }, authorizer: subjectContext(c.subjectId, c.sessionId) }),
    /** Invokes a route handler and fails on any answer outside 2xx. */
    call,
    /** Runs one rights job through the worker handler, as the SQS event source would deliver it. */
    async runJob(kind: 'export' | 'erasure' | 'access', requestId: string): Promise<void> {
      const result = await handlers.worker(sqsEvent(JSON.stringify({ kind, requestId }), queueArn), lambdaContext('fmn-bench-worker', 120));
      if (result.batchItemFailures.length > 0) throw new Error(`the worker reported the ${kind} job as failed`);
    },
  };
}
