/**
 * The privacy console's breach response in a real browser (Debian's Chromium, driven by playwright-core) against the
 * real local cloud: an officer records a breach (a description with an email address is refused with the problem's
 * title), starts its scope and reads it once the rights worker has computed it, fills in the Art. 33 notice by keyboard
 * alone (a late notice without reasons is refused), and exports the record as JSON and CSV. axe-core finds no violation
 * on any screen. A scope whose job was lost (still queued long after it was asked for) is said to be stuck and can be
 * started again by keyboard. Screenshots go to docs/console/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { apiClient, documentClient, newPerson, PASSWORD, runOpsCommand, totpNow } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { tableEnvVar } from '../../lambdas/runtime/resources';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'console');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let cloud: LocalCloudHandle;
let browser: Browser;
let page: Page;
let admin: { email: string; otpauthUri: string };
let windowFrom: string;

/** `datetime-local` value (the browser's local time; the test runs in the browser's time zone). */
const local = (at: Date) => new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

beforeAll(async () => {
  [cloud, browser] = await Promise.all([
    startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
  ]);
  windowFrom = local(new Date(Date.now() - 60_000));
  const email = `officer.${Date.now()}@example.com`;
  const created = await runOpsCommand(cloud, 'create-admin', ['--email', email, '--display-name', 'Officer'], `${PASSWORD}\n`);
  if (created.code !== 0) throw new Error(`create-admin exited ${created.code}: ${created.stderr}`);
  admin = { email, otpauthUri: JSON.parse(created.stdout.trim().split('\n').pop()!).otpauthUri };
  // Two people with accounts in the window: the scope finds them (and the officer).
  const call = apiClient(cloud);
  for (let i = 0; i < 2; i++) expect((await call('POST', '/v1/accounts', { body: newPerson() })).status).toBe(201);

  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
  await page.goto(`${cloud.apiUrl}/console/`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Authenticator code').fill(totpNow(admin.otpauthUri));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

async function axeViolations(on: Page): Promise<Array<{ id: string; nodes: string[] }>> {
  await on.evaluate(AXE);
  return on.evaluate(async () => {
    const results = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; nodes: Array<{ html: string }> }> }> } }).axe.run();
    return results.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
  });
}

it('records a breach; a description with an email address is refused with the problem, and nothing is recorded', async () => {
  await page.getByRole('link', { name: 'Incidents' }).click();
  await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
  await page.getByText('No incident recorded.').waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await page.getByLabel('Aware since').fill(local(new Date(Date.now() - 80 * 3_600_000)));
  await page.getByLabel('Detected at').fill(local(new Date(Date.now() - 81 * 3_600_000)));
  await page.getByRole('checkbox', { name: 'users' }).check();
  await page.getByLabel('Window from').fill(windowFrom);
  await page.getByLabel('Window to').fill(local(new Date(Date.now() + 60_000)));
  await page.getByRole('checkbox', { name: 'confidentiality' }).check();
  await page.getByLabel('What happened').fill('Reported by someone@example.org: the users table was readable');
  await page.getByRole('button', { name: 'Record the breach' }).click();
  await page.getByRole('alert').filter({ hasText: 'Text looks like contact details' }).waitFor();
  expect(await page.getByRole('alert').textContent()).not.toContain('someone@example.org');

  await page.getByLabel('What happened').fill('A debugging endpoint exposed the users table');
  await page.getByRole('button', { name: 'Record the breach' }).click();
  await page.getByRole('heading', { name: /^Incident / }).waitFor();
  expect(await page.locator('dl.facts').first().textContent()).toMatch(/Overdue by 8 h \d+ min/);
  expect(await axeViolations(page)).toEqual([]);
}, 60_000);

it('starts the scope and reads it once the worker has computed it', async () => {
  await page.getByRole('button', { name: 'Compute the scope' }).click();
  await page.getByText('Subjects concerned', { exact: true }).waitFor({ timeout: 30_000 });
  const scope = page.getByRole('region', { name: 'Scope' });
  expect(await scope.locator('dd').first().textContent()).toMatch(/^3\b/);
  expect(await scope.textContent()).toContain('route:register');
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'incident-scope.png'), fullPage: true });
}, 60_000);

