import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { declaredClientIds } from '../../lambdas/client-ids';
import { CLIENT_ID_HEADER, defineRoute, RECEIPT_TOKEN_HEADER } from '../../lambdas/routes';
import { ConflictError } from '../../lambdas/http/problems';
import { httpRoute } from '../../lambdas/http/http';
import { dataFreeRoute } from '../../lambdas/http/http-core';

const context = { functionName: 'unit', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

function event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    resource: '/v1/things/{thingId}',
    path: '/v1/things/abc',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { thingId: 'abc' },
    stageVariables: null,
    body: JSON.stringify({ name: 'x' }),
    isBase64Encoded: false,
    requestContext: { requestId: 'corr-1', authorizer: null } as unknown as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

// A route defined only for this test: the middleware is exercised without any real store.
const thingRoute = defineRoute({
  id: 'unitThing',
  method: 'POST',
  path: '/v1/things/{thingId}',
  handler: 'unused',
  summary: 'test route',
  description: 'A fixture route.',
  tags: [],
  feature: 'operations',
  auth: 'public',
  request: {
    body: z.strictObject({ name: z.string().check(z.minLength(1)) }),
    params: z.object({ thingId: z.string().check(z.maxLength(5)) }),
  },
  responses: {},
  personalData: [],
});

const adminRoute = defineRoute({ ...thingRoute, id: 'unitAdmin', auth: 'admin' });

describe('httpRoute', () => {
  const handler = httpRoute(thingRoute, async ({ body, params }) => ({ status: 201, body: { got: body.name, id: params.thingId } }));

  it('passes validated body and params to the handler and answers JSON', async () => {
    const result = await handler(event(), context);
    expect(result.statusCode).toBe(201);
    expect(result.headers?.['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(result.body)).toEqual({ got: 'x', id: 'abc' });
  });

  it('answers 415 problem+json for a non-JSON body', async () => {
    const result = await handler(event({ headers: { 'content-type': 'text/plain' }, body: 'name=x' }), context);
    expect(result.statusCode).toBe(415);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(result.body)).toMatchObject({ type: '/problems/unsupported-media-type', status: 415, instance: 'corr-1' });
  });

  it('answers 400 for malformed JSON', async () => {
    const result = await handler(event({ body: '{"name": ' }), context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).type).toBe('/problems/malformed-json');
  });

  it('answers 413 for a body over the limit', async () => {
    const result = await handler(event({ body: JSON.stringify({ name: 'x'.repeat(20_000) }) }), context);
    expect(result.statusCode).toBe(413);
  });

  it('answers 400 with field paths but never the submitted values', async () => {
    const secret = 'canary-value-123';
    const result = await handler(event({ body: JSON.stringify({ name: '', extra: secret }) }), context);
    expect(result.statusCode).toBe(400);
    const problem = JSON.parse(result.body);
    expect(problem.type).toBe('/problems/validation-failed');
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.name', 'body']));
    expect(result.body).not.toContain(secret);
  });

  it('says in words what is wrong with each field (zod/mini has no messages of its own: http/zod-messages.ts)', async () => {
    const result = await handler(event({ body: JSON.stringify({ name: '', extra: 1 }) }), context);
    expect(JSON.parse(result.body).errors).toEqual([
      { path: 'body.name', message: 'Too small: expected string to have >=1 characters' },
      { path: 'body', message: 'Unrecognized key: "extra"' },
    ]);
  });

  it('validates path parameters', async () => {
    const result = await handler(event({ pathParameters: { thingId: 'too-long-id' } }), context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).errors[0].path).toBe('params.thingId');
  });

  it('maps domain problems to their status', async () => {
    const conflicting = httpRoute(thingRoute, async () => {
      throw new ConflictError('Already there.');
    });
    const result = await conflicting(event(), context);
    expect(result.statusCode).toBe(409);
    expect(JSON.parse(result.body)).toMatchObject({ title: 'Conflict', detail: 'Already there.' });
  });

  it('turns unexpected errors into a 500 that says nothing internal', async () => {
    const failing = httpRoute(thingRoute, async () => {
      throw new Error('connection string postgres://secret@host');
    });
    const result = await failing(event(), context);
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('secret');
    expect(JSON.parse(result.body).type).toBe('/problems/internal-error');
  });

  it('refuses a guarded route without a principal (401) or without the role (403)', async () => {
    const admin = httpRoute(adminRoute, async () => ({ body: {} }));
    expect((await admin(event(), context)).statusCode).toBe(401);
    const asSubject = event({
      requestContext: { requestId: 'c', authorizer: { subjectId: 's-1', roles: 'subject' } } as never,
    });
    expect((await admin(asSubject, context)).statusCode).toBe(403);
    const asAdmin = event({ requestContext: { requestId: 'c', authorizer: { subjectId: 'a-1', roles: 'admin' } } as never });
    expect((await admin(asAdmin, context)).statusCode).toBe(200);
  });
});

