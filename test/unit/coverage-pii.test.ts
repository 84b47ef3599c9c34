import { findProbes } from '../../scripts/coverage/probes';
import { transformSync } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { computeClosures, declaredEntries, type EntryClosure } from '../../scripts/coverage/closure';
import { narrowsTheRun } from '../../scripts/coverage/jest-with-pii-coverage';
import { lineStartsOf, type RawSourceMap } from '../../scripts/coverage/source-map';
import {
  buildReport,
  lineRanges,
  percent,
  summariseFile,
  thresholdFailures,
  worstFiles,
  type FileCoverage,
} from '../../scripts/coverage/summary';
import { CoverageAccumulator, countAt, readCoverageDir, type V8Function } from '../../scripts/coverage/v8-hits';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fmn-coverage-pii-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function writeTree(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
}

describe('import closure of a handler', () => {
  it('follows value imports within lambdas/, and leaves out type-only imports, packages and files outside lambdas/', async () => {
    const root = tempDir();
    writeTree(root, {
      'lambdas/handlers/greet.ts': [
        "import type { Greeting } from '../domain/types';",
        "import { shout } from '../domain/shout';",
        "import { basename } from 'node:path';",
        "import * as z from 'zod';",
        'export const handler = (g: Greeting) => shout(g.text) + basename(String(z));',
      ].join('\n'),
      'lambdas/domain/types.ts': 'export interface Greeting { text: string }\n',
      'lambdas/domain/shout.ts': "import { trim } from '../shared/trim';\nimport { tag } from '../../outside/tag';\nexport const shout = (s: string) => tag(trim(s).toUpperCase());\n",
      'lambdas/shared/trim.ts': 'export const trim = (s: string) => s.trim();\n',
      'lambdas/shared/unused.ts': 'export const unused = 1;\n',
      'outside/tag.ts': 'export const tag = (s: string) => `<${s}>`;\n',
      'lambdas/handlers/alone.ts': 'export const handler = () => 1;\n',
    });

    const closures = await computeClosures(
      [
        { kind: 'route', id: 'greet', handler: 'greet' },
        { kind: 'worker', id: 'alone', handler: 'alone' },
      ],
      root,
    );

    expect(closures).toEqual([
      { kind: 'route', id: 'greet', handler: 'greet', files: ['lambdas/domain/shout.ts', 'lambdas/handlers/greet.ts', 'lambdas/shared/trim.ts'] },
      { kind: 'worker', id: 'alone', handler: 'alone', files: ['lambdas/handlers/alone.ts'] },
    ]);
  });

  it('fails clearly when a declared handler file is missing', async () => {
    const root = tempDir();
    writeTree(root, { 'lambdas/handlers/present.ts': 'export const handler = 1;\n' });
    await expect(computeClosures([{ kind: 'route', id: 'ghost', handler: 'ghost' }], root)).rejects.toThrow();
  });

  it('covers every declared route, worker and schedule of this project, each reaching its own handler', async () => {
    const entries = await declaredEntries();
    const closures = await computeClosures(entries, join(__dirname, '..', '..'));
    expect(entries.map((e) => e.kind)).toEqual(expect.arrayContaining(['route', 'worker', 'schedule', 'authorizer']));
    for (const closure of closures) expect(closure.files).toContain(`lambdas/handlers/${closure.handler}.ts`);
  });
});

// A small TypeScript file, transpiled the way tsx does it, with V8 coverage made up by hand at known offsets.
const SAMPLE_PATH = '/repo/lambdas/sample.ts';
const SAMPLE = [
  'export function classify(n: number): string {', //  1
  '  if (n > 10) {', //                                  2
  "    return 'big';", //                                3
  '  }', //                                              4
  "  return n < 0 ? 'negative' : 'small';", //          5
  '}', //                                                6
  '', //                                                 7
  'export function fallback(x?: string): string {', // 8
  "  return x ?? 'none';", //                            9
  '}', //                                               10
  '',
].join('\n');

