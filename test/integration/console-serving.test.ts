/**
 * The local server serves the built console at /console/ on the API's origin, with the headers CloudFront adds on AWS,
 * and still routes everything else to the API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsole } from '../../console/build';
import { CONSOLE_CSP } from '../../console/security-headers';
import { routes } from '../../lambdas/routes';
import { startLocalApi, type RunningLocalApi } from '../../local/api-server';

let api: RunningLocalApi;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fmn-console-it-'));
  await buildConsole(dir);
  api = await startLocalApi({
    port: 0,
    routes,
    corsOrigins: [],
    stage: 'local',
    consoleDir: dir,
    loadHandler: async (name) => (await import(`../../lambdas/handlers/${name}.ts`)).handler as unknown,
  });
});

afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('serves the page at /console/ with the strict CSP, no framing and no sniffing', async () => {
  const response = await fetch(`${api.url}/console/`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(await response.text()).toContain('<script type="module" src="app.js"></script>');
});

it('serves the script and the style sheet with their types, redirects /console and knows no other file', async () => {
  const script = await fetch(`${api.url}/console/app.js`);
  expect(script.status).toBe(200);
  expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect((await fetch(`${api.url}/console/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  const bare = await fetch(`${api.url}/console`, { redirect: 'manual' });
  expect(bare.status).toBe(301);
  expect(bare.headers.get('location')).toBe('/console/');
  expect((await fetch(`${api.url}/console/%2e%2e%2fpackage.json`)).status).toBe(404);
  expect((await fetch(`${api.url}/console/`, { method: 'POST' })).status).toBe(405);
});

it('leaves the API on the same origin as it was', async () => {
  const health = await fetch(`${api.url}/v1/health`);
  expect(health.status).toBe(200);
  expect(((await health.json()) as { status: string }).status).toBe('ok');
});
