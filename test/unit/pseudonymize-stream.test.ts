/**
 * The pseudonymiser through real file streams on a generated multi-megabyte dump (plain and gzip): every line comes out,
 * progress reaches the file size, no original subject id survives, and joins hold across the whole file.
 * Memory is measured by bench/pseudonymize-memory.ts, never asserted here.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { pseudonymize } from '../../ops/pseudonymize';

const KEY = randomBytes(32);
const SUBJECTS = 8_000;
// Generous: the machine may be shared; speed is never asserted here.
jest.setTimeout(120_000);
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fmn-pseudo-stream-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a user and two sessions per subject, honouring backpressure; returns the original subject ids. */
async function generate(path: string): Promise<Set<string>> {
  const out = createWriteStream(path);
  const ids = new Set<string>();
  for (let i = 0; i < SUBJECTS; i++) {
    const subjectId = randomUUID();
    ids.add(subjectId);
    const lines = [
      { store: 'users', item: { subjectId, emailIndex: randomBytes(32).toString('base64url'), profile: `v1.${randomBytes(200).toString('base64url')}`, roles: ['subject'], createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() } },
      ...[1, 2].map(() => ({
        store: 'sessions',
        item: { tokenHash: randomBytes(32).toString('hex'), subjectId, roles: ['subject'], deviceLabel: 'Safari on macOS', createdAt: new Date().toISOString(), expiresAt: 1_800_000_000 },
      })),
    ];
    if (!out.write(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return ids;
}

function check(text: string, originals: Set<string>) {
  const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { store: string; item: Record<string, unknown> });
  expect(lines).toHaveLength(SUBJECTS * 3);
  const survivors = (text.match(UUIDS) ?? []).filter((u) => originals.has(u));
  expect(survivors).toEqual([]);
  const users = new Set(lines.filter((l) => l.store === 'users').map((l) => l.item.subjectId));
  expect(users.size).toBe(SUBJECTS);
  const orphans = lines.filter((l) => l.store === 'sessions' && !users.has(l.item.subjectId));
  expect(orphans).toEqual([]);
}

describe('streaming a multi-megabyte dump', () => {
  it('pseudonymises every line of a plain file and reports progress up to its size', async () => {
    const input = join(dir, 'big.jsonl');
    const originals = await generate(input);
    const size = statSync(input).size;
    expect(size).toBeGreaterThan(4 * 1024 * 1024);
    const progress: number[] = [];

    const result = await pseudonymize({ input, output: join(dir, 'big.out.jsonl'), key: KEY, onProgress: (p) => progress.push(p.bytesRead) });

    expect(result.bytesRead).toBe(size);
    expect(result.totalBytes).toBe(size);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.every((n, i) => i === 0 || n >= progress[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(size);
    expect(result.itemsByStore).toEqual({ users: SUBJECTS, sessions: SUBJECTS * 2 });
    check(readFileSync(join(dir, 'big.out.jsonl'), 'utf8'), originals);
  });

  it('reads and writes gzip when the names end in .gz', async () => {
    const plain = join(dir, 'gz.jsonl');
    const originals = await generate(plain);
    const input = join(dir, 'gz.jsonl.gz');
    const { createGzip } = await import('node:zlib');
    await pipeline(createReadStream(plain), createGzip(), createWriteStream(input));
    const output = join(dir, 'gz.out.jsonl.gz');

    const result = await pseudonymize({ input, output, key: KEY });

    expect(result.bytesRead).toBe(statSync(input).size);
    check(gunzipSync(readFileSync(output)).toString('utf8'), originals);
    // A truncated gzip is refused with one line, and leaves no partial output behind.
    const truncated = join(dir, 'truncated.jsonl.gz');
    await pipeline(createReadStream(input, { end: 1000 }), createWriteStream(truncated));
    await expect(pseudonymize({ input: truncated, output: join(dir, 'never.jsonl'), key: KEY })).rejects.toThrow();
    expect(() => statSync(join(dir, 'never.jsonl.partial'))).toThrow();
  });
});
