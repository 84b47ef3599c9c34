/**
 * Turns the README's shell examples into one bash script, so a test can prove they run as written.
 *
 * Conventions (the README states them too):
 * - every ```bash block runs, in order, in one shell, unless the line before it is `<!-- example: skip (<why>) -->`;
 * - a line with `# → <status>` (on its own, after a command, or trailing a command) expects the last HTTP answer to have
 *   that status: the script wraps `curl` to record each status, and checks it right after that line.
 */

/** One fenced bash block of the README. */
export interface ShellExample {
  /** 1-based line of the block's first command in README.md. */
  readonly line: number;
  /** The commands, indentation of the block removed. */
  readonly lines: readonly string[];
  /** The reason given in a skip marker, if the block is skipped. */
  readonly skip?: string;
}

const SKIP_MARKER = /^\s*<!--\s*example:\s*skip\s*\((.*)\)\s*-->\s*$/;
const ANY_SKIP_MARKER = /<!--\s*example:\s*skip/;
const EXPECTED_STATUS = /#\s*→\s*(\d{3})\b/;

/** The ```bash blocks of a Markdown text, with their skip markers; a malformed marker throws. */
export function shellExamples(markdown: string): ShellExample[] {
  const text = markdown.split('\n');
  const examples: ShellExample[] = [];
  for (let i = 0; i < text.length; i++) {
    const open = /^(\s*)```bash\s*$/.exec(text[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < text.length && !/^\s*```\s*$/.test(text[j]); j++) body.push(text[j].slice(Math.min(indent, text[j].search(/\S|$/))));
    if (j === text.length) throw new Error(`README.md:${i + 1}: a bash block is never closed`);
    let before = i - 1;
    while (before >= 0 && text[before].trim() === '') before--;
    const marker = before >= 0 ? text[before] : '';
    const skip = SKIP_MARKER.exec(marker)?.[1]?.trim();
    if (ANY_SKIP_MARKER.test(marker) && !skip) throw new Error(`README.md:${before + 1}: a skip marker must say why: <!-- example: skip (why) -->`);
    examples.push({ line: i + 2, lines: body, ...(skip ? { skip } : {}) });
    i = j;
  }
  return examples;
}

/** The expected HTTP status a line declares with `# → <status>`, if any. */
export function expectedStatus(line: string): number | undefined {
  const match = EXPECTED_STATUS.exec(line);
  return match ? Number(match[1]) : undefined;
}

/** A bash script running the examples in order; `lineMap[n - 1]` is the README line of script line n (0: the harness's). */
export function examplesScript(examples: readonly ShellExample[], exports: readonly string[]): { script: string; lineMap: number[] } {
  const script: string[] = [];
  const lineMap: number[] = [];
  const emit = (line: string, readmeLine = 0) => {
    script.push(line);
    lineMap.push(readmeLine);
  };
  for (const line of [
    'set -euo pipefail',
    // Where a failing command sits, for the test's message (set -e exits right after the trap).
    'trap \'echo "FMN_README_FAILED_AT $LINENO" >&2\' ERR',
    // Every curl answer's status goes to a file; the body is printed as curl would print it.
    'curl() {',
    '  local out rc=0',
    "  out=$(command curl \"$@\" -w '\\n%{http_code}') || rc=$?",
    "  printf '%s\\n' \"${out%$'\\n'*}\"",
    "  printf '%s\\n' \"${out##*$'\\n'}\" >> \"$FMN_README_STATUS\"",
    '  return $rc',
    '}',
    // `npx fmn` is what the README shows; npx's own lookup costs seconds a call on a loaded machine, so the harness runs
    // the bin it would find (package.json "bin": bin/fmn.cjs) directly. Every other npx call goes to npx.
    'npx() { if [ "${1:-}" = fmn ]; then shift; node "$FMN_README_ROOT/bin/fmn.cjs" "$@"; else command npx "$@"; fi; }',
    '__fmn_expect() {',
    '  local got; got=$(tail -n 1 "$FMN_README_STATUS")',
    '  : > "$FMN_README_STATUS"',
    '  if [ "$got" != "$1" ]; then echo "README.md:$2: expected HTTP $1, got ${got:-no answer}" >&2; exit 97; fi',
    '}',
    ...exports,
  ]) emit(line);
  for (const example of examples) {
    if (example.skip) continue;
    emit(`echo "FMN_README_BLOCK ${example.line} at $SECONDS s" >&2`);
    example.lines.forEach((line, k) => {
      const readmeLine = example.line + k;
      emit(line, readmeLine);
      const status = expectedStatus(line);
      if (status !== undefined) emit(`__fmn_expect ${status} ${readmeLine}`, readmeLine);
    });
  }
  return { script: script.join('\n') + '\n', lineMap };
}
