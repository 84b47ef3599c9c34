/**
 * `npm run coverage:pii`: line and branch coverage of the code each declared route, worker and schedule reaches (its
 * handler's import closure in `lambdas/`), from the raw coverage the last `npm test` left in coverage/pii/raw (unit, infra
 * and integration tests, the local cloud's child processes included). Writes coverage/pii/report.md and report.json and
 * prints a short summary. `--check` fails (exit 1) when overall lines or branches are under the threshold; `npm test`
 * runs it that way.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { computeClosures, declaredEntries } from './coverage/closure';
import { buildReport, reportMarkdown, reportSummary, summariseFile, thresholdFailures, worstFiles, lineRanges, type FileCoverage } from './coverage/summary';
import { CoverageAccumulator, readCoverageDir, repoPath } from './coverage/v8-hits';

/**
 * The bar `npm test` holds the personal-data code to, in percent (issue 7: 90% of lines and branches; measured 99.5% and
 * 96.4% when raised to it). Raise it, never lower it quietly.
 */
export const PII_COVERAGE_THRESHOLD = { lines: 90, branches: 90 } as const;

/**
 * Files a handler reaches that are not counted, each with its reason. Only code that never runs in a deployed function
 * belongs here; the report still lists these files with their numbers.
 */
// Empty since the field-use trace moved to local/ (installed as a test hook, no handler reaches it).
export const NOT_COUNTED: ReadonlyMap<string, string> = new Map<string, string>();

const root = resolve(__dirname, '..');

/** Where a coverage run leaves its raw data: Node's NODE_V8_COVERAGE dumps and the jest reporter's file. */
export const RAW_COVERAGE_DIR = join(root, 'coverage', 'pii', 'raw');

export interface PiiCoverageOptions {
  /** Fail (return 1) when overall lines or branches are under the threshold. */
  readonly check: boolean;
  /** Where the raw coverage is; default coverage/pii/raw. */
  readonly raw?: string;
}

/** Writes the report and prints the summary; returns the exit code (0 ok, 1 under the threshold, 2 no data). */
export async function piiCoverage(options: PiiCoverageOptions): Promise<number> {
  const raw = resolve(options.raw ?? RAW_COVERAGE_DIR);
  if (!existsSync(raw) || !readdirSync(raw).some((f) => f.endsWith('.json'))) {
    console.error(`coverage:pii: no coverage data in ${raw.startsWith(root) ? repoPath(root, raw) : raw}: run \`npm test\` first`);
    return 2;
  }

  const closures = await computeClosures(await declaredEntries(), root);
  const reached = new Set(closures.flatMap((c) => c.files).map((f) => join(root, f)));
  const sources = new Map<string, string>();
  const source = (path: string) => {
    if (!sources.has(path)) sources.set(path, readFileSync(path, 'utf8'));
    return sources.get(path)!;
  };
  const accumulator = new CoverageAccumulator(source);
  const read = readCoverageDir(raw, (path) => reached.has(path), accumulator, pathToFileURL(join(root, 'lambdas')).href + '/');

  const fileCoverage = new Map<string, FileCoverage>();
  let staleRuns = 0;
  for (const path of reached) {
    const hits = accumulator.ensure(path);
    staleRuns += hits.staleRuns;
    fileCoverage.set(repoPath(root, path), summariseFile(repoPath(root, path), hits));
  }
  const report = buildReport(closures, fileCoverage, PII_COVERAGE_THRESHOLD, NOT_COUNTED);

  const out = join(root, 'coverage', 'pii');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(out, 'report.md'), reportMarkdown(report));
  console.log(reportSummary(report));
  console.log(
    `  from ${read.dumps} coverage files (${read.skippedJestProcesses} of jest's own processes skipped` +
      `${staleRuns > 0 ? `, ${staleRuns} runs of since-edited files ignored` : ''}); full report: coverage/pii/report.md`,
  );

  if (options.check) {
    const failures = thresholdFailures(report);
    if (failures.length > 0) {
      for (const failure of failures) console.error(`coverage:pii: ${failure}`);
      for (const f of worstFiles(report, 5)) {
        const arms = f.uncoveredBranches.length > 8 ? [...f.uncoveredBranches.slice(0, 8), '…'] : f.uncoveredBranches;
        console.error(`  ${f.file}: uncovered lines ${lineRanges(f.uncoveredLines) || 'none'}; branch arms never taken ${arms.join(' ') || 'none'}`);
      }
      return 1;
    }
  }
  return 0;
}

async function main(): Promise<number> {
  let values: { check?: boolean; raw?: string };
  try {
    ({ values } = parseArgs({ options: { check: { type: 'boolean' }, raw: { type: 'string' } }, strict: true }));
  } catch (error) {
    console.error(`coverage:pii: ${(error as Error).message} (usage: npm run coverage:pii -- [--check] [--raw DIR])`);
    return 2;
  }
  return piiCoverage({ check: values.check ?? false, raw: values.raw });
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`coverage:pii failed: ${error.message}`);
      process.exit(1);
    },
  );
}