describe('declared request headers', () => {
  // A route reading the client id (from the declared list) and a required token; nothing else of the headers.
  const headerRoute = defineRoute({
    ...thingRoute,
    id: 'unitHeaders',
    headers: [CLIENT_ID_HEADER, RECEIPT_TOKEN_HEADER],
  });
  const handler = httpRoute(headerRoute, async ({ headers }) => ({ body: { headers } }));
  const withHeaders = (headers: Record<string, string>) => event({ headers: { 'Content-Type': 'application/json', ...headers } });
  const saved = process.env.CLIENT_IDS;
  afterEach(() => {
    if (saved === undefined) delete process.env.CLIENT_IDS;
    else process.env.CLIENT_IDS = saved;
  });

  it('hands the handler only the declared headers, lower-cased, whatever case the client used', async () => {
    const result = await handler(withHeaders({ 'x-CLIENT-id': 'ios', 'X-Receipt-Token': 'tok', 'X-Other': 'not for the handler' }), context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).headers).toEqual({ 'x-client-id': 'ios', 'x-receipt-token': 'tok' });
  });

  it('answers 400 problem+json for a missing required header, before the handler runs', async () => {
    const ran = jest.fn(async () => ({}));
    const result = await httpRoute(headerRoute, ran)(withHeaders({ 'X-Client-Id': 'web' }), context);
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(result.body).errors).toEqual([{ path: 'headers.x-receipt-token', message: 'Required' }]);
    expect(ran).not.toHaveBeenCalled();
  });

  it('refuses a client id the deployment does not declare (CLIENT_IDS, default web, ios, android), without echoing it', async () => {
    const ran = jest.fn(async () => ({}));
    const refuse = async (clientId: string) => {
      const result = await httpRoute(headerRoute, ran)(withHeaders({ 'X-Client-Id': clientId, 'X-Receipt-Token': 't' }), context);
      expect(result.statusCode).toBe(400);
      expect(result.body).not.toContain(clientId);
      expect(JSON.parse(result.body)).toMatchObject({ type: '/problems/validation-failed', errors: [expect.objectContaining({ path: 'headers.x-client-id' })] });
    };
    await refuse('user-4711');
    await refuse('ada@example.com');
    process.env.CLIENT_IDS = 'kiosk';
    await refuse('web');
    expect(ran).not.toHaveBeenCalled();
    const accepted = await handler(withHeaders({ 'X-Client-Id': 'kiosk', 'X-Receipt-Token': 't' }), context);
    expect(JSON.parse(accepted.body).headers['x-client-id']).toBe('kiosk');
  });

  it('fails loudly on a malformed CLIENT_IDS: a deployment error, not a request error', () => {
    process.env.CLIENT_IDS = 'web,Not An Id';
    expect(() => declaredClientIds()).toThrow(/CLIENT_IDS: "Not An Id" is not a client id/);
  });
});

describe('dataFreeRoute', () => {
  it('serves a route that touches no personal data, through the same chain', async () => {
    const handler = dataFreeRoute(thingRoute, async ({ params }) => ({ status: 201, body: { thingId: params.thingId, name: 'x' } }));
    const res = await handler(event(), context);
    expect([res.statusCode, JSON.parse(res.body)]).toEqual([201, { thingId: 'abc', name: 'x' }]);
  });

  it('refuses, at cold start, a route that declares personal data (it needs the audit trail of httpRoute)', () => {
    const personal = { ...thingRoute, personalData: [{ store: 'users', access: ['read'], fields: ['profile'] }] } as unknown as typeof thingRoute;
    expect(() => dataFreeRoute(personal, async () => ({}))).toThrow(/touches personal data/);
  });
});
