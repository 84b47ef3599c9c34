/**
 * Turns raw V8 coverage into "which statements and branch arms of each TypeScript file ran", across processes and
 * transpilers. Two kinds of raw data are read from one directory:
 *
 * - NODE_V8_COVERAGE dumps (`coverage-*.json`) written by every Node process the test run started: the local cloud, the
 *   ops scripts. Their `source-map-cache` holds the map tsx (esbuild) produced and the generated line lengths.
 * - `jest-*.json`, written by the jest reporter in this folder: the in-process coverage of the unit and infra tests, with
 *   the code swc produced and its map.
 *
 * Each script is evaluated on its own (its offsets only mean something against its own generated code) at the original
 * positions from `probes.ts`, and the per-script answers are OR-ed. That is why no istanbul merge is involved: two
 * transpilers give different block ranges for the same source, and V8 leaves out blocks whose count equals their parent's,
 * so merging converted reports location by location under-counts. Dumps of jest's own processes are skipped: the code they
 * ran in `vm` contexts is reported by the jest reporter instead.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProbes, type FileProbes } from './probes';
import { OriginalPositionIndex, lineStartsFromLengths, type RawSourceMap } from './source-map';

export interface V8Range {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly count: number;
}

export interface V8Function {
  readonly ranges: readonly V8Range[];
}

/** One run of one generated script: enough to map its counts back to the original file. */
export interface ScriptRun {
  /** Absolute path of the original file. */
  readonly path: string;
  readonly lineStarts: readonly number[];
  readonly sourceMap: RawSourceMap;
  /** The original text the map was made from, when the map carries it (to skip runs of an older version of the file). */
  readonly originalSource?: string;
  /** The coverage of each run of this same generated code (one per process or per jest test file). */
  readonly runs: readonly (readonly V8Function[])[];
}

/** Which probes of a file ran in at least one script run. */
export interface FileHits {
  readonly probes: FileProbes;
  readonly statementHit: boolean[];
  readonly armHit: boolean[];
  /** Script runs of this file that were used, and runs skipped because the file changed since they ran. */
  runs: number;
  staleRuns: number;
}

/** The count V8 recorded at an offset: that of the innermost range containing it (0 when no range does). */
export function countAt(functions: readonly V8Function[], offset: number): number {
  let best: V8Range | undefined;
  for (const fn of functions) {
    for (const range of fn.ranges) {
      if (range.startOffset <= offset && offset < range.endOffset) {
        if (!best || range.endOffset - range.startOffset <= best.endOffset - best.startOffset) best = range;
      }
    }
  }
  return best?.count ?? 0;
}

function sourceIndexFor(map: RawSourceMap, path: string): number {
  if (map.sources.length === 1) return 0;
  const wanted = resolve(path);
  return map.sources.findIndex((source) => {
    if (!source) return false;
    const candidate = source.startsWith('file://') ? fileURLToPath(source) : resolve(map.sourceRoot ?? '', source);
    return candidate === wanted || wanted.endsWith(sep + source.replace(/^(\.\.?\/)+/, '').split('/').join(sep));
  });
}

/**
 * Accumulates script runs per original file. `source(path)` gives the current text of a file (probes are found in it);
 * a run whose map carries a different original text is counted as stale and ignored.
 */
export class CoverageAccumulator {
  readonly files = new Map<string, FileHits>();

  constructor(private readonly source: (path: string) => string) {}

  private hitsFor(path: string): FileHits {
    let hits = this.files.get(path);
    if (!hits) {
      const probes = findProbes(path, this.source(path));
      hits = {
        probes,
        statementHit: probes.statements.map(() => false),
        armHit: probes.arms.map(() => false),
        runs: 0,
        staleRuns: 0,
      };
      this.files.set(path, hits);
    }
    return hits;
  }

  /** Files with no run at all still need a zero entry: call this for every file the report covers. */
  ensure(path: string): FileHits {
    return this.hitsFor(path);
  }

