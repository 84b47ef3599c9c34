/**
 * SDK calls per warm request on their own (bench/lib/warm-calls.ts), for the test that asserts them and for a quick look:
 *
 *   node --import tsx bench/warm-calls.ts <result.json>
 *
 * Starts its own DynamoDB Local, fauxqs and KMS emulator, as the in-process benchmark does, and writes the rows as JSON.
 */
import { writeFileSync } from 'node:fs';
import { startBenchCloud } from './lib/cloud';

async function main(): Promise<void> {
  const [resultFile] = process.argv.slice(2);
  if (!resultFile) throw new Error('usage: warm-calls.ts <result.json>');
  const cloud = await startBenchCloud();
  try {
    // A cheap hash: the password route's calls do not depend on its cost.
    Object.assign(process.env, cloud.env, { PASSWORD_SCRYPT_LOG_N: '10' });
    const { loadApp } = await import('./lib/app');
    const { measureWarmCalls } = await import('./lib/warm-calls');
    const app = await loadApp(cloud.queues.rightsRequestQueue.arn);
    writeFileSync(resultFile, JSON.stringify(await measureWarmCalls(app), null, 2));
  } finally {
    await cloud.close();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`warm-calls failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
