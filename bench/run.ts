/**
 * `npm run bench`: P1 handler overhead, P2 cold start and bundle size, P3 erasure and export scaling, P4 local load, P5 the
 * console's first screen, on this machine against the local cloud. Writes bench/results.md and bench/results.json.
 *
 *   npm run bench                         the full sizes (long: tens of minutes)
 *   npm run bench -- --quick              the same code on tiny sizes (under two minutes); the integration test runs this
 *   npm run bench -- --out DIR            write the results elsewhere
 *   npm run bench -- --parts p2,p5        only some parts
 *   npm run bench -- --render-only        rewrite results.md from results.json (after editing bench/notes.md)
 *
 * Handler log lines of P1 and P3 go to a file in the temp directory (named at the end), not to the console.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { computedNotes, toMarkdown, verdictsOf, writtenNotes, type BenchResults } from './report';
import { ALL_PARTS, sizesFor, type Part, type Sizes } from './sizes';

const ROOT = resolve(__dirname, '..');

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        out: { type: 'string' },
        parts: { type: 'string' },
        'render-only': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (parsed.help) {
    process.stdout.write('Usage: npm run bench -- [--quick] [--out DIR] [--parts p1,p2,p3,p4,p5] [--render-only]\n');
    process.exit(0);
  }
  const parts = (parsed.parts ?? ALL_PARTS.join(',')).split(',').map((p) => p.trim()) as Part[];
  const unknown = parts.filter((p) => !ALL_PARTS.includes(p));
  if (unknown.length > 0) fail(`unknown part ${unknown.join(', ')}; expected some of ${ALL_PARTS.join(', ')}`);
  return { quick: parsed.quick, out: resolve(parsed.out ?? join(ROOT, 'bench')), parts, renderOnly: parsed['render-only'] };
}

/** P1 and P3 run in a child with its own local cloud; handler logs go to `logFile`, progress lines to our stderr. */
function runInProcessParts(sizes: Sizes, logFile: string): Promise<Pick<BenchResults, 'p1' | 'p3' | 'warmCalls'>> {
  const dir = mkdtempSync(join(tmpdir(), 'fmn-bench-'));
  const sizesFile = join(dir, 'sizes.json');
  const resultFile = join(dir, 'result.json');
  writeFileSync(sizesFile, JSON.stringify(sizes));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'in-process.ts'), sizesFile, resultFile], {
      cwd: ROOT,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs = createWriteStream(logFile, { flags: 'a' });
    child.stdout.pipe(logs);
    child.stderr.on('data', (chunk: Buffer) => {
      logs.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) if (/^(P[13] |in-process benchmark failed)/.test(line)) process.stderr.write(`${line}\n`);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      logs.end();
      try {
        if (code !== 0) throw new Error(`the in-process parts failed (exit ${code}); see ${logFile}`);
        resolvePromise(JSON.parse(readFileSync(resultFile, 'utf8')) as Pick<BenchResults, 'p1' | 'p3' | 'warmCalls'>);
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** The numbers stay as measured; verdicts and notes are derived again (notes.md may have changed). */
function renderOnly(out: string): void {
  const file = join(out, 'results.json');
  let measured: BenchResults;
  try {
    measured = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  } catch {
    fail(`cannot read ${file}: run the benchmark first`);
  }
  const final: BenchResults = { ...measured, verdicts: verdictsOf(measured), notes: [...computedNotes(measured), ...(measured.quick ? [] : writtenNotes())] };
  writeFileSync(file, `${JSON.stringify(final, null, 2)}\n`);
  writeFileSync(join(out, 'results.md'), toMarkdown(final));
  process.stderr.write(`bench: rewrote ${join(out, 'results.md')} from results.json\n`);
}

async function main(): Promise<void> {
  const { quick, out, parts, renderOnly: render } = options();
  if (render) return renderOnly(out);
  const sizes = sizesFor(quick, parts);
  const started = performance.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const cpu = cpus();
  const machine = {
    node: process.versions.node,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    platform: `${process.platform} ${process.arch}`,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
  const logFile = join(tmpdir(), `fmn-bench-${Date.now()}.log`);
  log(`bench: ${quick ? 'quick' : 'full'} run of ${parts.join(', ')}; handler logs in ${logFile}`);

  let results: Omit<BenchResults, 'verdicts' | 'notes' | 'durationSeconds'> = { machine, date: new Date().toISOString(), quick };
  const lap = (part: string, since: number) => log(`bench: ${part} took ${Math.round((performance.now() - since) / 1000)} s`);
  let t = performance.now();
  if (parts.includes('p2')) {
    const { runP2 } = await import('./p2-cold-start');
    results = { ...results, p2: await runP2({ processes: sizes.p2Processes, only: sizes.p2Functions, log }) };
    lap('P2', t);
  }
  t = performance.now();
  if (parts.includes('p1') || parts.includes('p3')) {
    results = { ...results, ...(await runInProcessParts(sizes, logFile)) };
    lap('P1 and P3', t);
  }
  t = performance.now();
  if (parts.includes('p4')) {
    const { runP4 } = await import('./p4-load');
    results = { ...results, p4: await runP4({ seconds: sizes.p4Seconds, connections: sizes.p4Connections, scryptLogN: sizes.scryptLogN, log }) };
    lap('P4', t);
  }
  t = performance.now();
  if (parts.includes('p5')) {
    const { runP5 } = await import('./p5-console');
    results = { ...results, p5: await runP5({ loads: sizes.p5Loads, log }) };
    lap('P5', t);
  }
  const final: BenchResults = {
    ...results,
    durationSeconds: Math.round((performance.now() - started) / 1000),
    verdicts: verdictsOf(results),
    notes: [...computedNotes(results), ...(quick ? [] : writtenNotes())],
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(final, null, 2)}\n`);
  writeFileSync(join(out, 'results.md'), toMarkdown(final));
  log(`bench: wrote ${join(out, 'results.md')} and results.json in ${final.durationSeconds} s`);
  for (const v of final.verdicts) log(`  ${v}`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.message}\n`);
    process.exit(1);
  },
);
