/**
 * The privacy console's subject view and audit search in a real browser (Debian's Chromium, driven by playwright-core)
 * against the real local cloud: an officer finds a subject, reads their consents and history, places a legal hold and
 * lifts it after re-authenticating, reveals one field for a stated purpose (and sees the reveal on the trail, without the
 * value), verifies the chain, searches the trail and downloads it as CSV and JSON. axe-core finds no violation on any
 * screen; the keyboard alone gets through the search; refusals show the problem's title. Screenshots go to docs/console/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REAUTHENTICATION_WINDOW_SECONDS } from '../../lambdas/domain/sessions';
import { apiClient, documentClient, newPerson, PASSWORD, runOpsCommand, totpNow } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'console');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let browser: Browser;
let page: Page;
let admin: { email: string; otpauthUri: string };
let subjectId: string;
const subject = newPerson();
const usedCodes = new Set<string>();

beforeAll(async () => {
  [cloud, browser] = await Promise.all([
    startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12', RIGHTS_MODES: '{"access":"manual"}' }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
  ]);
  db = documentClient(cloud);
  const call = apiClient(cloud);
  const email = `officer.${Date.now()}@example.com`;
  const created = await runOpsCommand(cloud, 'create-admin', ['--email', email, '--display-name', 'Officer'], `${PASSWORD}\n`);
  if (created.code !== 0) throw new Error(`create-admin exited ${created.code}: ${created.stderr}`);
  admin = { email, otpauthUri: JSON.parse(created.stdout.trim().split('\n').pop()!).otpauthUri };

  // A subject with a consent, an objection and an open request: something in every section of the view.
  const registered = await call('POST', '/v1/accounts', { body: { ...subject, consents: { 'marketing-email': true } } });
  subjectId = registered.body.account.subjectId;
  const token = registered.body.session.token as string;
  expect((await call('POST', '/v1/me/objections/product-improvement', { token })).status).toBe(200);
  expect((await call('POST', '/v1/me/requests', { token, body: { type: 'access' } })).status).toBe(202);

  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
  await page.goto(`${cloud.apiUrl}/console/`);
  await signIn(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  db?.destroy();
  await cloud?.stop();
});

/** Waits until the code changes, so that no sign-in or re-authentication reuses a code (refused as a replay). */
async function freshCode(): Promise<string> {
  for (;;) {
    const code = totpNow(admin.otpauthUri);
    if (!usedCodes.has(code)) {
      usedCodes.add(code);
      return code;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function signIn(on: Page) {
  await on.getByLabel('Email').fill(admin.email);
  await on.getByLabel('Password').fill(PASSWORD);
  await on.getByLabel('Authenticator code').fill(await freshCode());
  await on.getByRole('button', { name: 'Sign in' }).click();
  await on.getByRole('heading', { name: 'Inbox' }).waitFor();
}

async function axeViolations(on: Page): Promise<Array<{ id: string; nodes: string[] }>> {
  await on.evaluate(AXE);
  return on.evaluate(async () => {
    const results = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; nodes: Array<{ html: string }> }> }> } }).axe.run();
    return results.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
  });
}

