/**
 * The console as shipped: a static build with no inline script under the size budget, a CSP that allows no inline code,
 * API types as fresh as docs/openapi.json, and the deadline arithmetic behind the inbox badges.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildConsole, CONSOLE_FILES } from '../../console/build';
import { badgeText, byDueDate, daysLeft, urgencyOf } from '../../console/src/deadlines';
import { CONSOLE_CSP } from '../../console/security-headers';

const BUDGET_GZIPPED_BYTES = 150 * 1024;

describe('console build', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fmn-console-test-'));
    await buildConsole(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`ships under ${BUDGET_GZIPPED_BYTES / 1024} KiB of JavaScript, gzipped`, () => {
    const js = CONSOLE_FILES.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dir, f)));
    expect(js.length).toBeGreaterThan(0);
    const gzipped = js.reduce((sum, file) => sum + gzipSync(file, { level: 9 }).length, 0);
    expect(gzipped).toBeLessThan(BUDGET_GZIPPED_BYTES);
  });

  it('has no inline script or style: every script has a src, no event-handler attributes, no javascript: URLs', () => {
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="[^"]+"/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/<style\b|\sstyle=/i);
  });

  it('is served under a CSP that allows no inline code and no framing', () => {
    expect(CONSOLE_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(CONSOLE_CSP).toMatch(/frame-ancestors 'none'/);
    expect(CONSOLE_CSP).toMatch(/default-src 'none'/);
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});

describe('console API types', () => {
  // openapi-typescript pulls in ESM-only packages jest cannot load, so the generator runs in its own process.
  it('are fresh: equal to what openapi-typescript makes of docs/openapi.json (run `npm run openapi`)', async () => {
    const root = join(__dirname, '..', '..');
    const check = promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'generate-console-client.ts'), '--check'], {
      cwd: root,
    });
    await expect(check).resolves.toMatchObject({ stdout: expect.stringContaining('up to date') });
  });

  it('a stale file fails the check', async () => {
    const root = join(__dirname, '..', '..');
    const check = promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'generate-console-client.ts'), '--check'], {
      cwd: root,
      env: { ...process.env, FMN_CONSOLE_CLIENT_TYPES: join(tmpdir(), 'fmn-no-such-types.ts') },
    });
    await expect(check).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('is stale') });
  });
});

describe('inbox deadlines', () => {
  const received = '2026-11-01T10:00:00Z';
  const request = { receivedAt: received, dueAt: '2026-12-01' }; // due by the end of 1 December, UTC

  it('is on time with more than a quarter of the period left, due soon under a quarter, overdue after the due day', () => {
    expect(urgencyOf(request, Date.parse('2026-11-20T00:00:00Z'))).toBe('on-time');
    expect(urgencyOf(request, Date.parse('2026-11-25T00:00:00Z'))).toBe('due-soon');
    expect(urgencyOf(request, Date.parse('2026-12-01T23:59:59Z'))).toBe('due-soon');
    expect(urgencyOf(request, Date.parse('2026-12-02T00:00:00Z'))).toBe('overdue');
  });

  it('says how many days are left, or how long it is overdue', () => {
    expect(badgeText('on-time', daysLeft('2026-12-01', Date.parse('2026-11-20T12:00:00Z')))).toBe('11 days left');
    expect(badgeText('due-soon', daysLeft('2026-12-01', Date.parse('2026-12-01T12:00:00Z')))).toBe('Due today');
    expect(badgeText('overdue', daysLeft('2026-12-01', Date.parse('2026-12-02T12:00:00Z')))).toBe('Overdue');
    expect(badgeText('overdue', daysLeft('2026-12-01', Date.parse('2026-12-05T12:00:00Z')))).toBe('Overdue by 3 days');
  });

  it('sorts oldest due first, then by receipt', () => {
    const rows = [
      { id: 'c', dueAt: '2026-12-03', receivedAt: '2026-11-03T00:00:00Z' },
      { id: 'b', dueAt: '2026-12-01', receivedAt: '2026-11-01T12:00:00Z' },
      { id: 'a', dueAt: '2026-12-01', receivedAt: '2026-11-01T08:00:00Z' },
    ];
    expect([...rows].sort(byDueDate).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});
