/**
 * API Gateway (REST, v1 proxy) events as the local API server builds them (local/api-server.ts), with the authorizer
 * context already in place, as API Gateway passes it once the authorizer has answered (or from its result cache).
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, SQSEvent } from 'aws-lambda';
import type { RouteDefinition } from '../../lambdas/routes';
import { callerIdentity } from '../../local/api-server';

export interface EventInput {
  readonly route: Pick<RouteDefinition, 'id' | 'method' | 'path'>;
  /** The concrete path, e.g. `/v1/me/consents/analytics`; defaults to the route's path. */
  readonly path?: string;
  readonly pathParameters?: Record<string, string>;
  readonly body?: unknown;
  /** The authorizer context (string values, as REST API authorizers give them). */
  readonly authorizer?: Record<string, string>;
}

export function apiEvent(input: EventInput): APIGatewayProxyEvent {
  const path = input.path ?? input.route.path;
  const headers: Record<string, string> = {
    host: '127.0.0.1',
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) fmn-bench',
    accept: 'application/json',
  };
  if (input.body !== undefined) headers['content-type'] = 'application/json';
  const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  const requestId = randomUUID();
  const now = Date.now();
  return {
    resource: input.route.path,
    path,
    httpMethod: input.route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body: input.body === undefined ? null : JSON.stringify(input.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: input.authorizer ? { ...input.authorizer, principalId: input.authorizer.subjectId } : null,
      httpMethod: input.route.method,
      identity: callerIdentity('127.0.0.1', headers['user-agent'] ?? null),
      path: `/local${path}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTimeEpoch: now,
      resourceId: input.route.id,
      resourcePath: input.route.path,
      stage: 'local',
    },
  };
}

/** The authorizer context of a subject's session, as `lambdas/handlers/authorizer.ts` returns it. */
export function subjectContext(subjectId: string, sessionId: string, authTime = Math.floor(Date.now() / 1000)): Record<string, string> {
  return { subjectId, roles: 'subject', sessionId, authTime: String(authTime) };
}

/** An SQS event with one record, as Lambda's SQS event source (and local/worker-runner.ts) delivers it. */
export function sqsEvent(body: string, queueArn: string, receiveCount = 1): SQSEvent {
  const now = String(Date.now());
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: randomUUID(),
        body,
        attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: now, SenderId: 'bench', ApproximateFirstReceiveTimestamp: now },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: 'eu-west-1',
      },
    ],
  };
}
