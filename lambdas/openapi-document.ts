/**
 * Builds the OpenAPI 3.1 document from the route table. Used by `npm run openapi` (writes docs/openapi.json) and by the test
 * that keeps the committed file fresh; the deployed `GET /v1/openapi.json` serves the committed file.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import type { HeaderDeclaration, RouteDefinition } from './shared/route-definition';
import { API_TAGS, routes as routeTable } from './routes';

/** Declared request headers as one zod object, each with its description, for the generator's header parameters. */
function headerParameters(headers: readonly HeaderDeclaration[]): z.ZodObject {
  return z.object(
    Object.fromEntries(
      headers.map((h) => [h.name, (h.required ? h.schema : h.schema.optional()).meta({ description: h.description })]),
    ),
  );
}

export function buildOpenApiDocument(routes: readonly RouteDefinition[] = routeTable): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'session', {
    type: 'http',
    scheme: 'bearer',
    description: 'Session token from POST /v1/sessions, sent as `Authorization: Bearer <token>`.',
  });
  for (const route of routes) {
    registry.registerPath({
      operationId: route.id,
      method: route.method.toLowerCase() as 'get',
      path: route.path,
      summary: route.summary,
      description: route.description,
      tags: [...route.tags],
      security: route.auth === 'public' ? [] : [{ [bearer.name]: [] }],
      request: {
        ...(route.request?.params ? { params: route.request.params } : {}),
        ...(route.request?.query ? { query: route.request.query } : {}),
        ...(route.headers?.length ? { headers: headerParameters(route.headers) } : {}),
        ...(route.request?.body
          ? { body: { required: true, content: { 'application/json': { schema: route.request.body } } } }
          : {}),
      },
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.schema
              ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } }
              : {}),
          },
        ]),
      ),
      // GDPR declarations travel with the API description so clients and reviewers see them too.
      'x-fmn-auth': route.auth,
      'x-fmn-personal-data': route.personalData.map((t) => ({ store: t.store, access: [...t.access], fields: [...t.fields] })),
      ...(route.purpose ? { 'x-fmn-purpose': route.purpose } : {}),
    } as Parameters<OpenAPIRegistry['registerPath']>[0]);
  }
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
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
  }) as unknown as Record<string, unknown>;
}
