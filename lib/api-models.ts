/**
 * Request-body models for API Gateway, generated from the same zod schemas the handlers validate with.
 *
 * API Gateway models are JSON Schema draft 4. The gateway is a first, cheaper line that rejects malformed bodies before a
 * function runs; the handler's zod schema stays the authority. So the model keeps the shape (types, required fields,
 * lengths, no unknown properties) and drops `pattern` and `format`: the gateway's regular-expression dialect and format
 * checkers are not JavaScript's, and a model stricter than the handler would make the deployed API refuse what the
 * local server accepts.
 */
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as z from 'zod/mini';

const DROPPED_KEYWORDS = new Set(['pattern', 'format', '$schema', 'id', '$id']);
/** Keywords whose value maps user-chosen names (property names) to schemas: their keys are not keywords. */
const NAMED_CHILDREN = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);

/** zod schema → API Gateway model schema (draft 4, input side: what a client sends, before defaults and transforms). */
export function requestModelSchema(schema: z.core.$ZodType): apigateway.JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-04',
    io: 'input',
    // An empty registry: ids from `.meta({ id })` would otherwise turn the root into a `$ref` to `definitions`.
    metadata: z.registry<Record<string, unknown>>(),
    reused: 'inline',
    cycles: 'throw',
    unrepresentable: 'any',
  });
  return strip(json) as apigateway.JsonSchema;
}

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYWORDS.has(key)) continue;
    if (NAMED_CHILDREN.has(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, strip(child)]));
    } else {
      out[key] = strip(value);
    }
  }
  return out;
}

/** Query-string parameters of a zod object schema, with whether each is required (for `method.request.querystring.*`). */
export function queryParameters(schema: z.ZodMiniObject | undefined): Record<string, boolean> {
  if (!schema) return {};
  return Object.fromEntries(
    Object.entries(schema.shape).map(([name, field]) => [name, !z.safeParse(field, undefined).success]),
  );
}

/** Path parameters of an API Gateway path template: `/v1/me/consents/{purpose}` → `['purpose']`. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]);
}
