/**
 * The one route table. Every endpoint is listed here with its handler, who may call it, its request and response schemas,
 * the personal data it touches and the purpose it processes for. The API stack, the local server and the OpenAPI document
 * are all built from this list, so what runs locally and what is deployed cannot drift.
 *
 * Workers are listed here too: they touch personal data as much as routes do.
 *
 * This module must stay light (zod and plain data): handlers import it for their own declaration, and the CDK app imports it
 * without loading any handler code.
 */
import type { z } from 'zod';
import type { FieldOf, StoreId } from './inventory';
import { healthResponse } from './handlers/health.schema';
import { problemDocument } from './shared/problem.schema';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** public: anyone; subject: a logged-in data subject acting on their own data; admin: an operator account. */
export type RouteAuth = 'public' | 'subject' | 'admin';

export type DataAccess = 'read' | 'write' | 'delete';

/** One declared touch of personal data: which store, which fields, and how. */
export interface DataTouch<S extends StoreId = StoreId> {
  readonly store: S;
  readonly access: readonly DataAccess[];
  readonly fields: readonly FieldOf<S>[];
}

/** Declares a touch with field names checked against the inventory. */
export function touches<S extends StoreId>(store: S, access: readonly DataAccess[], fields: readonly FieldOf<S>[]): DataTouch<S> {
  return { store, access, fields };
}

export interface ResponseDeclaration {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Set for non-JSON answers such as problem documents. */
  readonly contentType?: string;
}

export interface RouteDefinition {
  /** Stable id: names the Lambda function, the handler file (`lambdas/handlers/<handler>.ts`) and the OpenAPI operation. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/v1/me/consents/{purpose}`. */
  readonly path: string;
  /** Handler module under `lambdas/handlers/`, without extension; it exports `handler`. */
  readonly handler: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly auth: RouteAuth;
  readonly request?: {
    readonly body?: z.ZodType;
    readonly params?: z.ZodObject;
    readonly query?: z.ZodObject;
  };
  readonly responses: Readonly<Record<number, ResponseDeclaration>>;
  /** Personal data this route reads or writes; also what its function is granted and what the audit trail records. */
  readonly personalData: readonly DataTouch[];
  /** The processing purpose (consent issue); absent for routes that process no personal data. */
  readonly purpose?: string;
}

export interface WorkerDefinition {
  readonly id: string;
  readonly handler: string;
  readonly description: string;
  /** The queue it consumes; the local cloud and the CDK event source both use it. */
  readonly queue: 'rightsRequestQueue';
  readonly batchSize: number;
  /** Seconds; the queue's visibility timeout is derived as six times this. */
  readonly timeoutSeconds: number;
  readonly personalData: readonly DataTouch[];
}

export function defineRoute<const R extends RouteDefinition>(route: R): R {
  return route;
}

/** Problem answers every route can give; listed once so the OpenAPI document is honest about them. */
const commonProblems: Record<number, ResponseDeclaration> = {
  400: { description: 'Malformed or invalid request (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  413: { description: 'Request body too large (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  415: { description: 'Request body is not JSON (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  429: { description: 'Too many requests (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  500: { description: 'Internal error; the body says nothing internal (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
};

export const healthRoute = defineRoute({
  id: 'health',
  method: 'GET',
  path: '/v1/health',
  handler: 'health',
  summary: 'Liveness: answers when the API and its function are up. Touches no data.',
  tags: ['operations'],
  auth: 'public',
  responses: { 200: { description: 'The API is up.', schema: healthResponse }, ...commonProblems },
  personalData: [],
});

export const openApiRoute = defineRoute({
  id: 'openapi',
  method: 'GET',
  path: '/v1/openapi.json',
  handler: 'openapi',
  summary: 'This API described as OpenAPI 3.1, generated from the route table.',
  tags: ['operations'],
  auth: 'public',
  responses: { 200: { description: 'The OpenAPI 3.1 document.' }, ...commonProblems },
  personalData: [],
});

/** Every endpoint, in the order the OpenAPI document lists them. */
export const routes: readonly RouteDefinition[] = [healthRoute, openApiRoute];

/** Answers anything the table does not match: 404 for unknown paths, 405 (with Allow) for known paths. */
export const fallbackRoute = defineRoute({
  id: 'fallback',
  method: 'GET', // served for every method; the API stack wires it as ANY
  path: '/{proxy+}',
  handler: 'fallback',
  summary: 'Problem answers for unknown routes and wrong methods.',
  tags: [],
  auth: 'public',
  responses: { 404: { description: 'No such route.' }, 405: { description: 'Method not allowed.' } },
  personalData: [],
});

export const rightsRequestWorker: WorkerDefinition = {
  id: 'rightsRequestWorker',
  handler: 'rights-request-worker',
  description: 'Carries out queued rights-request jobs (export, erasure); reports partial batch failures.',
  queue: 'rightsRequestQueue',
  batchSize: 10,
  timeoutSeconds: 30,
  personalData: [],
};

export const workers: readonly WorkerDefinition[] = [rightsRequestWorker];

/** Finds the route for a method and a concrete path (`/v1/me/consents/analytics`), with its path parameters. */
export function matchRoute(
  method: string,
  path: string,
  table: readonly RouteDefinition[] = routes,
): { route: RouteDefinition; params: Record<string, string> } | { allowed: HttpMethod[] } | undefined {
  const allowed: HttpMethod[] = [];
  for (const route of table) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method.toUpperCase()) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { allowed } : undefined;
}

/** API Gateway template match: `{name}` takes one segment, `{name+}` takes the rest. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    const greedy = /^\{(.+)\+\}$/.exec(segment);
    if (greedy) {
      if (i >= got.length) return undefined;
      params[greedy[1]] = got.slice(i).map(safeDecode).join('/');
      return params;
    }
    if (i >= got.length) return undefined;
    const named = /^\{(.+)\}$/.exec(segment);
    if (named) params[named[1]] = safeDecode(got[i]);
    else if (segment !== got[i]) return undefined;
  }
  return want.length === got.length ? params : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
