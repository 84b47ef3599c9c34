/**
 * The HTTP layer's edges not reached through a full request in http.test.ts: CORS by configured origin, events missing
 * parts API Gateway normally sets, base64 bodies, problems without detail or event, and server-side problems.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { defineRoute } from '../../lambdas/routes';
import { ProblemError } from '../../lambdas/http/problems';
import { TooManyAttemptsError } from '../../lambdas/domain/accounts';
import { ConsentRequiredError } from '../../lambdas/domain/consent';

// Read at module scope by http.ts: set before it loads.
process.env.CORS_ALLOWED_ORIGINS = 'https://app.example.com, https://admin.example.com';
type Http = typeof import('../../lambdas/http/http');
const { httpRoute, jsonAnswer, principalOf, problemAnswer, readJsonBody } = require('../../lambdas/http/http') as Http;

const context = { functionName: 'unit', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

function event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    resource: '/v1/widgets/{widgetId}',
    path: '/v1/widgets/abc',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { widgetId: 'abc' },
    stageVariables: null,
    body: JSON.stringify({ name: 'x' }),
    isBase64Encoded: false,
    requestContext: { requestId: 'corr-9', authorizer: null } as unknown as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

const widgetRoute = defineRoute({
  id: 'unitWidget',
  method: 'POST',
  path: '/v1/widgets/{widgetId}',
  handler: 'unused',
  summary: 'test route',
  description: 'A fixture route.',
  tags: [],
  feature: 'operations',
  auth: 'public',
  request: { body: z.strictObject({ name: z.string().check(z.minLength(1)) }), params: z.object({ widgetId: z.string() }) },
  responses: {},
  personalData: [],
});

describe('CORS', () => {
  it('echoes an allowed origin (matched case-insensitively by header name) and varies on it', () => {
    const answer = jsonAnswer(200, { ok: true }, {}, event({ headers: { ORIGIN: 'https://admin.example.com' } }));
    expect(answer.headers).toMatchObject({ 'access-control-allow-origin': 'https://admin.example.com', vary: 'Origin' });
  });

  it('says nothing to an origin not configured, to a request without headers, and without an event', () => {
    for (const answer of [
      jsonAnswer(200, {}, {}, event({ headers: { origin: 'https://evil.example.net' } })),
      jsonAnswer(200, {}, {}, event({ headers: null as never })),
      jsonAnswer(200, {}),
    ]) {
      expect(answer.headers).not.toHaveProperty('access-control-allow-origin');
      expect(answer.headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    }
  });

  it('echoes any origin when configured with *', () => {
    jest.isolateModules(() => {
      process.env.CORS_ALLOWED_ORIGINS = '*';
      try {
        const fresh = require('../../lambdas/http/http') as Http;
        const answer = fresh.jsonAnswer(200, {}, {}, event({ headers: { origin: 'https://anywhere.example.org' } }));
        expect(answer.headers?.['access-control-allow-origin']).toBe('https://anywhere.example.org');
      } finally {
        process.env.CORS_ALLOWED_ORIGINS = 'https://app.example.com, https://admin.example.com';
      }
    });
  });

  it('answers 204 without a body or content type', () => {
    const answer = jsonAnswer(204, { ignored: true });
    expect(answer.body).toBe('');
    expect(answer.headers).not.toHaveProperty('content-type');
  });
});

describe('readJsonBody', () => {
  it('reads no body, or an empty one, as absent without asking for a content type', () => {
    expect(readJsonBody(event({ body: null, headers: {} }))).toBeUndefined();
    expect(readJsonBody(event({ body: '', headers: {} }))).toBeUndefined();
  });

  it('decodes a base64 body', () => {
    const body = Buffer.from(JSON.stringify({ name: 'ü' }), 'utf8').toString('base64');
    expect(readJsonBody(event({ body, isBase64Encoded: true }))).toEqual({ name: 'ü' });
  });

  it('accepts +json media types with parameters, and refuses a body without a content type', () => {
    expect(readJsonBody(event({ headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' }, body: '{"a":1}' }))).toEqual({ a: 1 });
    expect(() => readJsonBody(event({ headers: {}, body: '{"a":1}' }))).toThrow(expect.objectContaining({ status: 415 }));
  });

  it('counts the limit in bytes, not characters', () => {
    // 4 characters, 8 bytes
    expect(() => readJsonBody(event({ body: '"éé"' }), 5)).toThrow(expect.objectContaining({ status: 413 }));
  });
});

describe('principalOf', () => {
  it('reads no principal from a missing or empty subject', () => {
    expect(principalOf(event())).toBeUndefined();
    expect(principalOf(event({ requestContext: { authorizer: { subjectId: '' } } as never }))).toBeUndefined();
    expect(principalOf(event({ requestContext: undefined as never }))).toBeUndefined();
  });

  it('keeps only known roles, and no session or login time the authorizer did not give', () => {
    expect(principalOf(event({ requestContext: { authorizer: { subjectId: 's-1' } } as never }))).toEqual({
      subjectId: 's-1',
      roles: [],
      sessionId: undefined,
      authTime: undefined,
    });
    expect(
      principalOf(event({ requestContext: { authorizer: { subjectId: 's-1', roles: 'root,admin,subject', sessionId: 'h', authTime: '0' } } as never })),
    ).toEqual({ subjectId: 's-1', roles: ['admin', 'subject'], sessionId: 'h', authTime: undefined });
    expect(principalOf(event({ requestContext: { authorizer: { subjectId: 's-1', authTime: '1764331200' } } as never }))?.authTime).toBe(1764331200);
  });
});

describe('problem answers', () => {
  it('leave out detail and instance they do not have', () => {
    const answer = problemAnswer(new ProblemError(418, 'teapot', 'Teapot'));
    expect(answer.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toEqual({ type: '/problems/teapot', title: 'Teapot', status: 418 });
  });

  it('carry extension members and headers', () => {
    const answer = problemAnswer(new ProblemError(429, 'slow-down', 'Slow down', 'Later.', { headers: { 'retry-after': '30' }, extensions: { code: 'x1' } }));
    expect(answer.headers?.['retry-after']).toBe('30');
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'x1', detail: 'Later.' });
  });

  it('use "unknown" as the instance when the event has no request context', async () => {
    const handler = httpRoute(widgetRoute, async () => ({ body: {} }));
    const result = await handler(event({ requestContext: undefined as never, body: '{}' }), context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).instance).toBe('unknown');
  });

  it('pass a server-side problem through with its own status and slug', async () => {
    const handler = httpRoute(widgetRoute, async () => {
      throw new ProblemError(503, 'dependency-unavailable', 'Unavailable', 'Try again shortly.');
    });
    const result = await handler(event(), context);
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body)).toMatchObject({ type: '/problems/dependency-unavailable', instance: 'corr-9' });
  });

  it('map a domain error through its table: status, slug, detail, headers and extensions', async () => {
    const throttled = httpRoute(widgetRoute, async () => {
      throw new TooManyAttemptsError(30);
    });
    const refused = httpRoute(widgetRoute, async () => {
      throw new ConsentRequiredError('analytics', 'objected');
    });
    const slow = await throttled(event(), context);
    const gated = await refused(event(), context);
    expect([slow.statusCode, slow.headers?.['retry-after'], slow.headers?.['content-type']]).toEqual([429, '30', 'application/problem+json']);
    expect(JSON.parse(slow.body)).toEqual({
      type: '/problems/too-many-attempts',
      title: 'Too many attempts',
      status: 429,
      detail: 'Too many failed logins; try again later.',
      instance: 'corr-9',
    });
    expect(gated.statusCode).toBe(403);
    expect(JSON.parse(gated.body)).toMatchObject({
      type: '/problems/consent-required',
      detail: 'You objected to processing for "analytics".',
      purpose: 'analytics',
      reason: 'objected',
    });
  });

  it('ignore a body, parameters and query on a route that declares none', async () => {
    const bare = defineRoute({ ...widgetRoute, id: 'unitBare', request: undefined });
    const handler = httpRoute(bare, async ({ body, params, query }) => ({ body: { body: body ?? null, params: params ?? null, query: query ?? null } }));
    const result = await handler(event({ headers: { 'content-type': 'text/plain' }, body: 'not json', queryStringParameters: { a: '1' } }), context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ body: null, params: null, query: null });
  });

  it('answer 400 naming params when the event has no path parameters', async () => {
    const handler = httpRoute(widgetRoute, async () => ({ body: {} }));
    const result = await handler(event({ pathParameters: null }), context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).errors.map((e: { path: string }) => e.path)).toContain('params.widgetId');
  });
});
