/**
 * `fmn stack symbolicate`: frames of a real minified bundle (built with the functions' esbuild options) map back to the
 * TypeScript line that threw.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionBuildOptions } from '../../lib/constructs/function-bundling';
import { parseSourceMap, symbolicate } from '../../cli/symbolicate';
import { Readable } from 'node:stream';
import { runFmn } from '../../cli/fmn';

async function runCli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runFmn(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t), stdin: Readable.from(['']), stderrIsTTY: false });
  return { code, stdout, stderr };
}

let dir: string;
let stack: string;
let mapFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fmn-symbolicate-'));
  const source = join(dir, 'thrower.ts');
  // line 4 throws; the bundle is minified onto one line, so only the map knows it
  writeFileSync(source, ['export function outer(n: number): number {', '  return inner(n) + 1;', '}', 'function inner(n: number): number { if (n > 0) throw new Error("boom " + n); return n; }', ''].join('\n'));
  await build({ ...functionBuildOptions(), entryPoints: [source], outfile: join(dir, 'index.js'), absWorkingDir: dir, logLevel: 'error' });
  mapFile = join(dir, 'index.js.map');
  // In a plain Node process, as on Lambda: jest would map the frames itself.
  stack = execFileSync(process.execPath, ['-e', 'try { require(process.argv[1]).outer(1) } catch (e) { process.stdout.write(e.stack) }', join(dir, 'index.js')], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('maps minified frames back to the source line that threw', () => {
  expect(stack).toMatch(/index\.js:1:\d+/);
  const result = symbolicate(stack, parseSourceMap(readFileSync(mapFile, 'utf8')));
  expect(result.frames).toBeGreaterThanOrEqual(2);
  expect(result.resolved).toBe(result.frames);
  expect(result.text).toMatch(/thrower\.ts:4:\d+/);
  expect(result.text).toMatch(/thrower\.ts:2:\d+/);
  expect(result.text).not.toMatch(/index\.js:\d+:\d+/);
});

it('maps frames inside a JSON log line (escaped newlines) and leaves other text alone', () => {
  const line = JSON.stringify({ level: 'ERROR', message: 'unhandled error', error: { name: 'Error', stack } });
  const result = symbolicate(line, parseSourceMap(readFileSync(mapFile, 'utf8')));
  expect(result.text).toContain('"message":"unhandled error"');
  expect(result.text).toMatch(/thrower\.ts:4:\d+/);
});

it('refuses a file that is not a source map, as a usage error (exit 2)', async () => {
  const notAMap = join(dir, 'not-a-map.json');
  writeFileSync(notAMap, '{"hello":1}');
  const run = await runCli(['stack', 'symbolicate', '--map', notAMap, '--file', mapFile]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/not a version 3 source map/);
});

it('prints the mapped stack through the CLI', async () => {
  const stackFile = join(dir, 'stack.txt');
  writeFileSync(stackFile, stack);
  const run = await runCli(['stack', 'symbolicate', '--map', mapFile, '--file', stackFile]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/thrower\.ts:4:\d+/);
});
