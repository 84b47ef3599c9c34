/**
 * Builds the OpenAPI 3.1 document from the route table. Used by `npm run openapi` (writes docs/openapi.json) and by the test
 * that keeps the committed file fresh; the deployed `GET /v1/openapi.json` serves the committed file.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { RouteDefinition } from './routes';
import { routes as routeTable } from './routes';

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
      tags: [...route.tags],
      security: route.auth === 'public' ? [] : [{ [bearer.name]: [] }],
      request: {
        ...(route.request?.params ? { params: route.request.params } : {}),
        ...(route.request?.query ? { query: route.request.query } : {}),
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
    },
    servers: [{ url: '/' }],
  }) as unknown as Record<string, unknown>;
}
