/**
 * The consent gate, proved two ways: the route table is enumerated (every route processing for a gated purpose is a
 * subject route whose handler is built by `httpRoute` from that very declaration, which is where the gate lives), and the
 * gate's behaviour is exercised on a synthetic gated route with DynamoDB mocked at the SDK edge.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from 'zod/mini';
import { decide, RESTRICTION, type ConsentState, type ConsentTopic } from '../../lambdas/domain/consent';
import { isGated, purposes, PURPOSE_IDS, type PurposeId } from '../../lambdas/purposes';
import { defineRoute, routes, touches } from '../../lambdas/routes';

process.env.CONSENT_TABLE_NAME = 'unit-consent';
process.env.AUDIT_TABLE_NAME = 'unit-audit';
process.env.ANALYTICS_EVENTS_TABLE_NAME = 'unit-analytics';
process.env.PSEUDONYM_KEY_ID = 'alias/unit';

const dynamo = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);

// Loaded after the environment is set: the gate reads its table name at module scope.
const { httpRoute } = require('../../lambdas/http/http') as typeof import('../../lambdas/http/http');

describe('the route table', () => {
  const gated = routes.filter((r) => r.purpose && isGated(r.purpose));

  it('has gated routes, and every one is for a known purpose', () => {
    expect(gated.map((r) => r.id).sort()).toEqual(['analyticsEvents', 'newsletter']);
  });

  it.each(routes.map((r) => [r.id, r] as const))('%s: declares a purpose from the catalogue when it touches personal data', (_id, route) => {
    if (route.personalData.length > 0) expect(PURPOSE_IDS).toContain(route.purpose);
  });

  it.each(gated.map((r) => [r.id, r] as const))('%s: is a subject route whose handler is built by httpRoute from its own declaration', (_id, route) => {
    expect(route.auth).not.toBe('public');
    expect(route.personalData.some((t) => t.store === 'consent' && t.access.includes('read'))).toBe(true);
    const source = readFileSync(join(__dirname, '..', '..', 'lambdas', 'handlers', `${route.handler}.ts`), 'utf8');
    const exported = /export const handler = httpRoute\((\w+),/.exec(source);
    expect(exported).not.toBeNull();
    const routeVar = exported![1];
    // its own declaration, from the route module beside it
    expect(source).toMatch(new RegExp(`import \\{[^}]*\\b${routeVar}\\b[^}]*\\} from './${route.handler}.route'`));
    const routeModule = require(`../../lambdas/handlers/${route.handler}.route`) as Record<string, { id?: string }>;
    expect(routeModule[routeVar]?.id).toBe(route.id);
  });

  it('refuses to define a public route for a gated purpose', () => {
    expect(() =>
      defineRoute({ id: 'leaky', method: 'POST', path: '/v1/leak', handler: 'x', summary: '', description: '', tags: [], feature: 'consent', auth: 'public', responses: {}, personalData: [], purpose: 'analytics' }),
    ).toThrow(/cannot be public/);
  });
});

describe('decide', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  const state = (topic: ConsentTopic, values: Partial<ConsentState>): [ConsentTopic, ConsentState] => [
    topic,
    { topic, seq: 1, lastAction: 'grant', at: '2026-11-01T00:00:00Z', method: 'settings', policyVersion: purposes.analytics.policy.version, ...values },
  ];
  const states = (...entries: [ConsentTopic, ConsentState][]) => new Map(entries);

  it('allows consent purposes only when granted under a current policy and not lapsed', () => {
    expect(decide('analytics', states(), now)).toEqual({ allowed: false, reason: 'not-granted' });
    expect(decide('analytics', states(state('analytics', {})), now)).toEqual({ allowed: true });
    expect(decide('analytics', states(state('analytics', { lastAction: 'withdraw' })), now).reason).toBe('not-granted');
    expect(decide('analytics', states(state('analytics', { policyVersion: '2020-01-01' })), now).reason).toBe('needs-reconsent');
    expect(decide('analytics', states(state('analytics', { validUntil: '2026-11-28T11:59:59Z' })), now).reason).toBe('expired');
    expect(decide('analytics', states(state('analytics', { validUntil: '2026-11-28T12:00:01Z' })), now).allowed).toBe(true);
  });

  it('allows legitimate-interest purposes until the subject objects', () => {
    expect(decide('product-improvement', states(), now).allowed).toBe(true);
    expect(decide('product-improvement', states(state('product-improvement', { lastAction: 'object' })), now).reason).toBe('objected');
    expect(decide('product-improvement', states(state('product-improvement', { lastAction: 'withdraw-objection' })), now).allowed).toBe(true);
  });

  it('stops everything but storage, rights and legal duties under a restriction', () => {
    const restricted = states(state('analytics', {}), state(RESTRICTION, { lastAction: 'restrict' }));
    for (const id of PURPOSE_IDS) {
      expect(decide(id as PurposeId, restricted, now).allowed).toBe(purposes[id].continuesUnderRestriction);
    }
    expect(decide('account', restricted, now).allowed).toBe(true);
  });
});

describe('the gate in httpRoute', () => {
  const context = { functionName: 'unit', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;
  const event = (): APIGatewayProxyEvent =>
    ({
      resource: '/v1/unit',
      path: '/v1/unit',
      httpMethod: 'POST',
      headers: { 'content-type': 'application/json' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: JSON.stringify({ n: 1 }),
      isBase64Encoded: false,
      requestContext: { requestId: 'corr-1', authorizer: { subjectId: '11111111-1111-4111-8111-111111111111', roles: 'subject' } },
    }) as unknown as APIGatewayProxyEvent;

  const base = {
    method: 'POST',
    path: '/v1/unit',
    handler: 'unused',
    summary: '',
    description: 'A fixture route.',
    tags: [],
    feature: 'consent',
    auth: 'subject',
    request: { body: z.strictObject({ n: z.number() }) },
    responses: {},
    personalData: [touches('analyticsEvents', ['write'], ['analyticsId'])],
    purpose: 'analytics',
  } as const;

  beforeEach(() => {
    dynamo.reset();
    kms.reset();
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32) });
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
  });

  it('refuses with 403 consent-required naming the purpose, and never runs the handler', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const processed = jest.fn();
    const handler = httpRoute(defineRoute({ ...base, id: 'unitRefuse' }), async () => (processed(), { body: {} }));
    const result = await handler(event(), context);
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body)).toMatchObject({ type: '/problems/consent-required', purpose: 'analytics', reason: 'not-granted' });
    expect(processed).not.toHaveBeenCalled();
  });

  it('drops silently with 204 in drop mode', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const processed = jest.fn();
    const handler = httpRoute(defineRoute({ ...base, id: 'unitDrop', consentGate: 'drop' }), async () => (processed(), { status: 201 }));
    expect((await handler(event(), context)).statusCode).toBe(204);
    expect(processed).not.toHaveBeenCalled();
  });

  it('lets a granted subject through', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [{ subjectId: 'x', sk: 'state#analytics', topic: 'analytics', seq: 1, lastAction: 'grant', policyVersion: purposes.analytics.policy.version, at: '2026-11-01T00:00:00Z', method: 'api' }],
    });
    const handler = httpRoute(defineRoute({ ...base, id: 'unitAllow' }), async () => ({ status: 201, body: { ok: true } }));
    expect((await handler(event(), context)).statusCode).toBe(201);
  });
});