/** As if the officer had signed in (and last re-authenticated) longer ago than the window: the next lift must ask. */
async function ageSessions() {
  const at = new Date(Date.now() - (REAUTHENTICATION_WINDOW_SECONDS + 1) * 1000).toISOString();
  const { Items = [] } = await db.send(new ScanCommand({ TableName: cloud.env.SESSIONS_TABLE_NAME }));
  for (const item of Items) {
    await db.send(
      new UpdateCommand({
        TableName: cloud.env.SESSIONS_TABLE_NAME,
        Key: { tokenHash: item.tokenHash },
        UpdateExpression: 'SET createdAt = :at, reauthenticatedAt = :at',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }
}

it('finds a subject and shows consents with policy versions, objections, history and requests, values masked', async () => {
  await page.getByRole('link', { name: 'Subjects' }).click();
  await page.getByRole('heading', { name: 'Subjects' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByLabel('Subject id').fill(subjectId);
  await page.getByRole('button', { name: 'Open' }).click();
  await page.getByRole('heading', { name: 'Consents now' }).waitFor();

  const marketing = page.locator('tr[data-purpose="marketing-email"]');
  expect(await marketing.textContent()).toMatch(/granted.*\d{4}-\d{2}-\d{2}/);
  expect(await page.locator('[data-restriction]').textContent()).toContain('Objections (Art. 21): product-improvement');
  await page.getByRole('cell', { name: 'object', exact: true }).waitFor();
  const requests = page.getByRole('region', { name: 'Requests' });
  expect(await requests.getByRole('cell', { name: 'access' }).count()).toBe(1);
  // Each request links to its detail screen.
  expect(await requests.getByRole('link').getAttribute('href')).toMatch(/^#\/requests\/[0-9a-f-]{36}$/);
  // No profile value is on the page until one is revealed.
  const text = (await page.locator('main').textContent()) ?? '';
  for (const value of [subject.email, subject.displayName, subject.phone, subject.familyName]) expect(text.includes(value)).toBe(false);
  await page.getByRole('table', { name: /latest entries/ }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'subject.png'), fullPage: true });
});

it('places a hold with a reason and lifts it only after re-authentication; a wrong code is refused with the problem', async () => {
  await page.getByLabel(/Reason for a hold/).fill('Case 2026-114, court order');
  await page.getByRole('button', { name: 'Place hold' }).click();
  await page.locator('[data-hold="on"]').waitFor();
  expect(await page.locator('[data-hold="on"]').textContent()).toContain('Case 2026-114');

  await ageSessions();
  await page.getByRole('button', { name: 'Lift hold' }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await dialog.waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByLabel('Password').fill(PASSWORD);
  const right = totpNow(admin.otpauthUri);
  await dialog.getByLabel('Authenticator code').fill(right === '000000' ? '111111' : '000000');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await dialog.getByRole('alert').waitFor();
  expect(await dialog.getByRole('alert').locator('h2').textContent()).toMatch(/\S/);
  expect(await page.locator('[data-hold="on"]').count()).toBe(1);

  await dialog.getByLabel('Authenticator code').fill(await freshCode());
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('[data-hold="off"]').waitFor();
  expect(await dialog.count()).toBe(0);
});

it('reveals one field for a stated purpose, by keyboard; the trail shows the reveal with field and purpose, never the value', async () => {
  const profile = page.getByRole('region', { name: 'Profile' });
  // Keyboard only: pick the field and the purpose by typing, Tab to the button, Enter.
  await profile.getByLabel('Field', { exact: true }).focus();
  await page.keyboard.type('Phone');
  expect(await profile.getByLabel('Field', { exact: true }).inputValue()).toBe('phone');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Answer');
  expect(await profile.getByLabel('Purpose').inputValue()).toBe('transparency');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Reveal');
  await page.keyboard.press('Enter');
  await page.locator('[data-field="phone"] dd', { hasText: subject.phone }).waitFor();
  // Only that field: the others stay masked.
  expect(await page.locator('[data-field="email"] dd').textContent()).toBe('••••••');

  const trail = page.getByRole('region', { name: 'Audit trail' });
  const reveal = trail.locator('tbody tr', { hasText: 'users.profile.phone' });
  await reveal.waitFor();
  expect(await reveal.textContent()).toContain('transparency');
  expect((await trail.textContent())!.includes(subject.phone)).toBe(false);

  await trail.getByRole('button', { name: 'Verify chain' }).click();
  await trail.getByText(/^Chain intact: \d+ entries checked/).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'subject-reveal.png'), fullPage: true });
});

it('searches the trail by keyboard, verifies the chain and downloads CSV and JSON with the hashes', async () => {
  await page.getByRole('link', { name: /Search, page through and export/ }).click();
  await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
  const rows = page.locator('table.audit tbody tr');
  await rows.first().waitFor();
  const all = await rows.count();
  expect(all).toBeGreaterThan(5);
  expect(await axeViolations(page)).toEqual([]);

  // By keyboard: narrow to the subject's reads, then submit with Enter.
  await page.getByLabel('Action').focus();
  await page.keyboard.type('read');
  expect(await page.getByLabel('Action').inputValue()).toBe('read');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('subjectId');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('table.audit tbody tr')].every((tr) => tr.children[1]?.textContent === 'read'));

  await page.getByRole('button', { name: 'Verify chain' }).click();
  await page.getByText(/^Chain intact/).waitFor();

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^audit-export-.*\.csv$/);
  const lines = readFileSync((await csv.path())!, 'utf8').trimEnd().split('\r\n');
  expect(lines[0].split(',')).toEqual(expect.arrayContaining(['seq', 'prevHash', 'hash']));
  expect(lines.slice(1).every((l) => l.includes(',read,'))).toBe(true);

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
  const exported = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(exported.count).toBe(exported.entries.length);
  expect(exported.entries[0]).toEqual(expect.objectContaining({ prevHash: expect.any(String), hash: expect.any(String) }));
  await page.getByRole('status').filter({ hasText: /^Saved audit-export-/ }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'audit-search.png'), fullPage: true });
});

it('shows the problem\'s title for a refused search and an unknown subject, and pages through the whole trail', async () => {
  // A reload forgets the session (it lives in memory only): sign in again.
  await page.goto(`${cloud.apiUrl}/console/`);
  await signIn(page);
  await page.getByRole('link', { name: 'Audit trail' }).click();
  await page.getByLabel('From (UTC)').fill('2026-01-01T00:00');
  await page.getByLabel('To (UTC)').fill('2026-03-01T00:00');
  await page.getByRole('button', { name: 'Search' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.locator('h2').textContent()).toBe('Validation failed');
  expect(await axeViolations(page)).toEqual([]);

  // Without a range: the last seven days of the whole trail, a page at a time through the API's cursor.
  await page.getByLabel('From (UTC)').fill('');
  await page.getByLabel('To (UTC)').fill('');
  await page.getByRole('button', { name: 'Search' }).click();
  const rows = page.locator('table.audit tbody tr');
  await page.waitForFunction(() => document.querySelectorAll('table.audit tbody tr').length === 25);
  const firstPage = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-entry-id')));
  await page.getByRole('button', { name: 'Show older entries' }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.audit tbody tr').length > 25);
  const both = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-entry-id')));
  expect(both.slice(0, 25)).toEqual(firstPage);
  expect(new Set(both).size).toBe(both.length);

  await page.getByRole('link', { name: 'Subjects' }).click();
  await page.getByRole('heading', { name: 'Subjects' }).waitFor();
  await page.getByLabel('Subject id').fill(crypto.randomUUID());
  await page.getByRole('button', { name: 'Open' }).click();
  await page.getByRole('alert').filter({ hasText: 'Subject not found' }).waitFor();
});