it('fills the Art. 33 notice by keyboard alone; a late notice needs its reasons', async () => {
  const form = page.getByRole('form', { name: 'Notice to the supervisory authority' });
  await form.getByLabel(/Categories of data and of subjects/).focus();
  await page.keyboard.type('Contact and identity data of customers');
  // Tab through the form, typing into the fields the notice needs, up to the submit button.
  const typed: Record<string, string> = {
    approxRecords: '3',
    consequences: 'Possible phishing of the customers concerned',
    measures: 'Endpoint removed, sessions revoked',
  };
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({ name: (document.activeElement as HTMLInputElement).name, text: document.activeElement?.textContent, type: (document.activeElement as HTMLInputElement).type }));
    if (focused.name && typed[focused.name]) await page.keyboard.type(typed[focused.name]);
    if (focused.name === 'dpoContactIncluded') await page.keyboard.press('Space');
    if (focused.text === 'Save the authority notice') break;
  }
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Save the authority notice');
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Authority notice saved' }).waitFor();
  const authority = page.locator('ul.checklist').first();
  for (const label of ['Approximate number of records', 'Contact of the data-protection officer', 'Likely consequences', 'Measures taken or proposed']) {
    expect(await authority.locator('li.filled', { hasText: label }).count()).toBe(1);
  }
  expect(await authority.locator('li.missing', { hasText: 'Authority notified' }).count()).toBe(1);

  // Notified now, past the 72 hours: refused until the reasons for the delay are given (Art. 33(1)).
  await form.getByLabel('Authority notified at').fill(local(new Date()));
  await form.getByRole('button', { name: 'Save the authority notice' }).click();
  await page.getByRole('alert').filter({ hasText: 'Reasons for the delay required' }).waitFor();
  await form.getByLabel(/Reasons for the delay/).fill('The endpoint owner confirmed the exposure only on the fourth day');
  await form.getByRole('button', { name: 'Save the authority notice' }).click();
  await page.getByRole('status').filter({ hasText: 'Authority notice saved' }).waitFor();
  expect(await page.locator('dl.facts').first().textContent()).toMatch(/Authority notified 8 h \d+ min late/);
  expect(await page.locator('ul.checklist').first().locator('li.missing').count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'incident-checklist.png'), fullPage: true });
}, 60_000);

it('exports the record as JSON and CSV, with the pseudonyms', async () => {
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  expect(json.suggestedFilename()).toMatch(/^incident-[0-9a-f-]{36}\.json$/);
  const exported = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(exported.pseudonyms).toHaveLength(3);
  expect(exported.pseudonyms.every((p: string) => /^[0-9a-f]{64}$/.test(p))).toBe(true);
  expect(exported.incident.authorityNotice.measures).toBe('Endpoint removed, sessions revoked');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const lines = readFileSync((await csv.path())!, 'utf8').trimEnd().split('\r\n');
  expect(lines[0]).toBe('field,value');
  expect(lines.filter((l) => l.startsWith('scope.pseudonym,'))).toHaveLength(3);
  await page.getByRole('status').filter({ hasText: /^Exported incident-/ }).waitFor();

  await page.getByRole('link', { name: 'Back to the incidents' }).click();
  await page.getByRole('table').waitFor();
  expect(await page.getByRole('table').textContent()).toContain('users');
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'incidents.png'), fullPage: true });
}, 60_000);

it('says a scope is stuck when its job was lost, and starts it again by keyboard', async () => {
  await page.getByRole('table').getByRole('link').first().click();
  await page.getByRole('heading', { name: /^Incident / }).waitFor();
  const incidentId = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
  // What a send lost after the record was written leaves: queued, for a job no worker will ever run.
  const requestedAt = new Date(Date.now() - 10 * 60_000).toISOString();
  await documentClient(cloud).send(
    new UpdateCommand({
      TableName: cloud.env[tableEnvVar('incidents')]!,
      Key: { incidentId, sk: 'record' },
      UpdateExpression: 'SET #scope = :scope',
      ExpressionAttributeNames: { '#scope': 'scope' },
      ExpressionAttributeValues: { ':scope': { status: 'queued', jobId: '00000000-0000-4000-8000-000000000000', requestedAt } },
    }),
  );
  // Away and back (a reload would sign the officer out: the session lives in the page's memory).
  await page.getByRole('link', { name: 'Back to the incidents' }).click();
  await page.getByRole('table').getByRole('link').first().click();
  const scope = page.getByRole('region', { name: 'Scope' });
  await scope.getByText(/^No result since/).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await scope.getByRole('button', { name: 'Compute the scope again' }).focus();
  await page.keyboard.press('Enter');
  await scope.getByText('Subjects concerned', { exact: true }).waitFor({ timeout: 30_000 });
  expect(await scope.locator('dd').first().textContent()).toMatch(/^3\b/);
}, 60_000);
