/**
 * Benchmark (not part of `npm test`): streams a generated dump of the given size through `pseudonymize` and prints the
 * peak resident memory, to check that memory stays flat however big the input is.
 *
 *   npx tsx bench/pseudonymize-memory.ts            # 1024 MB
 *   npx tsx bench/pseudonymize-memory.ts 100        # 100 MB
 *
 * The input is written to a temporary directory (as much free disk as twice the size) and removed afterwards.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pseudonymize } from '../ops/pseudonymize';

const megabytes = Number(process.argv[2] ?? 1024);
if (!Number.isFinite(megabytes) || megabytes <= 0) {
  console.error('usage: npx tsx bench/pseudonymize-memory.ts [size in MB]');
  process.exit(2);
}

/** Users and sessions in the shape the tables hold, written with backpressure. */
async function generate(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  let written = 0;
  while (written < bytes) {
    const subjectId = randomUUID();
    const now = new Date().toISOString();
    const text =
      JSON.stringify({ store: 'users', item: { subjectId, emailIndex: randomBytes(32).toString('base64url'), profile: `v1.${randomBytes(12).toString('base64url')}.${randomBytes(300).toString('base64url')}`, passwordHash: `scrypt$17$8$1$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`, roles: ['subject'], createdAt: now, updatedAt: now } }) +
      '\n' +
      JSON.stringify({ store: 'sessions', item: { tokenHash: randomBytes(32).toString('hex'), subjectId, roles: ['subject'], deviceLabel: 'Firefox on Linux', createdAt: now, lastUsedAt: now, idleExpiresAt: 1_800_000_000, expiresAt: 1_800_000_000 } }) +
      '\n';
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fmn-bench-'));
  try {
    const input = join(dir, 'dump.jsonl');
    process.stderr.write(`generating ${megabytes} MB…\n`);
    await generate(input, megabytes * 1024 * 1024);
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const started = Date.now();
    let shownPercent = -1;
    const result = await pseudonymize({
      input,
      output: join(dir, 'out.jsonl'),
      key: randomBytes(32),
      onProgress: ({ bytesRead, totalBytes }) => {
        const percent = Math.floor((bytesRead / totalBytes) * 10) * 10;
        if (percent !== shownPercent) process.stderr.write(`${(shownPercent = percent)}% `);
      },
    });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const seconds = (Date.now() - started) / 1000;
    const size = statSync(input).size;
    process.stderr.write('\n');
    console.log(
      JSON.stringify({
        inputMB: Math.round(size / 1048576),
        lines: result.lines,
        seconds: Math.round(seconds * 10) / 10,
        mbPerSecond: Math.round((size / 1048576 / seconds) * 10) / 10,
        baselineRssMB: Math.round(baseline / 1048576),
        peakRssMB: Math.round(peak / 1048576),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
