/**
 * The HTTP side of every route handler: one middy chain built from the route's declaration in the route table. This module
 * holds no AWS client and no adapter, so a function whose route touches no personal data (health, the OpenAPI document, the
 * purpose catalogue, the fallback) bundles none of them: `dataFreeRoute` here. Routes that touch personal data use
 * `httpRoute` from `./http`, which adds the audit trail, the consent gate and the cursor key (KMS, DynamoDB) on top.
 *
 * Order matters: the logger/correlation middleware wraps everything, the problem mapper sits outermost for errors, then the
 * guard for the declared auth, then body parsing and schema validation, then the handler. Handlers receive typed, validated
 * input and return plain data; they never build API Gateway responses themselves.
 */
import middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { RouteDefinition } from './route-definition';
import {
  ForbiddenError,
  MalformedJsonError,
  PayloadTooLargeError,
  ProblemError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  problemOf,
  type FieldError,
} from './problems';
import { DomainError } from '../domain/errors';
import type { AuditTrail } from '../adapters/dynamo-audit';
import type { AuditActor } from '../wiring/audit';
import type { CursorBinding, CursorSealer } from './cursor';
import { intEnv, listEnv } from '../runtime/env';
import { logger } from '../runtime/logger';

export type Role = 'subject' | 'admin';

/** Who is calling, as the Lambda authorizer established it. Pseudonymous: ids and roles only. */
export interface Principal {
  readonly subjectId: string;
  readonly roles: readonly Role[];
  readonly sessionId?: string;
  /** Epoch seconds of the session's login. */
  readonly authTime?: number;
}

type Infer<T> = T extends z.ZodMiniType ? z.infer<T> : undefined;

/** Paging for a route that declares `paging`: the position its cursor carried, and the sealer for the next one. */
export interface PageRequest<P> {
  /** Where this page starts; undefined on the first page. */
  readonly position: P | undefined;
  /**
   * The `next` cursor for a position (bound to this caller, route and query), or undefined when there is none. The
   * position is checked against the route's schema here too (a mismatch is a bug, and throws), so no cursor is issued
   * that would not open.
   */
  readonly next: (position: unknown) => Promise<string | undefined>;
}
/** The request headers a route declares, by lower-cased name; nothing else of the request's headers. */
export type DeclaredHeaders<R extends RouteDefinition> = {
  readonly [H in NonNullable<R['headers']>[number] as Lowercase<H['name']>]: H['required'] extends true ? string : string | undefined;
};

export interface HttpRequest<R extends RouteDefinition> {
  readonly body: Infer<NonNullable<R['request']>['body']>;
  readonly params: Infer<NonNullable<R['request']>['params']>;
  readonly query: Infer<NonNullable<R['request']>['query']>;
  /** On routes that declare `paging`: the opened cursor (already checked) and how to seal the next one. */
  readonly page: R['paging'] extends { position: infer P } ? PageRequest<Infer<P>> : undefined;
  /**
   * The headers the route declares (`headers` in the route table), validated. Read headers here only: a header the
   * route does not declare is not in this type, so reading it does not compile.
   */
  readonly headers: DeclaredHeaders<R>;
  /** Present on every route whose auth is not `public`. */
  readonly principal: R['auth'] extends 'public' ? Principal | undefined : Principal;
  readonly correlationId: string;
  readonly event: APIGatewayProxyEvent;
  /**
   * This request's audit trail, on every route that touches personal data. Adapters put write entries into their
   * transactions and note reads; noted reads are written before the answer leaves, and a failed audit write fails the request.
   */
  readonly audit: AuditTrail | undefined;
}

export interface HttpAnswer {
  readonly status?: number;
  readonly body?: unknown;
  /**
   * A body sent as it is instead of as JSON (a CSV export); `headers` must then name its content type. Only for answers
   * the route declares with another content type (`ResponseDeclaration.alternative`).
   */
  readonly text?: string;
  readonly headers?: Record<string, string>;
}

/** Largest JSON body a route accepts; API Gateway's own 10 MB limit is far above what any route needs. */
const maxBodyBytes = intEnv('MAX_BODY_BYTES', 16 * 1024);
const corsOrigins = listEnv('CORS_ALLOWED_ORIGINS');