function transpiled(source = SAMPLE) {
  const out = transformSync(source, { loader: 'ts', format: 'cjs', sourcemap: 'external', sourcefile: SAMPLE_PATH });
  const code = out.code;
  const at = (needle: string, from = 0) => {
    const i = code.indexOf(needle, from);
    if (i < 0) throw new Error(`${needle} not in generated code`);
    return i;
  };
  const fnRange = (name: string, count: number) => {
    const start = at(`function ${name}`);
    return { startOffset: start, endOffset: at('\n}', start) + 2, count };
  };
  return { code, map: JSON.parse(out.map) as RawSourceMap & { sourcesContent: string[] }, at, fnRange };
}

describe('V8 coverage mapped back to TypeScript statements and branch arms', () => {
  it('takes the innermost range containing an offset', () => {
    const functions: V8Function[] = [
      { ranges: [{ startOffset: 0, endOffset: 100, count: 1 }] },
      { ranges: [{ startOffset: 10, endOffset: 50, count: 3 }, { startOffset: 20, endOffset: 30, count: 0 }] },
    ];
    expect([countAt(functions, 5), countAt(functions, 15), countAt(functions, 25), countAt(functions, 100)]).toEqual([1, 3, 0, 0]);
  });

  it('finds which statements and arms ran in one process, and ORs a second process in', () => {
    const { code, map, at, fnRange } = transpiled();
    const run = { path: SAMPLE_PATH, lineStarts: lineStartsOf(code), sourceMap: map, originalSource: SAMPLE };
    // classify ran twice (once through the then block), never with a negative number; fallback never ran
    const first: V8Function[] = [
      { ranges: [{ startOffset: 0, endOffset: code.length, count: 1 }] },
      { ranges: [fnRange('classify', 2), { startOffset: at('{', at('n > 10')), endOffset: at('}', at('"big"')) + 1, count: 1 }] },
      { ranges: [{ startOffset: at('"negative"'), endOffset: at('"negative"') + 10, count: 0 }] },
      { ranges: [fnRange('fallback', 0)] },
    ];
    // another process called only fallback, once, with no argument: V8 reports no block whose count equals its parent's
    const second: V8Function[] = [
      { ranges: [{ startOffset: 0, endOffset: code.length, count: 1 }] },
      { ranges: [fnRange('classify', 0)] },
      { ranges: [fnRange('fallback', 1)] },
    ];
    const accumulator = new CoverageAccumulator(() => SAMPLE);

    accumulator.add({ ...run, runs: [first] });
    const afterFirst = summariseFile('lambdas/sample.ts', accumulator.ensure(SAMPLE_PATH));
    const hits = accumulator.ensure(SAMPLE_PATH);
    const arms = () => Object.fromEntries(hits.probes.arms.map((arm, i) => [`${arm.line}:${arm.kind}`, hits.armHit[i]]));
    const armsAfterFirst = arms();
    accumulator.add({ ...run, runs: [second] });
    const afterBoth = summariseFile('lambdas/sample.ts', hits);

    expect(afterFirst).toMatchObject({ lines: { covered: 3, total: 4 }, uncoveredLines: [9], neverLoaded: false });
    expect(armsAfterFirst).toEqual({
      '2:then': true,
      '2:implicit-else': true,
      '5:cond-true': false,
      '5:cond-false': true,
      '9:right': false,
      '9:short-circuit': false,
    });
    expect(afterBoth).toMatchObject({ lines: { covered: 4, total: 4 }, branches: { covered: 4, total: 6 }, uncoveredLines: [] });
    expect(arms()).toMatchObject({ '9:right': true, '9:short-circuit': false, '5:cond-true': false });
    // the column is the `?` and the `??`, to tell apart several branch points on one line
    expect(afterBoth.uncoveredBranches).toEqual(['5:16:cond-true', '9:12:short-circuit']);
  });

  it('ignores runs of an older version of the file instead of mapping them onto the wrong lines', () => {
    const older = `// a comment that shifts every line\n${SAMPLE}`;
    const { code, map, fnRange } = transpiled(older);
    const accumulator = new CoverageAccumulator(() => SAMPLE);
    accumulator.add({
      path: SAMPLE_PATH,
      lineStarts: lineStartsOf(code),
      sourceMap: map,
      originalSource: older,
      runs: [[{ ranges: [{ startOffset: 0, endOffset: code.length, count: 1 }] }, { ranges: [fnRange('fallback', 5)] }]],
    });
    const hits = accumulator.ensure(SAMPLE_PATH);
    expect({ runs: hits.runs, staleRuns: hits.staleRuns, hit: hits.statementHit.some(Boolean) }).toEqual({ runs: 0, staleRuns: 1, hit: false });
  });

  it('reads NODE_V8_COVERAGE dumps of child processes and skips those of jest itself', () => {
    const { code, map, fnRange } = transpiled();
    const url = pathToFileURL(SAMPLE_PATH).href;
    const lineLengths = code.split('\n').map((line) => line.length);
    const dump = (extraUrl: string | undefined, fallbackCount: number) => ({
      result: [
        { url, functions: [{ ranges: [{ startOffset: 0, endOffset: code.length, count: 1 }] }, { ranges: [fnRange('fallback', fallbackCount)] }] },
        ...(extraUrl ? [{ url: extraUrl, functions: [] }] : []),
      ],
      'source-map-cache': { [url]: { lineLengths, data: map } },
    });
    const dir = tempDir();
    writeFileSync(join(dir, 'coverage-1-1-0.json'), JSON.stringify(dump(undefined, 0)));
    // jest's worker ran the file in a vm context and called fallback: that must not count from this dump
    writeFileSync(join(dir, 'coverage-2-1-0.json'), JSON.stringify(dump('file:///repo/node_modules/jest-runtime/build/index.js', 1)));
    const accumulator = new CoverageAccumulator(() => SAMPLE);

    const read = readCoverageDir(dir, (path) => path === SAMPLE_PATH, accumulator);

    const file = summariseFile('lambdas/sample.ts', accumulator.ensure(SAMPLE_PATH));
    expect(read).toEqual({ dumps: 2, skippedJestProcesses: 1 });
    expect(file.uncoveredLines).toEqual([9]);
  });

  it('counts a file no test loaded as fully uncovered, not as missing', () => {
    const accumulator = new CoverageAccumulator(() => SAMPLE);
    expect(summariseFile('lambdas/sample.ts', accumulator.ensure(SAMPLE_PATH))).toMatchObject({
      lines: { covered: 0, total: 4 },
      branches: { covered: 0, total: 6 },
      neverLoaded: true,
    });
  });
});

