/**
 * From per-file hits to the numbers the PII coverage report shows and `--check` enforces: line and branch coverage per
 * file, per declared entry (the union of its closure) and overall (every file any entry reaches, counted once).
 */
import type { EntryClosure } from './closure';
import type { FileHits } from './v8-hits';

export interface Ratio {
  readonly covered: number;
  readonly total: number;
}

export interface FileCoverage {
  readonly file: string;
  readonly lines: Ratio;
  readonly branches: Ratio;
  readonly uncoveredLines: readonly number[];
  /** `line:column:kind` of each branch arm never taken, e.g. `42:3:else`, `57:20:short-circuit` (column of the `if`/operator). */
  readonly uncoveredBranches: readonly string[];
  /** True when no test run loaded the file at all. */
  readonly neverLoaded: boolean;
  /** Runs of an older version of the file (edited during or after the test run), ignored: re-run the tests to count them. */
  readonly staleRuns: number;
}

export interface EntryCoverage {
  readonly kind: EntryClosure['kind'];
  readonly id: string;
  readonly handler: string;
  readonly files: number;
  readonly lines: Ratio;
  readonly branches: Ratio;
}

export interface PiiCoverageReport {
  readonly threshold: { readonly lines: number; readonly branches: number };
  /** Reached files left out of every number, each with its reason (still measured, so the report shows them). */
  readonly excluded: readonly (FileCoverage & { readonly reason: string })[];
  readonly overall: { readonly files: number; readonly lines: Ratio; readonly branches: Ratio };
  readonly entries: readonly EntryCoverage[];
  readonly files: readonly FileCoverage[];
}

/** Percentage with one decimal; an empty denominator counts as fully covered (nothing to run). */
export const percent = (r: Ratio) => (r.total === 0 ? 100 : Math.floor((1000 * r.covered) / r.total) / 10);

const add = (a: Ratio, b: Ratio): Ratio => ({ covered: a.covered + b.covered, total: a.total + b.total });
const ZERO: Ratio = { covered: 0, total: 0 };

/** Lines: a line counts once, covered when any statement starting on it ran. Branches: every arm counts. */
export function summariseFile(file: string, hits: FileHits): FileCoverage {
  const lineCovered = new Map<number, boolean>();
  hits.probes.statements.forEach((probe, i) => {
    lineCovered.set(probe.line, (lineCovered.get(probe.line) ?? false) || hits.statementHit[i]!);
  });
  const uncoveredLines = [...lineCovered].filter(([, covered]) => !covered).map(([line]) => line).sort((a, b) => a - b);
  return {
    file,
    lines: { covered: lineCovered.size - uncoveredLines.length, total: lineCovered.size },
    branches: { covered: hits.armHit.filter(Boolean).length, total: hits.armHit.length },
    uncoveredLines,
    uncoveredBranches: hits.probes.arms.filter((_, i) => !hits.armHit[i]).map((arm) => `${arm.line}:${arm.column}:${arm.kind}`),
    neverLoaded: hits.runs === 0,
    staleRuns: hits.staleRuns,
  };
}

/**
 * Per entry: the union of its closure; overall: every reached file once. Files in `excluded` (file → reason) are left out
 * of both and listed separately.
 */
export function buildReport(
  closures: readonly EntryClosure[],
  fileCoverage: ReadonlyMap<string, FileCoverage>,
  threshold: { lines: number; branches: number },
  excluded: ReadonlyMap<string, string> = new Map(),
): PiiCoverageReport {
  const of = (file: string) => {
    const coverage = fileCoverage.get(file);
    if (!coverage) throw new Error(`no coverage entry for ${file}`);
    return coverage;
  };
  const counted = (files: readonly string[]) => files.filter((f) => !excluded.has(f));
  const entries = closures.map((closure) => ({
    kind: closure.kind,
    id: closure.id,
    handler: closure.handler,
    files: counted(closure.files).length,
    lines: counted(closure.files).map((f) => of(f).lines).reduce(add, ZERO),
    branches: counted(closure.files).map((f) => of(f).branches).reduce(add, ZERO),
  }));
  const reached = [...new Set(closures.flatMap((c) => c.files))].sort();
  const files = counted(reached).map(of);
  return {
    threshold,
    excluded: reached.filter((f) => excluded.has(f)).map((f) => ({ ...of(f), reason: excluded.get(f)! })),
    overall: {
      files: files.length,
      lines: files.map((f) => f.lines).reduce(add, ZERO),
      branches: files.map((f) => f.branches).reduce(add, ZERO),
    },
    entries,
    files,
  };
}

