/**
 * Builds the OpenAPI 3.1 document from the route table. Used by `npm run openapi` (writes docs/openapi.json) and by the test
 * that keeps the committed file fresh; the deployed `GET /v1/openapi.json` serves the committed file.
 *
 * Schemas are converted by zod's own `toJSONSchema` (JSON Schema 2020-12, the dialect of OpenAPI 3.1), which reads the
 * functional `zod/mini` schemas the routes declare. A schema registered with an `id` (`.register(z.globalRegistry, { id })`)
 * becomes a component and is referenced wherever it is used; components are listed in the order the routes first use them.
 */
import * as z from 'zod/mini';
import type { HeaderDeclaration, RouteDefinition } from './http/route-definition';
import { API_TAGS, routes as routeTable } from './routes';

type JsonSchema = Record<string, unknown>;

const COMPONENT_REF = '#/components/schemas/';

/** The document's key order for a schema object; keys not listed keep their place before `description`. */
const KEY_ORDER = [
  '$ref', 'allOf', 'anyOf', 'type', 'properties', 'required', 'items', 'minItems', 'maxItems', 'minimum', 'exclusiveMinimum',
  'maximum', 'exclusiveMaximum', 'minLength', 'maxLength', 'format', 'pattern', 'enum', 'additionalProperties',
];

/**
 * What JSON Schema 2020-12 allows but the document says more plainly, for readers and client generators alike.
 * Runs on every converted node, children first.
 */
function openApiStyle({ zodSchema, jsonSchema: json }: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  // A literal: a one-value enum, as for enums of several values.
  if ('const' in json) {
    json.enum = [json.const];
    delete json.const;
  }
  // A string format (uuid, email, date-time, …) names its syntax: zod's regular expression for it adds nothing a reader or
  // a client generator uses. A pattern the schema declares itself (`z.regex`) stays.
  if (typeof json.format === 'string' && !declaresPattern(zodSchema)) delete json.pattern;
  // Records: the document describes the values; a key pattern stays the handler's check (as the document always had it).
  delete json.propertyNames;
  // z.int() is bounded to the safe integers: saying so on every integer is noise, not a limit any client meets.
  if (json.minimum === Number.MIN_SAFE_INTEGER) delete json.minimum;
  if (json.maximum === Number.MAX_SAFE_INTEGER) delete json.maximum;
}

function declaresPattern(schema: z.core.$ZodType): boolean {
  return (schema._zod.def.checks ?? []).some((check) => {
    const def = check._zod.def as { check: string; format?: string };
    return def.check === 'string_format' && def.format === 'regex';
  });
}

/**
 * `anyOf: [X, {type: 'null'}]` (a nullable X) as `type: [t, 'null']` where X is a plain typed schema. A nullable reference
 * stays `anyOf: [{$ref}, {type: 'null'}]`: a reference cannot take a type list.
 */
function nullableAsTypeList(json: JsonSchema): JsonSchema {
  const options = json.anyOf;
  if (!Array.isArray(options) || options.length !== 2) return json;
  const [value, nothing] = options as JsonSchema[];
  if (nothing.type !== 'null' || Object.keys(nothing).length !== 1 || typeof value.type !== 'string') return json;
  const { anyOf: _options, ...rest } = json;
  return { ...value, ...rest, type: [value.type, 'null'] };
}

/** Puts keys in the document's order, turns nullables into type lists, and points `$defs` references at the components. */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (node === null || typeof node !== 'object') return node;
  const json = nullableAsTypeList(node as JsonSchema);
  const rank = (key: string) => (key === 'description' ? KEY_ORDER.length + 1 : KEY_ORDER.includes(key) ? KEY_ORDER.indexOf(key) : KEY_ORDER.length);
  const out: JsonSchema = {};
  for (const key of Object.keys(json).sort((a, b) => rank(a) - rank(b))) {
    const value = json[key];
    if (key === '$ref' && typeof value === 'string') out[key] = value.replace('#/$defs/', COMPONENT_REF);
    else if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, tidy(child)]));
    } else out[key] = tidy(value);
  }
  return out;
}

/** The components of one document: each schema id once, with one definition (two schemas may not share an id). */
class Components {
  private readonly definitions = new Map<string, JsonSchema>();

