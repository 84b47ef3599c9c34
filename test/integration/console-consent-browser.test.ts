/**
 * Consent insight in a real browser (Debian's Chromium, driven by playwright-core) against the real local cloud: after a
 * concurrent burst of grants, withdrawals, objections and restrictions, the officer reads the figures and the day chart
 * (keyboard only), and they equal what the ledger holds subject by subject; the figures download as CSV; a range the API
 * refuses shows the problem; the proof-of-consent receipt opens from the subject view, matches the ledger's event and
 * prints without the console around it. axe-core finds no violation on either screen. Screenshots go to docs/console/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ConsentEvent, ConsentState } from '../../lambdas/domain/consent';
import { purposes } from '../../lambdas/purposes';
import { apiClient, documentClient, newPerson, PASSWORD, runOpsCommand, totpNow } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'console');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SUBJECTS = 16;

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let browser: Browser;
let page: Page;
let admin: { email: string; otpauthUri: string };
const subjectIds: string[] = [];

beforeAll(async () => {
  [cloud, browser] = await Promise.all([
    startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
  ]);
  db = documentClient(cloud);
  const call = apiClient(cloud);
  const email = `officer.${Date.now()}@example.com`;
  const created = await runOpsCommand(cloud, 'create-admin', ['--email', email, '--display-name', 'Officer'], `${PASSWORD}\n`);
  if (created.code !== 0) throw new Error(`create-admin exited ${created.code}: ${created.stderr}`);
  admin = { email, otpauthUri: JSON.parse(created.stdout.trim().split('\n').pop()!).otpauthUri };

  const tokens: string[] = [];
  for (let i = 0; i < SUBJECTS; i++) {
    const registered = await call('POST', '/v1/accounts', { body: { ...newPerson(), consents: i % 2 === 0 ? { 'marketing-email': true } : {} } });
    subjectIds.push(registered.body.account.subjectId);
    tokens.push(registered.body.session.token);
  }
  // The burst: all at once, several decisions per subject.
  const statuses = await Promise.all(
    tokens.flatMap((token, i) => [
      call('PUT', '/v1/me/consents/analytics', { token, body: { granted: i % 3 !== 0 }, headers: { 'x-client-id': 'web' } }),
      ...(i % 4 === 0 ? [call('PUT', '/v1/me/consents/marketing-email', { token, body: { granted: false } })] : []),
      ...(i % 5 === 0 ? [call('POST', '/v1/me/objections/product-improvement', { token })] : []),
      ...(i % 6 === 0 ? [call('POST', '/v1/me/restriction', { token })] : []),
    ]),
  );
  expect(statuses.map((s) => s.status).filter((s) => s !== 200)).toEqual([]);

  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
  await page.goto(`${cloud.apiUrl}/console/`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Authenticator code').fill(totpNow(admin.otpauthUri));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  db?.destroy();
  await cloud?.stop();
});

async function axeViolations(on: Page): Promise<Array<{ id: string; nodes: string[] }>> {
  await on.evaluate(AXE);
  return on.evaluate(async () => {
    const results = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; nodes: Array<{ html: string }> }> }> } }).axe.run();
    return results.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
  });
}

async function partition<T>(subjectId: string, prefix: string): Promise<T[]> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: cloud.env.CONSENT_TABLE_NAME,
      KeyConditionExpression: 'subjectId = :s AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':s': subjectId, ':p': prefix },
      ConsistentRead: true,
    }),
  );
  return Items as T[];
}

/** What the ledger says, subject by subject: projections now, and today's events. */
async function ledger() {
  const states = (await Promise.all(subjectIds.map((id) => partition<ConsentState>(id, 'state#')))).flat();
  const events = (await Promise.all(subjectIds.map((id) => partition<ConsentEvent>(id, 'event#')))).flat();
  const count = (topic: string, action: string) => states.filter((s) => s.topic === topic && s.lastAction === action).length;
  const today = new Date().toISOString().slice(0, 10);
  const todays = (action: string) => events.filter((e) => e.at.startsWith(today) && e.action === action && e.topic !== 'restriction').length;
  return { count, todays, events, today };
}

/** Tabs from where the focus is until `name` is focused (a keyboard user's path), at most 40 steps. */
async function tabTo(name: RegExp) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    if (name.test(focused)) return;
  }
  throw new Error(`never reached ${name}`);
}