describe('the threshold', () => {
  const file = (name: string, lines: [number, number], branches: [number, number], uncoveredLines: number[] = []): FileCoverage => ({
    file: name,
    lines: { covered: lines[0], total: lines[1] },
    branches: { covered: branches[0], total: branches[1] },
    uncoveredLines,
    uncoveredBranches: [],
    neverLoaded: false,
    staleRuns: 0,
  });
  const closures: EntryClosure[] = [
    { kind: 'route', id: 'a', handler: 'a', files: ['lambdas/handlers/a.ts', 'lambdas/shared/common.ts'] },
    { kind: 'worker', id: 'b', handler: 'b', files: ['lambdas/handlers/b.ts', 'lambdas/shared/common.ts'] },
  ];
  const threshold = { lines: 90, branches: 90 };

  it('counts a file shared by several entries once overall, and in full for each entry', () => {
    const files = new Map(
      [file('lambdas/handlers/a.ts', [10, 10], [4, 4]), file('lambdas/handlers/b.ts', [5, 10], [0, 2], [1, 2, 3, 7, 9]), file('lambdas/shared/common.ts', [100, 100], [50, 50])].map(
        (f) => [f.file, f],
      ),
    );

    const report = buildReport(closures, files, threshold);

    expect(report.overall).toEqual({ files: 3, lines: { covered: 115, total: 120 }, branches: { covered: 54, total: 56 } });
    expect(report.entries.map((e) => [e.id, e.lines, e.branches])).toEqual([
      ['a', { covered: 110, total: 110 }, { covered: 54, total: 54 }],
      ['b', { covered: 105, total: 110 }, { covered: 50, total: 52 }],
    ]);
    expect(worstFiles(report, 5).map((f) => f.file)).toEqual(['lambdas/handlers/b.ts']);
    expect(lineRanges(worstFiles(report, 1)[0]!.uncoveredLines)).toBe('1-3, 7, 9');
    expect(thresholdFailures(report)).toEqual([]);
  });

  it('fails just under 90% (89.9% is not rounded up) and names which measure failed', () => {
    const files = new Map(
      [file('lambdas/handlers/a.ts', [899, 1000], [95, 100]), file('lambdas/handlers/b.ts', [0, 0], [0, 0]), file('lambdas/shared/common.ts', [0, 0], [0, 0])].map(
        (f) => [f.file, f],
      ),
    );

    const report = buildReport(closures, files, threshold);

    expect(percent(report.overall.lines)).toBe(89.9);
    expect(thresholdFailures(report)).toEqual(['line coverage 89.9% is under the 90% threshold']);
  });

  it('fails on branches alone, and passes exactly at the threshold', () => {
    const at = (branches: [number, number]) =>
      buildReport(
        closures,
        new Map(
          [file('lambdas/handlers/a.ts', [90, 100], branches), file('lambdas/handlers/b.ts', [0, 0], [0, 0]), file('lambdas/shared/common.ts', [0, 0], [0, 0])].map(
            (f) => [f.file, f],
          ),
        ),
        threshold,
      );
    expect(thresholdFailures(at([89, 100]))).toEqual(['branch coverage 89% is under the 90% threshold']);
    expect(thresholdFailures(at([90, 100]))).toEqual([]);
  });

  it('leaves a file with a stated reason out of every number, and still lists it', () => {
    const files = new Map(
      [file('lambdas/handlers/a.ts', [10, 10], [10, 10]), file('lambdas/handlers/b.ts', [10, 10], [10, 10]), file('lambdas/shared/common.ts', [0, 50], [0, 40])].map(
        (f) => [f.file, f],
      ),
    );

    const report = buildReport(closures, files, threshold, new Map([['lambdas/shared/common.ts', 'test-only']]));

    expect(report.overall).toEqual({ files: 2, lines: { covered: 20, total: 20 }, branches: { covered: 20, total: 20 } });
    expect(report.entries.map((e) => e.files)).toEqual([1, 1]);
    expect(report.excluded).toMatchObject([{ file: 'lambdas/shared/common.ts', reason: 'test-only', lines: { covered: 0, total: 50 } }]);
    expect(thresholdFailures(report)).toEqual([]);
  });

  it('refuses a closure file it has no coverage entry for', () => {
    expect(() => buildReport(closures, new Map(), threshold)).toThrow(/no coverage entry for lambdas\/handlers\/a.ts/);
  });
});