/** The threshold failures, as sentences; empty when the overall numbers meet the threshold. */
export function thresholdFailures(report: PiiCoverageReport): string[] {
  const failures: string[] = [];
  const lines = percent(report.overall.lines);
  const branches = percent(report.overall.branches);
  if (lines < report.threshold.lines) failures.push(`line coverage ${lines}% is under the ${report.threshold.lines}% threshold`);
  if (branches < report.threshold.branches) {
    failures.push(`branch coverage ${branches}% is under the ${report.threshold.branches}% threshold`);
  }
  return failures;
}

/** Files ordered by how much uncovered code they hold (missed lines plus missed branch arms), most first. */
export function worstFiles(report: PiiCoverageReport, count: number): FileCoverage[] {
  const missed = (f: FileCoverage) => f.lines.total - f.lines.covered + (f.branches.total - f.branches.covered);
  return [...report.files]
    .filter((f) => missed(f) > 0)
    .sort((a, b) => missed(b) - missed(a) || a.file.localeCompare(b.file))
    .slice(0, count);
}

/** `3-5, 9, 12-14`: uncovered lines, compactly. */
export function lineRanges(lines: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    parts.push(i === j ? String(lines[i]) : `${lines[i]}-${lines[j]}`);
    i = j;
  }
  return parts.join(', ');
}

const cell = (r: Ratio) => `${percent(r)}% (${r.covered}/${r.total})`;

export function reportMarkdown(report: PiiCoverageReport): string {
  const out = [
    '# Coverage of the code that handles personal data',
    '',
    'Generated by `npm run coverage:pii` from the last `npm test`: line and branch coverage of every file each declared route,',
    'worker, schedule and the authorizer reaches (its handler and static imports within `lambdas/`), counted over unit,',
    'infra and integration tests together (the local cloud runs in child processes; their coverage is included).',
    '',
    `Overall: lines ${cell(report.overall.lines)}, branches ${cell(report.overall.branches)} over ${report.overall.files} files ` +
      `(threshold ${report.threshold.lines}% lines, ${report.threshold.branches}% branches).`,
    '',
    '## By entry point',
    '',
    '| kind | id | handler | files | lines | branches |',
    '| --- | --- | --- | ---: | ---: | ---: |',
    ...report.entries.map((e) => `| ${e.kind} | ${e.id} | ${e.handler} | ${e.files} | ${cell(e.lines)} | ${cell(e.branches)} |`),
    '',
    '## By file',
    '',
    '| file | lines | branches | uncovered lines |',
    '| --- | ---: | ---: | --- |',
    ...report.files.map(
      (f) =>
        `| ${f.file}${f.neverLoaded ? ' (never loaded)' : ''}${f.staleRuns ? ` (${f.staleRuns} runs of an older version ignored)` : ''} ` +
        `| ${cell(f.lines)} | ${cell(f.branches)} | ${lineRanges(f.uncoveredLines)} |`,
    ),
    '',
  ];
  if (report.excluded.length > 0) {
    out.push('## Reached but not counted', '', '| file | lines | branches | why |', '| --- | ---: | ---: | --- |');
    out.push(...report.excluded.map((f) => `| ${f.file} | ${cell(f.lines)} | ${cell(f.branches)} | ${f.reason} |`), '');
  }
  return out.join('\n');
}

/** The few lines `npm test` prints. */
export function reportSummary(report: PiiCoverageReport, worst = 8): string {
  const out = [
    `PII coverage: lines ${cell(report.overall.lines)}, branches ${cell(report.overall.branches)} ` +
      `over ${report.overall.files} files reached by ${report.entries.length} routes, workers and schedules ` +
      `(threshold ${report.threshold.lines}%/${report.threshold.branches}%)`,
  ];
  const lowest = [...report.entries].sort((a, b) => percent(a.lines) + percent(a.branches) - percent(b.lines) - percent(b.branches));
  out.push(`  least covered entries: ${lowest.slice(0, 3).map((e) => `${e.id} (lines ${percent(e.lines)}%, branches ${percent(e.branches)}%)`).join('; ')}`);
  const files = worstFiles(report, worst);
  if (files.length > 0) {
    out.push('  most uncovered code:');
    for (const f of files) out.push(`    ${f.file}: lines ${cell(f.lines)}, branches ${cell(f.branches)}${f.neverLoaded ? ', never loaded' : ''}`);
  }
  return out.join('\n');
}
