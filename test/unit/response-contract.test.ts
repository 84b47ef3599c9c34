/**
 * The response contract the integration API client enforces (test/integration/helpers/contract.ts): it must refuse what
 * the review found (an undeclared `expiresAt` on rights requests) and any other unknown key, at any depth.
 */
import * as z from 'zod/mini';
import { contractViolations, deepStrict, type SeenResponse } from '../integration/helpers/contract';

const requestId = '539b44e4-4b1f-4b12-b0cb-01ff98f151b7';
const finished = {
  requestId,
  type: 'export',
  status: 'completed',
  mode: 'automatic',
  receivedAt: '2026-11-28T10:00:00.000Z',
  dueAt: '2026-12-28',
  originalDueAt: '2026-12-28',
  history: [
    { status: 'received', at: '2026-11-28T10:00:00.000Z', by: 'subject' },
    { status: 'completed', at: '2026-11-28T10:01:00.000Z', by: 'worker' },
  ],
  downloadable: true,
};

const json = (method: string, path: string, status: number, body: unknown): SeenResponse => ({
  method,
  path,
  status,
  contentType: 'application/json; charset=utf-8',
  text: JSON.stringify(body),
});

describe('deepStrict', () => {
  const schema = z.object({
    items: z.array(z.object({ id: z.string(), tags: z.optional(z.object({ a: z.number() })) })),
    choice: z.nullable(z.union([z.object({ x: z.literal(1) }), z.object({ y: z.string() })])),
    byName: z.record(z.string(), z.object({ n: z.number() })),
    open: z.looseObject({ k: z.string() }),
  });
  const valid = { items: [{ id: 'a', tags: { a: 1 } }], choice: { x: 1 }, byName: { one: { n: 1 } }, open: { k: 'v', extra: true } };

  it('accepts what the schema declares, and keeps objects declared open', () => {
    expect(deepStrict(schema).safeParse(valid).success).toBe(true);
  });

  it.each([
    ['at the top', { ...valid, extra: 1 }],
    ['inside an array item', { ...valid, items: [{ id: 'a', extra: 1 }] }],
    ['inside an optional object', { ...valid, items: [{ id: 'a', tags: { a: 1, extra: 1 } }] }],
    ['inside a union branch', { ...valid, choice: { x: 1, extra: 1 } }],
    ['inside a record value', { ...valid, byName: { one: { n: 1, extra: 1 } } }],
  ])('refuses an unknown key %s, which the declared schema strips silently', (_where, body) => {
    expect(schema.safeParse(body).success).toBe(true);
    expect(deepStrict(schema).safeParse(body).success).toBe(false);
  });
});

describe('contractViolations', () => {
  it('would have caught the undeclared field of the review at every depth a client sees it', () => {
    // a rights request carrying a key its schema does not declare, as `expiresAt` was
    const drifted = { ...finished, retainedUntilEpoch: 1_800_000_000 };
    expect(contractViolations(json('GET', `/v1/me/requests/${requestId}`, 200, drifted))).toEqual([
      expect.stringMatching(/GET \/v1\/me\/requests\/\{?.*→ 200 \(route myRequest\): strict schema: .*retainedUntilEpoch/),
    ]);
    expect(contractViolations(json('GET', '/v1/me/requests', 200, { requests: [drifted] })).join('\n')).toMatch(/route myRequests.*requests\.0.*retainedUntilEpoch/);
    expect(contractViolations(json('GET', '/v1/admin/requests?overdue=true', 200, { requests: [{ ...drifted, subjectId: 'x' }] })).join('\n')).toMatch(
      /route adminRequests.*retainedUntilEpoch/,
    );
  });

  it('accepts a finished request with the date its record is deleted, now declared', () => {
    const withExpiry = { ...finished, expiresAt: 1_800_000_000 };
    expect(contractViolations(json('GET', `/v1/me/requests/${requestId}`, 200, withExpiry))).toEqual([]);
    expect(contractViolations(json('GET', '/v1/me/requests', 200, { requests: [withExpiry] }))).toEqual([]);
    expect(contractViolations(json('GET', `/v1/me/requests/${requestId}`, 200, { ...withExpiry, expiresAt: 'soon' }))).not.toEqual([]);
  });

  it('checks problem answers against the problem document, strictly', () => {
    const problem = (body: unknown, status = 400): SeenResponse => ({
      method: 'GET',
      path: '/v1/me/audit?cursor=x',
      status,
      contentType: 'application/problem+json',
      text: JSON.stringify(body),
    });
    const valid = { type: '/problems/validation-failed', title: 'Validation failed', status: 400, errors: [{ path: 'query.cursor', message: 'no' }] };
    expect(contractViolations(problem(valid))).toEqual([]);
    expect(contractViolations(problem({ ...valid, stack: 'Error: …' })).join('\n')).toMatch(/problem document.*stack/);
    expect(contractViolations(problem({ ...valid, errors: [{ path: 'query.cursor', message: 'no', value: 'x' }] })).join('\n')).toMatch(/value/);
    // a status the route does not declare
    expect(contractViolations(problem({ ...valid, status: 410 }, 410)).join('\n')).toMatch(/status 410 is not declared/);
  });

  it('refuses an error answer that is not a problem document, and an undeclared status or content type', () => {
    expect(contractViolations({ method: 'GET', path: '/v1/me', status: 500, contentType: 'text/plain', text: 'oops' })).toEqual([
      expect.stringContaining('not application/problem+json'),
    ]);
    expect(contractViolations(json('GET', '/v1/health', 202, { status: 'ok' }))).toEqual([expect.stringContaining('status 202 is not declared')]);
    expect(contractViolations({ ...json('GET', '/v1/health', 200, {}), contentType: 'text/html' })).toEqual([expect.stringContaining('declared application/json')]);
  });

  it('holds unknown paths and wrong methods to problem documents from the fallback route', () => {
    const notFound: SeenResponse = {
      method: 'GET',
      path: '/v1/nowhere',
      status: 404,
      contentType: 'application/problem+json',
      text: JSON.stringify({ type: '/problems/not-found', title: 'Not found', status: 404 }),
    };
    expect(contractViolations(notFound)).toEqual([]);
    expect(contractViolations({ ...notFound, text: JSON.stringify({ type: '/problems/not-found', title: 'Not found', status: 404, path: '/v1/nowhere' }) })).not.toEqual([]);
  });
});
