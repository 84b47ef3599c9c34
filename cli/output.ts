/**
 * How `fmn` shows results: an aligned table for people, and with `--json` one JSON object per line (JSON Lines) for
 * scripts, so `jq` and line-by-line readers work and long listings need no buffering. Summaries and progress go to stderr,
 * so stdout stays parseable.
 */
import { SingleBar } from 'cli-progress';
import type { Io } from './command';

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => unknown;
}

/** Text of one table cell: empty for absent values, JSON for objects and arrays. */
function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Left-aligned columns separated by two spaces, headers in capitals; no trailing spaces. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n') + '\n';
}

/** Prints rows: JSON Lines with `json`, else a table (or "(none)" when there is nothing). */
export function printRows<T>(io: Io, json: boolean | undefined, rows: readonly T[], columns: readonly Column<T>[], toJson: (row: T) => unknown = (r) => r): void {
  if (json) {
    for (const row of rows) io.out(`${JSON.stringify(toJson(row))}\n`);
    return;
  }
  if (rows.length === 0) {
    io.out('(none)\n');
    return;
  }
  io.out(formatTable(columns.map((c) => c.header), rows.map((row) => columns.map((c) => cell(c.value(row))))));
}

/** Prints one result: a JSON line with `json`, else `key  value` lines. */
export function printRecord(io: Io, json: boolean | undefined, record: Record<string, unknown>): void {
  if (json) {
    io.out(`${JSON.stringify(record)}\n`);
    return;
  }
  const entries = Object.entries(record).filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  io.out(entries.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join('\n') + '\n');
}

/** A summary or notice for the person running the command: stderr, so it never mixes into parseable output. */
export function note(io: Io, text: string): void {
  io.err(`${text}\n`);
}

export interface Progress {
  increment(by?: number): void;
  setTotal(total: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { increment: () => undefined, setTotal: () => undefined, stop: () => undefined };

/** The bar's layout: percent, done/total in `units`, and the time left. */
export const progressFormat = (label: string, units: string) => `${label} [{bar}] {percentage}% | {value}/{total} ${units} | ETA {eta_formatted}`;

/**
 * A progress bar on stderr for long jobs, drawn only when stderr is a terminal (never into pipes, logs or tests).
 * `terminal` is stderr; a test passes its own.
 */
export function progress(io: Io, label: string, total: number, units = 'items', terminal: NodeJS.WritableStream = process.stderr): Progress {
  if (!io.stderrIsTTY) return NO_PROGRESS;
  const bar = new SingleBar({
    format: progressFormat(label, units),
    stream: terminal,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return {
    increment: (by = 1) => bar.increment(by),
    setTotal: (n) => bar.setTotal(n),
    stop: () => bar.stop(),
  };
}