const baseHeaders: Record<string, string> = {
  'cache-control': 'no-store',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

interface Internal extends Record<string, unknown> {
  parsed?: { body: unknown; params: unknown; query: unknown };
}

type Req = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context, Internal>;

/**
 * What a route that touches personal data adds to the chain (built by `./http` at cold start from the route's declaration):
 * its audit trail per request, the consent gate of a gated purpose, and the sealer of its paging cursors.
 */
export interface PersonalDataHooks {
  readonly auditTrail: ((actor: AuditActor) => AuditTrail) | undefined;
  /**
   * Runs before the handler: resolves to 'proceed', or 'drop' for a gated route that drops (204) instead of refusing;
   * throws the refusal (a ProblemError) otherwise.
   */
  readonly admit: ((principal: Principal) => Promise<'proceed' | 'drop'>) | undefined;
  readonly cursors: CursorSealer | undefined;
}

/**
 * Builds the Lambda handler for a route that touches no personal data:
 * `export const handler = dataFreeRoute(healthRoute, async () => ({ body }))`. Refuses, at cold start, a route that declares
 * personal data, a consent gate or paging: those need `httpRoute` from `./http`.
 */
export function dataFreeRoute<const R extends RouteDefinition>(
  route: R,
  fn: (request: HttpRequest<R>) => Promise<HttpAnswer>,
): middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  if (route.personalData.length > 0 || route.paging || route.purpose) {
    throw new Error(`route ${route.id} touches personal data (or pages, or has a purpose): build it with httpRoute from ./http`);
  }
  return routeHandler(route, fn, { auditTrail: undefined, admit: undefined, cursors: undefined });
}

/** The middy chain of a route; `hooks` carry what personal data adds (none for `dataFreeRoute`). */
export function routeHandler<const R extends RouteDefinition>(
  route: R,
  fn: (request: HttpRequest<R>) => Promise<HttpAnswer>,
  hooks: PersonalDataHooks,
): middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  const parsed: Map<APIGatewayProxyEvent, HttpRequest<R>> = new Map();
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlation())
    .use(problemAnswers())
    .use(authGuard(route))
    .use(validation(route, parsed, hooks.cursors))
    .handler(async (event) => {
      const request = parsed.get(event) as HttpRequest<R>;
      parsed.delete(event);
      const principal = request.principal as Principal | undefined;
      const audit = hooks.auditTrail?.({
        actorSubjectId: principal?.subjectId,
        actorRole: route.auth === 'admin' ? 'admin' : route.auditActor ?? 'subject',
        correlationId: request.correlationId,
      });
      // The consent gate: no processing for a gated purpose the subject has not granted (or objected to, or restricted).
      if (hooks.admit && (await hooks.admit(principal as Principal)) === 'drop') return jsonAnswer(204, undefined, undefined, event);
      let answer: HttpAnswer;
      try {
        answer = await fn({ ...request, audit });
      } catch (error) {
        // Reads that happened before the failure are still accesses: record them, but answer with the original error.
        await audit?.flushReads('failure').catch((auditError: Error) => logger.error('audit write failed', { errorClass: auditError.name }));
        throw error;
      }
      // A safety net under the adapters: a subject's route that declares personal data but recorded nothing still leaves
      // an entry (a read of what it declares), so no code path can touch personal data silently.
      if (audit?.untouched && principal) audit.noteRead(principal.subjectId);
      // Before the answer leaves: if this write fails, the request fails.
      await audit?.flushReads('success');
      const status = answer.status ?? 200;
      logger.info('request handled', { status, auditEntries: audit?.entries.length ?? 0 });
      if (answer.text !== undefined) return textAnswer(status, answer.text, answer.headers ?? {}, event);
      return jsonAnswer(status, answer.body, answer.headers, event);
    });
}

function correlationIdOf(event: APIGatewayProxyEvent): string {
  return event.requestContext?.requestId ?? 'unknown';
}

function correlation(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: (request) => {
      logger.appendKeys({ correlationId: correlationIdOf(request.event), route: request.event.resource });
    },
  };
}

/**
 * Maps thrown errors to problem+json: the HTTP layer's own, and the domain's through its table (`problemOf`); anything
 * else is a 500 that says nothing internal.
 */
function problemAnswers(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      const error = request.error instanceof DomainError ? problemOf(request.error) : request.error;
      if (error instanceof ProblemError) {
        if (error.status >= 500) logger.error('request failed', { errorClass: error.name, status: error.status });
        else logger.info('request refused', { problem: error.slug, status: error.status });
        request.response = problemAnswer(error, request.event);
        return;
      }
      // The error itself, which the formatter turns into class and stack frames (`redact`): never its message or
      // properties, which may quote the input that caused it. Something thrown that is not an Error is named by its type.
      logger.error('unhandled error', error instanceof Error ? { errorClass: error.name, error } : { errorClass: typeof error });
      request.response = problemAnswer(
        new ProblemError(500, 'internal-error', 'Internal error', 'Something went wrong on our side; quote the instance id.'),
        request.event,
      );
    },
  };
}

function authGuard(route: RouteDefinition): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: (request) => {
      if (route.auth === 'public') return;
      const principal = principalOf(request.event);
      if (!principal) throw new UnauthorizedError();
      if (route.auth === 'admin' && !principal.roles.includes('admin')) throw new ForbiddenError('This route is for administrators.');
    },
  };
}

/** Reads the principal the authorizer put into the request context (REST API authorizer context values are strings). */
export function principalOf(event: APIGatewayProxyEvent): Principal | undefined {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const subjectId = context?.subjectId;
  if (typeof subjectId !== 'string' || subjectId === '') return undefined;
  const roles = String(context?.roles ?? '')
    .split(',')
    .filter((r): r is Role => r === 'subject' || r === 'admin');
  const sessionId = typeof context?.sessionId === 'string' ? context.sessionId : undefined;
  const authTime = Number(context?.authTime);
  return { subjectId, roles, sessionId, authTime: Number.isFinite(authTime) && authTime > 0 ? authTime : undefined };
}

