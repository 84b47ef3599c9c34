import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { z } from 'zod';
import { defineRoute } from '../../lambdas/routes';
import { ConflictError } from '../../lambdas/shared/errors';
import { httpRoute } from '../../lambdas/shared/http';

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
  auth: 'public',
  request: {
    body: z.strictObject({ name: z.string().min(1) }),
    params: z.object({ thingId: z.string().max(5) }),
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
