/**
 * The privacy console in a real browser (Debian's Chromium, driven by playwright-core) against the real local cloud: an
 * officer signs in with password and TOTP code and sees the overdue request first; the keyboard alone gets there; axe-core
 * finds no violation on any screen; a wrong code and a non-admin account are refused. Screenshots go to docs/console/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chromium, type Browser, type Page } from 'playwright-core';
import { apiClient, documentClient, newPerson, PASSWORD, runOpsCommand, totpNow } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'console');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let browser: Browser;
let admin: { email: string; otpauthUri: string };
let overdueId: string;
let onTimeId: string;
const subject = newPerson();

beforeAll(async () => {
  [cloud, browser] = await Promise.all([
    // Access requests wait for an admin here, so two open requests of different types stay in the inbox.
    startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12', RIGHTS_MODES: '{"access":"manual"}' }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
  ]);
  db = documentClient(cloud);
  const call = apiClient(cloud);
  const email = `officer.${Date.now()}@example.com`;
  const created = await runOpsCommand(cloud, 'create-admin', ['--email', email, '--display-name', 'Officer'], `${PASSWORD}\n`);
  if (created.code !== 0) throw new Error(`create-admin exited ${created.code}: ${created.stderr}`);
  admin = { email, otpauthUri: JSON.parse(created.stdout.trim().split('\n').pop()!).otpauthUri };

  const registered = await call('POST', '/v1/accounts', { body: subject });
  const token = registered.body.session.token as string;
  // Two manual requests: one on time, one received long ago (its due date has passed).
  const file = async (body: Record<string, unknown>) => {
    const filed = await call('POST', '/v1/me/requests', { token, body });
    if (filed.status !== 202) throw new Error(`filing ${String(body.type)} answered ${filed.status}`);
    return filed.body.requestId as string;
  };
  onTimeId = await file({ type: 'access' });
  overdueId = await file({ type: 'rectification', fields: ['profile.familyName'] });
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.RIGHTS_REQUESTS_TABLE_NAME,
      Key: { requestId: overdueId },
      UpdateExpression: 'SET dueAt = :d, receivedAt = :r',
      ExpressionAttributeValues: { ':d': '2026-01-31', ':r': '2025-12-31T09:00:00.000Z' },
    }),
  );
});

afterAll(async () => {
  await browser?.close();
  db?.destroy();
  await cloud?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${cloud.apiUrl}/console/`);
  return page;
}

/** axe-core's violations on the page as it is now (ids and the elements they concern). */
async function axeViolations(page: Page): Promise<Array<{ id: string; nodes: string[] }>> {
  // Through the DevTools protocol: the page's CSP refuses inline script, rightly (checked in the first test).
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const results = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; nodes: Array<{ html: string }> }> }> } }).axe.run();
    return results.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
  });
}

/** Waits until the code changes, so that the next sign-in does not reuse the code of the last one (refused as a replay). */
async function freshCode(used: Set<string>): Promise<string> {
  for (;;) {
    const code = totpNow(admin.otpauthUri);
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
const usedCodes = new Set<string>();

it('has no axe violation on the sign-in screen, and refuses a wrong code with the problem\'s title', async () => {
  const page = await newPage();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png') });
  // The CSP holds in the browser: an injected inline script does not run.
  await expect(page.addScriptTag({ content: 'window.injected = true' })).rejects.toThrow(/Content Security Policy/);
  expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();

  const right = totpNow(admin.otpauthUri);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Authenticator code').fill(right === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.locator('h2').textContent()).toMatch(/\S/);
  expect(await page.getByRole('heading', { name: 'Inbox' }).count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
});

it('refuses an account without the admin role, and ends its session', async () => {
  const page = await newPage();
  await page.getByLabel('Email').fill(subject.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Authenticator code').fill('123456');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  expect(await page.getByRole('alert').textContent()).toContain('Not an administrator');
  expect(await page.getByRole('heading', { name: 'Inbox' }).count()).toBe(0);
  // Nothing of the session is kept by the page.
  expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([0, 0, '']);
  await page.context().close();
});

it('signs an officer in by keyboard alone with password and code, and shows the overdue request first, in red', async () => {
  const page = await newPage();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  // Tab from the top of the page: email, password, code, then Enter submits.
  await page.keyboard.press('Tab');
  await page.keyboard.type(admin.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Tab');
  await page.keyboard.type(await freshCode(usedCodes));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  const rows = page.locator('tbody tr');
  await rows.first().waitFor();

  const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-request-id')));
  expect(ids.indexOf(overdueId)).toBe(0);
  expect(ids).toContain(onTimeId);
  const badge = rows.first().locator('.badge');
  expect(await badge.getAttribute('class')).toContain('overdue');
  expect(await badge.textContent()).toMatch(/^Overdue/);
  expect(await rows.nth(ids.indexOf(onTimeId)).locator('.badge').textContent()).toMatch(/days left$/);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox.png'), fullPage: true });

  // Find by request id, by keyboard: the search field narrows the table to that request.
  await page.getByLabel('Find by request id, subject id or email').focus();
  await page.keyboard.type(onTimeId);
  await page.waitForFunction((id) => {
    const rows = [...document.querySelectorAll('tbody tr')];
    return rows.length === 1 && rows[0].getAttribute('data-request-id') === id;
  }, onTimeId);
  // The overdue filter asks the API for overdue requests only.
  await page.getByLabel('Find by request id, subject id or email').fill('');
  await page.getByLabel('Overdue only').check();
  await page.waitForFunction((id) => {
    const rows = [...document.querySelectorAll('tbody tr')];
    return rows.length >= 1 && rows.every((r) => r.querySelector('.badge.overdue')) && rows[0].getAttribute('data-request-id') === id;
  }, overdueId);
  expect(await axeViolations(page)).toEqual([]);

  // Signing out drops the token: the page is back at sign-in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([0, 0, '']);
  await page.context().close();
});

it('goes back to sign-in, saying why, when the session ends elsewhere (signed out everywhere)', async () => {
  const page = await newPage();
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Authenticator code (or a recovery code)').fill(await freshCode(usedCodes));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  // The officer's other session (another device) signs the account out everywhere, the console's session included.
  const call = apiClient(cloud);
  const other = await call('POST', '/v1/sessions', { body: { email: admin.email, password: PASSWORD, code: await freshCode(usedCodes) } });
  expect(other.status).toBe(201);
  expect((await call('DELETE', '/v1/sessions', { token: other.body.session.token as string })).status).toBe(204);
  // The next call the page makes is refused with 401: the page drops the token and shows sign-in with the reason.
  await page.getByLabel('Overdue only').check();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await page.getByRole('status').textContent()).toMatch(/^Your session has ended \(.+\)\. Sign in again\.$/);
  expect(await page.getByRole('heading', { name: 'Inbox' }).count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
});
