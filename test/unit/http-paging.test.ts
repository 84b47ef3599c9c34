/**
 * Paging through `httpRoute`: a route that declares `paging` gets its cursor opened before the handler runs, bound to the
 * route, the caller and the filters, with the key derived once from the pseudonym HMAC key (KMS mocked at the SDK edge).
 */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from 'zod/mini';
import { defineRoute } from '../../lambdas/routes';
import { cursorParam } from '../../lambdas/http/cursor';

process.env.PSEUDONYM_KEY_ID = 'alias/unit';
const kms = mockClient(KMSClient);

// Loaded after the environment is set: the sealer reads the key id when the handler is built.
const { httpRoute } = require('../../lambdas/http/http') as typeof import('../../lambdas/http/http');

const context = { functionName: 'unit', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

const pagedRoute = defineRoute({
  id: 'unitPaged',
  method: 'GET',
  path: '/v1/things',
  handler: 'unused',
  summary: 'test route',
  description: 'A paged route, for the cursor tests.',
  tags: [],
  feature: 'operations',
  auth: 'subject',
  request: { query: z.strictObject({ kind: z.optional(z.string()), limit: z.optional(z.string()), cursor: z.optional(cursorParam) }) },
  paging: { position: z.strictObject({ after: z.int() }) },
  responses: {},
  personalData: [],
});

function request(subjectId: string, query: Record<string, string>): APIGatewayProxyEvent {
  return {
    resource: '/v1/things',
    path: '/v1/things',
    httpMethod: 'GET',
    headers: {},
    queryStringParameters: query,
    requestContext: { requestId: 'corr-1', authorizer: { subjectId, roles: 'subject' } },
  } as unknown as APIGatewayProxyEvent;
}

describe('httpRoute with paging', () => {
  const seen: unknown[] = [];
  const handler = httpRoute(pagedRoute, async ({ page }) => {
    seen.push(page.position);
    const after = (page.position as { after: number } | undefined)?.after ?? 0;
    return { body: { next: await page.next(after < 2 ? { after: after + 1 } : undefined) } };
  });

  beforeEach(() => {
    kms.reset();
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(9) });
    seen.length = 0;
  });

  it('hands the handler the position of the cursor it issued, to the end, with the key derived once', async () => {
    const first = await handler(request('s-1', { kind: 'a' }), context);
    const { next } = JSON.parse(first.body) as { next: string };
    const second = await handler(request('s-1', { kind: 'a', limit: '5', cursor: next }), context);
    const last = await handler(request('s-1', { kind: 'a', cursor: (JSON.parse(second.body) as { next: string }).next }), context);
    expect([first.statusCode, second.statusCode, last.statusCode]).toEqual([200, 200, 200]);
    expect(seen).toEqual([undefined, { after: 1 }, { after: 2 }]);
    expect(JSON.parse(last.body)).toEqual({});
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(1);
    expect(kms.commandCalls(GenerateMacCommand)[0].args[0].input).toMatchObject({ KeyId: 'alias/unit', MacAlgorithm: 'HMAC_SHA_256' });
  });

  it('refuses, before the handler runs, a cursor of another caller or other filters, and one it never issued', async () => {
    const { next } = JSON.parse((await handler(request('s-1', { kind: 'a' }), context)).body) as { next: string };
    seen.length = 0;
    const crafted = Buffer.from('{"after":1}').toString('base64url');
    for (const refused of [
      request('s-2', { kind: 'a', cursor: next }),
      request('s-1', { kind: 'b', cursor: next }),
      request('s-1', { cursor: next }),
      request('s-1', { kind: 'a', cursor: crafted }),
    ]) {
      const answer = await handler(refused, context);
      expect(answer.statusCode).toBe(400);
      expect(answer.headers?.['content-type']).toBe('application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ type: '/problems/validation-failed', errors: [{ path: 'query.cursor' }] });
    }
    expect(seen).toEqual([]);
  });
});
