/**
 * The harness that runs the README's examples (test/integration/readme-examples.test.ts) can fail: a wrong status, a failing
 * command and a skip marker without a reason are each caught, here without a network (statuses written by hand).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { examplesScript, expectedStatus, shellExamples } from '../integration/helpers/readme-examples';

const dir = mkdtempSync(join(tmpdir(), 'fmn-readme-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the script built from `markdown`; a line `status N` stands for a curl call that answered N. */
function run(markdown: string) {
  const { script, lineMap } = examplesScript(shellExamples(markdown), ['status() { echo "$1" >> "$FMN_README_STATUS"; }']);
  const path = join(dir, 'script.sh');
  const statusFile = join(dir, 'status');
  writeFileSync(path, script);
  writeFileSync(statusFile, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', path], { env: { PATH: process.env.PATH, FMN_README_STATUS: statusFile }, encoding: 'utf8' });
  const failedAt = /FMN_README_FAILED_AT (\d+)/.exec(result.stderr)?.[1];
  return { code: result.status, stderr: result.stderr, stdout: result.stdout, readmeLine: failedAt ? lineMap[Number(failedAt) - 1] : undefined };
}

describe('README examples harness', () => {
  it('finds bash blocks in order, indented ones too, with their README line and skip reason', () => {
    const md = ['# T', '```bash', 'echo one', '```', '', '<!-- example: skip (needs AWS) -->', '```bash', 'aws s3 ls', '```', '- item', '  ```bash', '  echo two', '  ```'].join('\n');

    const examples = shellExamples(md);

    expect(examples).toEqual([
      { line: 3, lines: ['echo one'] },
      { line: 8, lines: ['aws s3 ls'], skip: 'needs AWS' },
      { line: 12, lines: ['echo two'] },
    ]);
  });

  it('refuses a skip marker without a reason, and an unclosed block', () => {
    expect(() => shellExamples('<!-- example: skip -->\n```bash\necho\n```\n')).toThrow(/must say why/);
    expect(() => shellExamples('```bash\necho\n')).toThrow(/never closed/);
  });

  it('reads `# → <status>` on its own line or trailing a command, and nothing else', () => {
    expect(expectedStatus('# → 201 {"account":…}')).toBe(201);
    expect(expectedStatus('curl -s $API/v1/nope   # → 404 application/problem+json')).toBe(404);
    expect(expectedStatus('#        "session":{…}}')).toBeUndefined();
    expect(expectedStatus('# the answer: 202 {…}')).toBeUndefined();
  });

  it('passes when every status matches and every command succeeds, skipping skipped blocks', () => {
    const result = run('```bash\nstatus 201\n# → 201\nstatus 204   # → 204\n```\n<!-- example: skip (would fail) -->\n```bash\nfalse\n```\n');

    expect(result).toMatchObject({ code: 0 });
  });

  it('fails on a status other than the one shown, naming the README line', () => {
    const result = run('# Title\n\n```bash\nstatus 200\nstatus 403\n# → 200\n```\n');

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('README.md:6: expected HTTP 200, got 403');
  });

  it('fails on a command that fails, naming its README line, and does not run what follows', () => {
    const result = run('```bash\necho before\nfalse\necho after\n```\n');

    expect(result.code).not.toBe(0);
    expect(result.readmeLine).toBe(3);
    expect(result.stdout).toContain('before');
    expect(result.stdout).not.toContain('after');
  });
});

describe('README.md links', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const withoutCode = readme.replace(/^\s*```[\s\S]*?^\s*```/gm, '');

  it('every in-page link names a heading (GitHub anchors)', () => {
    const anchors = new Set(
      [...readme.matchAll(/^#{1,6} (.+)$/gm)].map(([, title]) =>
        title.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'),
      ),
    );
    const links = [...withoutCode.matchAll(/\]\(#([^)]+)\)/g)].map(([, anchor]) => anchor);

    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((anchor) => !anchors.has(anchor))).toEqual([]);
  });

  it('links only to files in the repository (never to ../shared)', () => {
    const targets = [...withoutCode.matchAll(/\]\(([^)#:]+)(#[^)]*)?\)/g)].map(([, target]) => target);

    expect(targets.filter((t) => t.startsWith('..'))).toEqual([]);
    const root = join(__dirname, '..', '..');
    expect(targets.filter((t) => !existsSync(join(root, t)))).toEqual([]);
  });
});
