/**
 * The response contract: every answer an integration suite sees must be one the route table declares, parsed strictly.
 * The shared API client (`api.ts`) checks each response here as it arrives, so a field a handler returns but the schema does
 * not declare (or a status no route declares) fails the test that saw it, whichever suite that is.
 *
 * Strict means unknown keys fail at every depth: zod objects strip unknown keys by default, so each declared schema is
 * rebuilt with strict objects all the way down (`deepStrict`). Objects declared open on purpose (`z.looseObject`, a
 * `catchall`) stay open.
 */
import * as z from 'zod/mini';
import { fallbackRoute, matchRoute, routes, type RouteDefinition } from '../../../lambdas/routes';
import { problemDocument } from '../../../lambdas/http/problem.schema';

type Def = { type: string } & Record<string, any>;
const defOf = (schema: z.ZodMiniType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const strictCache = new WeakMap<z.ZodMiniType, z.ZodMiniType>();

/**
 * The same schema with every object strict, at every depth (through optional, nullable, default, array, union,
 * intersection, record, tuple, lazy, pipe, readonly and catch). Checks (`refine`, formats) live on the leaves and on the
 * original schema, which the contract parses too.
 */
export function deepStrict(schema: z.ZodMiniType): z.ZodMiniType {
  const cached = strictCache.get(schema);
  if (cached) return cached;
  const strict = convert(schema);
  strictCache.set(schema, strict);
  return strict;
}

function convert(schema: z.ZodMiniType): z.ZodMiniType {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const shape = Object.fromEntries(Object.entries(def.shape as Record<string, z.ZodMiniType>).map(([key, value]) => [key, deepStrict(value)]));
      const catchall = def.catchall as z.ZodMiniType | undefined;
      if (catchall && defOf(catchall).type !== 'never') return z.catchall(z.object(shape), deepStrict(catchall));
      return z.strictObject(shape);
    }
    case 'optional':
      return z.optional(deepStrict(def.innerType));
    case 'nullable':
      return z.nullable(deepStrict(def.innerType));
    case 'default':
      return z._default(deepStrict(def.innerType), def.defaultValue);
    case 'readonly':
      return z.readonly(deepStrict(def.innerType));
    case 'nonoptional':
      return z.nonoptional(deepStrict(def.innerType));
    case 'catch':
      return deepStrict(def.innerType);
    case 'array':
      return z.array(deepStrict(def.element));
    case 'union':
      return z.union((def.options as z.ZodMiniType[]).map(deepStrict) as [z.ZodMiniType, z.ZodMiniType, ...z.ZodMiniType[]]);
    case 'intersection': {
      const [left, right] = [defOf(def.left), defOf(def.right)];
      // two strict objects would each refuse the other's keys: intersect their shapes instead
      if (left.type === 'object' && right.type === 'object') return deepStrict(z.object({ ...left.shape, ...right.shape }));
      return z.intersection(deepStrict(def.left), deepStrict(def.right));
    }
    case 'record':
      return z.record(def.keyType, deepStrict(def.valueType));
    case 'tuple': {
      const items = (def.items as z.ZodMiniType[]).map(deepStrict) as [z.ZodMiniType, ...z.ZodMiniType[]];
      return def.rest ? z.tuple(items, deepStrict(def.rest)) : z.tuple(items);
    }
    case 'lazy':
      return z.lazy(() => deepStrict(def.getter()));
    case 'pipe':
      // a response is checked as the client reads it: what goes into the pipe
      return deepStrict(def.in);
    default:
      // leaves (string, number, enum, literal, boolean, unknown, …) carry no keys
      return schema;
  }
}

/** One answer as the client saw it. */
export interface SeenResponse {
  readonly method: string;
  /** Path and query, as requested. */
  readonly path: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

/** What is wrong with an answer, or an empty list. */
export function contractViolations(seen: SeenResponse): string[] {
  const path = seen.path.split('?')[0];
  const match = matchRoute(seen.method, path, routes);
  // unknown paths and wrong methods are answered by the fallback route
  const route: RouteDefinition = match && 'route' in match ? match.route : fallbackRoute;
  const where = `${seen.method} ${path} → ${seen.status} (route ${route.id})`;
  const mediaType = (seen.contentType ?? '').split(';')[0].trim().toLowerCase();

  // Error answers are problem documents, whoever wrote them (handler, authorizer, gateway, fallback).
  if (mediaType === 'application/problem+json') {
    const problems = check(problemDocument(), seen.text, `${where}, problem document`);
    const declared = route.responses[seen.status];
    if (!declared && route !== fallbackRoute) problems.push(`${where}: status ${seen.status} is not declared`);
    if (declared?.schema && declared.schema !== problemDocument) problems.push(`${where}: declared as ${declared.contentType ?? 'application/json'}, answered a problem`);
    return problems;
  }
  if (seen.status >= 400) return [`${where}: an error answer that is not application/problem+json (${mediaType || 'no content type'})`];

  const declared = route.responses[seen.status];
  if (!declared) return [`${where}: status ${seen.status} is not declared`];
  if (!declared.schema) {
    // no body declared (204) or a document described elsewhere (the OpenAPI document itself)
    return seen.status === 204 && seen.text !== '' ? [`${where}: a 204 with a body`] : [];
  }
  const wanted = declared.contentType ?? 'application/json';
  // The declared second media type (a CSV export) is text: its schema is a string with a description.
  if (declared.alternative && mediaType === declared.alternative.contentType) {
    const result = declared.alternative.schema().safeParse(seen.text);
    return result.success ? [] : [`${where}: the ${mediaType} body does not match its schema`];
  }
  if (mediaType !== wanted) return [`${where}: answered ${mediaType || 'no content type'}, declared ${wanted}`];
  return check(declared.schema(), seen.text, where);
}

function check(schema: z.ZodMiniType, text: string, where: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [`${where}: the body is not JSON`];
  }
  const problems: string[] = [];
  for (const [kind, candidate] of [['declared', schema], ['strict', deepStrict(schema)]] as const) {
    const result = candidate.safeParse(body);
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push(`${where}: ${kind} schema: ${issue.path.join('.') || '(body)'}: ${issue.message}${'keys' in issue ? ` ${JSON.stringify(issue.keys)}` : ''}`);
      }
    }
  }
  return problems;
}

/** Throws when an answer breaks the contract: called by the API client on every response. */
export function assertContract(seen: SeenResponse): void {
  const problems = contractViolations(seen);
  if (problems.length > 0) throw new Error(`Response contract broken:\n  ${[...new Set(problems)].join('\n  ')}`);
}
