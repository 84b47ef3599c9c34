import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildOpenApiDocument } from '../../lambdas/openapi-document';
import { API_TAGS, routes } from '../../lambdas/routes';

const root = join(__dirname, '../..');

type Operation = Record<string, unknown> & { parameters?: Array<{ name: string; in: string; required?: boolean; description?: string }> };

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

  it('describes every operation beyond its summary, and lists every tag it uses with a description', () => {
    const operations = Object.values(generated.paths as Record<string, Record<string, Operation>>).flatMap((p) => Object.values(p));
    expect(operations).toHaveLength(routes.length);
    for (const operation of operations) {
      expect(String(operation.description).length).toBeGreaterThan(40);
      expect(operation.description).not.toBe(operation.summary);
    }
    const tags = generated.tags as Array<{ name: string; description: string }>;
    expect(tags.map((t) => t.name).sort()).toEqual([...new Set(routes.flatMap((r) => r.tags))].sort());
    for (const tag of tags) expect(tag.description).toBe(API_TAGS[tag.name as keyof typeof API_TAGS]);
    expect(generated.info).toMatchObject({ contact: expect.any(Object), license: { identifier: 'Apache-2.0' } });
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).license).toBe('Apache-2.0');
  });

  it('declares each header a route reads as a header parameter, required where the route requires it', () => {
    const paths = generated.paths as Record<string, Record<string, Operation>>;
    for (const route of routes) {
      const declared = (paths[route.path][route.method.toLowerCase()].parameters ?? []).filter((p) => p.in === 'header');
      expect(declared.map((p) => ({ name: p.name, required: p.required, description: p.description }))).toEqual(
        (route.headers ?? []).map((h) => ({ name: h.name, required: h.required, description: h.description })),
      );
    }
    expect(paths['/v1/me/consents/{purpose}'].put.parameters).toContainEqual(expect.objectContaining({ name: 'X-Client-Id', in: 'header' }));
    expect(paths['/v1/erasure-receipts/{requestId}'].get.parameters).toContainEqual(
      expect.objectContaining({ name: 'X-Receipt-Token', in: 'header', required: true }),
    );
  });

  it('lints clean: Redocly `recommended` (redocly.yaml) finds no error and no warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fmn-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(generated, null, 2));
      const cli = join(root, 'node_modules/@redocly/cli/bin/cli.js');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [cli, 'lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'json'],
        // No telemetry or update check: the lint runs offline.
        { cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' } },
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { totals: Record<string, number>; problems: Array<{ ruleId: string; message: string }> };
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