function validation<R extends RouteDefinition>(
  route: R,
  parsed: Map<APIGatewayProxyEvent, HttpRequest<R>>,
  cursors: CursorSealer | undefined,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: async (request: Req) => {
      const { event } = request;
      const body = route.request?.body ? validate(route.request.body, readJsonBody(event), 'body') : undefined;
      const params = route.request?.params ? validate(route.request.params, event.pathParameters ?? {}, 'params') : undefined;
      const query = route.request?.query
        ? validate(route.request.query, event.queryStringParameters ?? {}, 'query')
        : undefined;
      const headers = declaredHeaders(route, event);
      const principal = principalOf(event);
      let page: PageRequest<unknown> | undefined;
      if (cursors && route.paging) {
        // opened here, before the consent gate or the handler can do any I/O with what it carries
        const filters = (query ?? {}) as Record<string, unknown>;
        const binding: CursorBinding = { route: route.id, caller: principal?.subjectId ?? 'public', query: filters };
        const position = await cursors.open(filters.cursor as string | undefined, binding, route.paging.position);
        const schema = route.paging.position;
        page = { position, next: (next) => cursors.seal(next === undefined ? undefined : schema.parse(next), binding) };
      }
      parsed.set(event, {
        body,
        params,
        query,
        page,
        headers,
        principal,
        correlationId: correlationIdOf(event),
        event,
      } as HttpRequest<R>);
    },
    onError: (request) => {
      parsed.delete(request.event);
    },
  };
}

/** The route's declared headers, each checked against its schema; a missing required one or a bad value is a 400. */
function declaredHeaders(route: RouteDefinition, event: APIGatewayProxyEvent): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  const errors: FieldError[] = [];
  for (const declared of route.headers ?? []) {
    const name = declared.name.toLowerCase();
    const raw = headerOf(event, name);
    if (raw === undefined) {
      if (declared.required) errors.push({ path: `headers.${name}`, message: 'Required' });
      values[name] = undefined;
      continue;
    }
    const result = declared.schema.safeParse(raw);
    if (result.success) values[name] = result.data;
    else errors.push(...toFieldErrors(result.error, `headers.${name}`));
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return values;
}

/** Content type, size and JSON syntax, in that order, so each failure has its own status. */
export function readJsonBody(event: APIGatewayProxyEvent, limit = maxBodyBytes): unknown {
  const raw = event.body == null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (raw === '') return undefined;
  const contentType = headerOf(event, 'content-type') ?? '';
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(mediaType)) {
    throw new UnsupportedMediaTypeError();
  }
  if (Buffer.byteLength(raw, 'utf8') > limit) throw new PayloadTooLargeError(limit);
  try {
    return JSON.parse(raw);
  } catch {
    throw new MalformedJsonError();
  }
}

function validate<T extends z.ZodMiniType>(schema: T, value: unknown, where: 'body' | 'params' | 'query'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(toFieldErrors(result.error, where));
}

/** Zod issues without the offending input: paths and messages only. */
export function toFieldErrors(error: z.core.$ZodError, where: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

export function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted && value != null) return value;
  return undefined;
}

function corsHeaders(event: APIGatewayProxyEvent | undefined): Record<string, string> {
  const origin = event ? headerOf(event, 'origin') : undefined;
  if (!origin || !(corsOrigins.includes(origin) || corsOrigins.includes('*'))) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  event?: APIGatewayProxyEvent,
): APIGatewayProxyResult {
  const hasBody = body !== undefined && status !== 204;
  return {
    statusCode: status,
    headers: {
      ...baseHeaders,
      ...corsHeaders(event),
      ...(hasBody ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...headers,
    },
    body: hasBody ? JSON.stringify(body) : '',
  };
}

/** A non-JSON answer, with the same base and CORS headers as every other. */
export function textAnswer(status: number, text: string, headers: Record<string, string>, event?: APIGatewayProxyEvent): APIGatewayProxyResult {
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) throw new Error('a text answer needs a content-type header');
  return { statusCode: status, headers: { ...baseHeaders, ...corsHeaders(event), ...headers }, body: text };
}

export function problemAnswer(error: ProblemError, event?: APIGatewayProxyEvent): APIGatewayProxyResult {
  const instance = event ? correlationIdOf(event) : undefined;
  const body = {
    type: `/problems/${error.slug}`,
    title: error.title,
    status: error.status,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(error.extras.errors ? { errors: error.extras.errors } : {}),
    ...error.extras.extensions,
  };
  const answer = jsonAnswer(error.status, body, error.extras.headers, event);
  return { ...answer, headers: { ...answer.headers, 'content-type': 'application/problem+json' } };
}
