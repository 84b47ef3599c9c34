/**
 * `npm test`'s jest run, with coverage kept for `npm run coverage:pii`: NODE_V8_COVERAGE for every process the tests start
 * (the local cloud, the ops scripts; Node passes the variable on to children) and jest's own V8 coverage for the code it
 * runs in-process (kept raw by scripts/coverage/jest-v8-reporter.js). Arguments go to jest.
 *
 * When jest passes and the run was the whole suite, the PII coverage report is written and its threshold checked; a run
 * narrowed to some tests (`npm test -- consent`) skips the check, since its coverage says nothing about the whole.
 * Exit code: jest's when it fails, else the check's.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { RAW_COVERAGE_DIR, piiCoverage } from '../coverage-pii';

/** jest options that run only part of the suite (positional test path patterns count too). */
const NARROWING = /^(-t|-o|--testNamePattern|--testPathPatterns?|--selectProjects|--onlyChanged|--changedSince|--lastCommit|--findRelatedTests|--shard|--onlyFailures|-f|--testMatch|--runTestsByPath)(=|$)/;

/** True when the jest arguments select only some of the tests. */
export function narrowsTheRun(args: readonly string[]): boolean {
  return args.some((arg) => !arg.startsWith('-') || NARROWING.test(arg));
}

function runJest(args: readonly string[]): Promise<number> {
  // stale dumps from an earlier run would count code that no longer runs
  rmSync(RAW_COVERAGE_DIR, { recursive: true, force: true });
  mkdirSync(RAW_COVERAGE_DIR, { recursive: true });
  const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...args], {
    stdio: 'inherit',
    env: { ...process.env, NODE_V8_COVERAGE: RAW_COVERAGE_DIR, FMN_PII_COVERAGE_DIR: RAW_COVERAGE_DIR },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const jestCode = await runJest(args);
  if (jestCode !== 0) return jestCode;
  if (narrowsTheRun(args)) {
    console.log('PII coverage not checked: this run selected only some tests (`npm run coverage:pii` shows what it covered).');
    return 0;
  }
  return piiCoverage({ check: true });
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