  /** The OpenAPI schema of a zod schema; schemas with an id become components, and the result references them. */
  schemaOf(schema: z.core.$ZodType): JsonSchema {
    const { $schema: _dialect, $defs, ...root } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      // What a client sends or receives as JSON: no defaults or transforms apply, and plain objects are not closed.
      io: 'input',
      unrepresentable: 'any',
      override: openApiStyle,
    }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [id, definition] of Object.entries($defs ?? {})) {
      const tidied = tidy(definition) as JsonSchema;
      const known = this.definitions.get(id);
      if (known && JSON.stringify(known) !== JSON.stringify(tidied)) throw new Error(`Two different schemas have the id ${id}`);
      this.definitions.set(id, tidied);
    }
    return tidy(root) as JsonSchema;
  }

  /** Every component the operations reference, in the order they first do (depth first, as a reader meets them). */
  inOrderOfUse(operations: readonly unknown[]): Record<string, JsonSchema> {
    const ordered: Record<string, JsonSchema> = {};
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_REF)) {
          const id = value.slice(COMPONENT_REF.length);
          if (id in ordered) continue;
          const definition = this.definitions.get(id);
          if (!definition) throw new Error(`No schema has the id ${id}`);
          ordered[id] = definition;
          visit(definition);
        } else visit(value);
      }
    };
    visit(operations);
    return ordered;
  }
}

/** Path, query or header parameters from an object schema: one per property. */
function parameters(components: Components, schema: z.core.$ZodType, location: 'path' | 'query'): JsonSchema[] {
  const json = components.schemaOf(schema);
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) =>
    parameter(name, location, property, required.has(name)),
  );
}

function parameter(name: string, location: string, schema: JsonSchema, required: boolean): JsonSchema {
  return {
    schema,
    required,
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    name,
    in: location,
  };
}

/** Declared request headers, each with its declaration's description. */
function headerParameters(components: Components, headers: readonly HeaderDeclaration[]): JsonSchema[] {
  return headers.map((h) =>
    parameter(h.name, 'header', { ...components.schemaOf(h.schema), description: h.description }, h.required),
  );
}

function operation(components: Components, route: RouteDefinition, security: string): JsonSchema {
  // Responses first: components are numbered in the order the routes use them, answers before requests.
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.schema
          ? {
              content: {
                [response.contentType ?? 'application/json']: { schema: components.schemaOf(response.schema()) },
                ...(response.alternative
                  ? { [response.alternative.contentType]: { schema: components.schemaOf(response.alternative.schema()) } }
                  : {}),
              },
            }
          : {}),
      },
    ]),
  );
  const params = [
    ...(route.request?.params ? parameters(components, route.request.params, 'path') : []),
    ...(route.request?.query ? parameters(components, route.request.query, 'query') : []),
    ...(route.headers?.length ? headerParameters(components, route.headers) : []),
  ];
  const body = route.request?.body;
  return {
    operationId: route.id,
    summary: route.summary,
    description: route.description,
    tags: [...route.tags],
    security: route.auth === 'public' ? [] : [{ [security]: [] }],
    // GDPR declarations travel with the API description so clients and reviewers see them too.
    'x-fmn-auth': route.auth,
    'x-fmn-personal-data': route.personalData.map((t) => ({ store: t.store, access: [...t.access], fields: [...t.fields] })),
    ...(route.purpose ? { 'x-fmn-purpose': route.purpose } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: components.schemaOf(body) } } } } : {}),
    responses,
  };
}

export function buildOpenApiDocument(routes: readonly RouteDefinition[] = routeTable): Record<string, unknown> {
  const components = new Components();
  const security = 'session';
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const operations = routes.map((route) => {
    const op = operation(components, route, security);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = op;
    return op;
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Forget-Me-Not API',
      version: '1.0.0',
      description:
        'A GDPR-ready backend: personal data inventoried, consented, audited, exportable and erasable by construction. ' +
        'Errors are RFC 9457 problem documents (application/problem+json).',
      contact: { name: 'Forget-Me-Not maintainers' },
      // The same licence as package.json.
      license: { name: 'Apache License 2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/', description: 'This deployment: the API stage, or the local server of `npm start`.' }],
    // Only tags some route uses, in the catalogue's order.
    tags: Object.entries(API_TAGS)
      .filter(([name]) => routes.some((r) => (r.tags as readonly string[]).includes(name)))
      .map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        [security]: {
          type: 'http',
          scheme: 'bearer',
          description: 'Session token from POST /v1/sessions, sent as `Authorization: Bearer <token>`.',
        },
      },
      schemas: components.inOrderOfUse(operations.map((op) => [op.responses, op.parameters, op.requestBody])),
      parameters: {},
    },
    paths,
    webhooks: {},
  };
}