it('shows the figures and the day chart after the burst, equal to the ledger, reached and changed by keyboard', async () => {
  const { count, todays, today } = await ledger();
  await page.locator('body').focus();
  await tabTo(/^Consent insight$/);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Consent insight' }).waitFor();
  await page.getByRole('heading', { name: 'Figures now' }).waitFor();

  const current = purposes['marketing-email'].policy.version;
  const cell = (purpose: string, figure: string) => page.locator(`tr[data-purpose="${purpose}"][data-version="${current}"] td[data-figure="${figure}"]`).textContent();
  expect(Number(await cell('marketing-email', 'granted'))).toBe(count('marketing-email', 'grant'));
  expect(Number(await cell('marketing-email', 'withdrawn'))).toBe(count('marketing-email', 'withdraw'));
  expect(Number(await cell('analytics', 'granted'))).toBe(count('analytics', 'grant'));
  expect(Number(await cell('analytics', 'withdrawn'))).toBe(count('analytics', 'withdraw'));
  expect(Number(await cell('product-improvement', 'objected'))).toBe(count('product-improvement', 'object'));
  expect(await page.locator('[data-restricted]').getAttribute('data-restricted')).toBe(String(count('restriction', 'restrict')));
  expect(count('analytics', 'withdraw')).toBeGreaterThan(0);

  // The chart has its table: today's grants and withdrawals, all purposes, as the ledger's events of today.
  await page.getByRole('img', { name: /Grants and withdrawals per day, all purposes/ }).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'consent-insight.png'), fullPage: true });
  await tabTo(/The chart as a table/);
  await page.keyboard.press('Enter');
  const row = page.locator(`table.days tr[data-day="${today}"] td`);
  expect(await row.allTextContents()).toEqual([String(todays('grant')), String(todays('withdraw'))]);
  expect(await axeViolations(page)).toEqual([]);

  // One purpose, picked by keyboard: its chart and table only.
  await page.getByRole('combobox', { name: 'Purpose' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.getByRole('img', { name: /marketing-email/ }).waitFor();
});

it('downloads the figures as CSV, one row per purpose and version', async () => {
  const { count } = await ledger();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download figures (CSV)' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('purpose,lawfulBasis,policyVersion,version,granted,lapsingToday,expired,needsReconsent,withdrawn,objected,objectionWithdrawn');
  const marketing = lines.find((l) => l.startsWith(`marketing-email,consent,${purposes['marketing-email'].policy.version},current,`))!;
  expect(marketing.split(',')[4]).toBe(String(count('marketing-email', 'grant')));
});

it('shows the problem when the API refuses the range', async () => {
  await page.getByLabel('From (UTC day)').fill('2026-01-10');
  await page.getByLabel('To (UTC day)').fill('2026-01-01');
  await page.getByLabel('To (UTC day)').press('Enter');
  await page.getByRole('alert').getByText('Validation failed').waitFor();
  expect(await axeViolations(page)).toEqual([]);
});

it('opens the proof of consent from the subject view; it matches the ledger and prints without the console', async () => {
  const subjectId = subjectIds[2];
  const grant = (await partition<ConsentEvent>(subjectId, 'event#')).filter((e) => e.topic === 'analytics').sort((a, b) => a.seq - b.seq).pop()!;
  await page.getByRole('link', { name: 'Subjects' }).click();
  await page.getByLabel('Subject id').fill(subjectId);
  await page.getByRole('button', { name: 'Open' }).click();
  await page.locator('tr[data-purpose="analytics"]').getByRole('link', { name: 'Receipt' }).click();
  await page.getByRole('heading', { name: 'Proof of consent' }).waitFor();
  await page.locator('[data-event-id]').waitFor();
  expect(await page.locator('[data-event-id]').textContent()).toBe(grant.eventId);
  const text = (await page.locator('article.receipt').textContent()) ?? '';
  for (const fact of [grant.policyHash!, grant.clientId, purposes.analytics.policy.text, 'settings']) expect(text).toContain(fact);
  expect(await axeViolations(page)).toEqual([]);
  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('nav').isVisible()).toBe(false);
  expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
  await page.screenshot({ path: join(SCREENSHOTS, 'consent-receipt.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // No decision on a purpose: the problem, not an empty receipt.
  await page.goto(`${cloud.apiUrl}/console/#/consent/receipt/${subjectId}/product-improvement`);
  await page.getByRole('alert').getByText('No decision recorded').waitFor();
});
