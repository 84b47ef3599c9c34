import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../../lambdas/openapi-document';
import { routes } from '../../lambdas/routes';

describe('docs/openapi.json', () => {
  const generated = buildOpenApiDocument();

  it('is fresh: equal to what the route table generates (run `npm run openapi`)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../docs/openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(generated)));
  });

  it('is OpenAPI 3.1 and lists every route with its GDPR declarations', () => {
    expect(generated.openapi).toBe('3.1.0');
    const paths = generated.paths as Record<string, Record<string, Record<string, unknown>>>;
    for (const route of routes) {
      const operation = paths[route.path.replace(/\{(\w+)\+?\}/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(operation).toBeDefined();
      expect(operation['x-fmn-auth']).toBe(route.auth);
      expect(operation['x-fmn-personal-data']).toEqual(route.personalData.map((t) => ({ ...t, access: [...t.access], fields: [...t.fields] })));
    }
  });
});