describe('when npm test checks the threshold', () => {
  it('checks after a whole-suite run, whatever the run options', () => {
    expect(narrowsTheRun(['--ci', '--forceExit'])).toBe(false);
    expect(narrowsTheRun(['--ci', '--forceExit', '--maxWorkers=2', '--runInBand'])).toBe(false);
  });

  it('skips the check when only some tests ran (a coverage of part of the suite says nothing about the whole)', () => {
    expect(narrowsTheRun(['--ci', '--forceExit', 'consent'])).toBe(true);
    expect(narrowsTheRun(['--ci', '--selectProjects', 'unit'])).toBe(true);
    expect(narrowsTheRun(['--testPathPatterns=rights'])).toBe(true);
    expect(narrowsTheRun(['-t', 'erasure'])).toBe(true);
  });
});

describe('findProbes', () => {
  it('counts both arms of if, ?: and ?? / || / &&, but not of logical assignments (V8 has no counter for their right side)', () => {
    const source = [
      'export function f(a: number | undefined, b: boolean) {',
      '  let c: number | undefined;',
      '  c ??= 1;',
      '  if (b) c = 2;',
      '  return (a ?? c) && b ? 1 : 0;',
      '}',
    ].join('\n');

    const kinds = findProbes('f.ts', source).arms.map((arm) => `${arm.line}:${arm.kind}`);

    expect(kinds).toEqual(
      expect.arrayContaining(['4:then', '5:cond-true', '5:cond-false', '5:right', '5:short-circuit']),
    );
    expect(kinds.filter((k) => k.startsWith('3:'))).toEqual([]);
  });
});
