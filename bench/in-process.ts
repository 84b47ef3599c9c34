/**
 * The in-process parts of the benchmark (P1 handler overhead, P3 erasure and export scaling), run as a child of
 * `bench/run.ts` so the handlers' log lines go to a file and their module state starts fresh:
 *
 *   node --import tsx bench/in-process.ts <sizes.json> <result.json>
 *
 * Starts its own DynamoDB Local, fauxqs and KMS emulator (no API server, no workers), sets the environment the handlers
 * read, then loads them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { startBenchCloud } from './lib/cloud';
import type { Sizes } from './sizes';

async function main(): Promise<void> {
  const [sizesFile, resultFile] = process.argv.slice(2);
  if (!sizesFile || !resultFile) throw new Error('usage: in-process.ts <sizes.json> <result.json>');
  const sizes = JSON.parse(readFileSync(sizesFile, 'utf8')) as Sizes;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const cloud = await startBenchCloud();
  try {
    Object.assign(process.env, cloud.env, { PASSWORD_SCRYPT_LOG_N: String(sizes.scryptLogN) });
    const { loadApp } = await import('./lib/app');
    const app = await loadApp(cloud.queues.rightsRequestQueue.arn);
    const { runP1 } = await import('./p1-handlers');
    const { runP3 } = await import('./p3-scaling');
    // P3 first, on empty tables, so its small level really holds only its own other subjects.
    const p3 = sizes.parts.includes('p3') ? await runP3(app, { sizes, log }) : undefined;
    const p1 = sizes.parts.includes('p1') ? await runP1(app, { iterations: sizes.p1Iterations, warmup: sizes.p1Warmup, log }) : undefined;
    // With P1: the same routes' SDK calls per warm request, next to the minimum each needs.
    const { measureWarmCalls } = await import('./lib/warm-calls');
    const warmCalls = sizes.parts.includes('p1') ? await measureWarmCalls(app) : undefined;
    writeFileSync(resultFile, JSON.stringify({ p1, p3, warmCalls }, null, 2));
  } finally {
    await cloud.close();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`in-process benchmark failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
