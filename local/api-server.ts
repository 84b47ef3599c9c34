/**
 * The local API: the route table served over HTTP on 127.0.0.1. Each request becomes the same API Gateway (REST, v1 proxy)
 * event the deployed API sends, authorizer context included, and each handler result becomes the HTTP answer. Handlers are
 * the very modules Lambda runs; only this adapter is local.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { authorizerFunction, CORS, corsAllowHeaders, fallbackRoute, matchRoute, type RouteDefinition } from '../lambdas/routes';
import { serveConsole } from './console-files';
import { runAs } from './field-trace';
import { invokeAs } from './lambda-context';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

export interface LocalApiOptions {
  readonly port: number;
  readonly routes: readonly RouteDefinition[];
  /** Loads `lambdas/handlers/<name>.ts` and returns its `handler` export. */
  readonly loadHandler: (name: string) => Promise<unknown>;
  /** Same as the API Gateway stage's CORS configuration. */
  readonly corsOrigins: readonly string[];
  readonly stage: string;
  /** API Gateway's own payload limit (10 MB); routes enforce their smaller limit themselves. */
  readonly maxPayloadBytes?: number;
  /** The built console (console/build.ts), served at /console/. @default - no console */
  readonly consoleDir?: string;
}

export interface RunningLocalApi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const API_ID = 'local';
const GATEWAY_LIMIT = 10 * 1024 * 1024;

export async function startLocalApi(options: LocalApiOptions): Promise<RunningLocalApi> {
  const handlers = new Map<string, Promise<unknown>>();
  const load = (name: string) => {
    if (!handlers.has(name)) handlers.set(name, options.loadHandler(name));
    return handlers.get(name)!;
  };
  const server = createServer((req, res) => {
    serve(req, res, options, load).catch(() => {
      // A crash in the adapter itself; mirror API Gateway's bare 502 without internals.
      if (!res.headersSent) sendProblem(res, 502, 'bad-gateway', 'Bad gateway', randomUUID());
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await listen(server, options.port);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on 127.0.0.1 is already in use`) : error),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  options: LocalApiOptions,
  load: (name: string) => Promise<unknown>,
): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req, options.maxPayloadBytes ?? GATEWAY_LIMIT);
  if (body === 'too-large') {
    sendProblem(res, 413, 'payload-too-large', 'Payload too large', requestId);
    return;
  }

  if (method === 'OPTIONS' && preflight(req, res, options)) return;
  // On AWS, CloudFront sends /console/* to the console bucket and everything else to the API: the same split here.
  if (options.consoleDir && (await serveConsole(req, res, url.pathname, options.consoleDir))) return;

  const match = matchRoute(method, url.pathname, options.routes);
  const route = match && 'route' in match ? match.route : fallbackRoute;
  const params = match && 'route' in match ? match.params : { proxy: url.pathname.replace(/^\//, '') };
  const event = proxyEvent(req, url, method, body, route, params, requestId, options.stage);

  if (route.auth !== 'public') {
    const authorizer = (await load('authorizer')) as AuthorizerHandler;
    let result: APIGatewayAuthorizerResult;
    try {
      result = await runAs(`authorizer:${authorizerFunction.id}`, () =>
        invokeAs(`fmn-local-${authorizerFunction.id}`, 29, (e: ReturnType<typeof authorizerEvent>) => authorizer(e), authorizerEvent(event)),
      );
    } catch {
      sendProblem(res, 401, 'unauthorized', 'Unauthorized', requestId, { 'www-authenticate': 'Bearer' });
      return;
    }
    const allowed = result.policyDocument.Statement.some((s) => s.Effect === 'Allow');
    if (!allowed) {
      sendProblem(res, 403, 'forbidden', 'Forbidden', requestId);
      return;
    }
    event.requestContext.authorizer = { ...(result.context ?? {}), principalId: result.principalId };
  }

  const handler = (await load(route.handler)) as ProxyHandler;
  const result = await runAs(`route:${route.id}`, () => invokeAs(`fmn-local-${route.id}`, 29, handler, event));
  res.statusCode = result.statusCode;
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) res.setHeader(name, values.map(String));
  res.setHeader('x-amzn-requestid', requestId);
  res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

/** Reads the body, stopping at the gateway's limit so an oversized upload cannot fill memory. */
function readBody(req: IncomingMessage, limit: number): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function preflight(req: IncomingMessage, res: ServerResponse, options: LocalApiOptions): boolean {
  const origin = req.headers.origin;
  if (!origin || !(options.corsOrigins.includes(origin) || options.corsOrigins.includes('*'))) return false;
  // The same declaration as the API Gateway stage's preflight (lambdas/routes.ts).
  res.writeHead(204, {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': CORS.allowMethods.join(','),
    'access-control-allow-headers': corsAllowHeaders(options.routes).join(','),
    'access-control-max-age': String(CORS.maxAgeSeconds),
    vary: 'Origin',
  });
  res.end();
  return true;
}

function proxyEvent(
  req: IncomingMessage,
  url: URL,
  method: string,
  body: string,
  route: RouteDefinition,
  params: Record<string, string>,
  requestId: string,
  stage: string,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const [name, value] = [req.rawHeaders[i], req.rawHeaders[i + 1]];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  const resource = route === fallbackRoute ? '/{proxy+}' : route.path;
  const now = new Date();
  return {
    resource,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(params).length > 0 ? params : null,
    stageVariables: null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: API_ID,
      authorizer: null,
      httpMethod: method,
      // API Gateway puts these in every event; handlers must never log or store them.
      identity: callerIdentity(req.socket.remoteAddress ?? '127.0.0.1', req.headers['user-agent'] ?? null),
      path: `/${stage}${url.pathname}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTimeEpoch: now.getTime(),
      resourceId: route.id,
      resourcePath: resource,
      stage,
    },
  };
}

/** The caller fields API Gateway puts in every proxy event; shared with the benchmarks' in-process events. */
export function callerIdentity(sourceIp: string, userAgent: string | null): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
    sourceIp,
    userAgent,
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    user: null,
    userArn: null,
  };
}

function authorizerEvent(event: APIGatewayProxyEvent): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:eu-west-1:000000000000:${API_ID}/${event.requestContext.stage}/${event.httpMethod}${event.path}`,
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: event.headers as Record<string, string>,
    multiValueHeaders: event.multiValueHeaders as Record<string, string[]>,
    pathParameters: event.pathParameters,
    queryStringParameters: event.queryStringParameters,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters,
    stageVariables: null,
    requestContext: event.requestContext,
  } as APIGatewayRequestAuthorizerEvent;
}

function sendProblem(
  res: ServerResponse,
  status: number,
  slug: string,
  title: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify({ type: `/problems/${slug}`, title, status, instance: requestId }));
}