  add(run: ScriptRun): void {
    const hits = this.hitsFor(run.path);
    if (run.originalSource !== undefined && run.originalSource !== this.source(run.path)) {
      hits.staleRuns++;
      return;
    }
    const sourceIndex = sourceIndexFor(run.sourceMap, run.path);
    if (sourceIndex < 0) {
      hits.staleRuns++;
      return;
    }
    // where each probe sits in this generated code, looked up once for all runs of it
    const index = new OriginalPositionIndex(run.sourceMap, sourceIndex, run.lineStarts);
    const statementAt = hits.probes.statements.map((probe) => index.generatedOffset(probe.span));
    const armAt = hits.probes.arms.map((arm) => index.generatedOffset(arm.at));
    const parentAt = hits.probes.arms.map((arm) => (arm.parentAt ? index.generatedOffset(arm.parentAt) : undefined));
    for (const functions of run.runs) {
      hits.runs++;
      const count = (offset: number | undefined) => (offset === undefined ? 0 : countAt(functions, offset));
      statementAt.forEach((offset, i) => {
        if (!hits.statementHit[i] && count(offset) > 0) hits.statementHit[i] = true;
      });
      hits.probes.arms.forEach((arm, i) => {
        if (hits.armHit[i]) return;
        const taken = arm.parentAt
          ? parentAt[i] !== undefined && armAt[i] !== undefined && count(parentAt[i]) - count(armAt[i]) > 0
          : count(armAt[i]) > 0;
        if (taken) hits.armHit[i] = true;
      });
    }
  }
}

interface NodeCoverageDump {
  readonly result: readonly { readonly url: string; readonly functions: readonly V8Function[] }[];
  readonly 'source-map-cache'?: Record<string, { readonly lineLengths?: number[]; readonly data?: RawSourceMap & { sourcesContent?: (string | null)[] } }>;
}

/** The format the jest reporter writes: each script once, with every run of it. */
export interface JestCoverageDump {
  readonly origin: 'jest';
  readonly scripts: readonly {
    readonly path: string;
    readonly lineStarts: readonly number[];
    readonly sourceMap: RawSourceMap;
    readonly originalSource: string;
    readonly runs: readonly (readonly V8Function[])[];
  }[];
}

/** A process started by jest itself (the runner or a worker): its `vm` scripts are reported by the jest reporter. */
const isJestProcess = (dump: NodeCoverageDump) => dump.result.some((s) => /[\\/]node_modules[\\/](jest-runtime|jest-worker)[\\/]/.test(s.url));

/**
 * Reads every dump in `dir` and feeds the runs of files accepted by `wanted` (absolute paths) into the accumulator.
 * Returns what was read, for the summary line.
 */
export function readCoverageDir(
  dir: string,
  wanted: (path: string) => boolean,
  into: CoverageAccumulator,
  /** A string every useful dump contains (the folder's file URL): most dumps are of processes that ran none of our code. */
  mustMention?: string,
): { dumps: number; skippedJestProcesses: number } {
  let dumps = 0;
  let skippedJestProcesses = 0;
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const text = readFileSync(join(dir, name), 'utf8');
    dumps++;
    // a substring search costs far less than parsing a few megabytes of coverage of node_modules
    if (mustMention && !name.startsWith('jest-') && !text.includes(mustMention)) continue;
    const data = JSON.parse(text) as NodeCoverageDump | JestCoverageDump;
    if ('origin' in data && data.origin === 'jest') {
      for (const script of data.scripts) {
        if (!wanted(script.path)) continue;
        into.add(script);
      }
      continue;
    }
    const dump = data as NodeCoverageDump;
    if (!Array.isArray(dump.result)) continue;
    if (isJestProcess(dump)) {
      skippedJestProcesses++;
      continue;
    }
    for (const script of dump.result) {
      if (!script.url.startsWith('file://')) continue;
      const path = fileURLToPath(script.url);
      if (!wanted(path)) continue;
      const cached = dump['source-map-cache']?.[script.url];
      // without a map the offsets are into code we do not have: nothing can be said about this run
      if (!cached?.data || !cached.lineLengths) continue;
      const sourceIndex = sourceIndexFor(cached.data, path);
      into.add({
        path,
        lineStarts: lineStartsFromLengths(cached.lineLengths),
        sourceMap: cached.data,
        originalSource: cached.data.sourcesContent?.[sourceIndex] ?? undefined,
        runs: [script.functions],
      });
    }
  }
  return { dumps, skippedJestProcesses };
}

/** `lambdas/x.ts` for an absolute path under `root`, `/`-separated. */
export const repoPath = (root: string, path: string) => relative(root, path).split(sep).join('/');
