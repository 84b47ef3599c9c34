/**
 * The console's data map in a real browser (Debian's Chromium, driven by playwright-core) against the real local cloud: an
 * officer opens the map by keyboard, reads the summary matrix, follows one purpose from its column header to its view, and
 * from there to one of its stores and to its recipient, with the keyboard alone. What the views must show is computed from
 * the declarations (the model), not written here. axe-core finds no violation on any of the screens; an unknown target
 * says so. Screenshots go to docs/console/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dataMapModel } from '../../lambdas/data-map-model';
import { focusedView, viewColumns } from '../../lambdas/domain/data-map-views';
import { PASSWORD, runOpsCommand, totpNow } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'console');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The purpose the scenario follows: optional, consent-based, with a store it writes and a recipient it discloses to. */
const PURPOSE = 'marketing-email';
const model = dataMapModel();
const purposeView = focusedView(model, 'purpose', PURPOSE)!;
const columns = viewColumns(model, purposeView);

let cloud: LocalCloudHandle;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [cloud, browser] = await Promise.all([
    startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
  ]);
  const email = `officer.map.${Date.now()}@example.com`;
  const created = await runOpsCommand(cloud, 'create-admin', ['--email', email, '--display-name', 'Officer'], `${PASSWORD}\n`);
  if (created.code !== 0) throw new Error(`create-admin exited ${created.code}: ${created.stderr}`);
  const otpauthUri = JSON.parse(created.stdout.trim().split('\n').pop()!).otpauthUri as string;

  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(`${cloud.apiUrl}/console/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Authenticator code').fill(totpNow(otpauthUri));
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

/** Presses Tab (or Shift+Tab) until the focused element is a link with exactly this text; fails after `limit` presses. */
async function tabToLink(text: string, key: 'Tab' | 'Shift+Tab' = 'Tab', limit = 250): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el?.tagName === 'A' ? (el.textContent ?? '').trim() : undefined;
    });
    if (focused === text) return;
  }
  throw new Error(`no link "${text}" reached with ${key}`);
}

const hash = () => page.evaluate(() => location.hash);

it('opens the map by keyboard: the matrix has a column per purpose and a row per store and recipient, axe finds nothing', async () => {
  await tabToLink('Data map', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Data map', level: 1 }).waitFor();
  const table = page.getByRole('table', { name: 'Stores and recipients by purpose' });
  for (const purpose of model.purposes) await table.getByRole('columnheader', { name: new RegExp(`^${purpose.id}\\b`) }).waitFor();
  for (const store of ['users', 'consent', 'audit']) await table.getByRole('rowheader', { name: store, exact: true }).waitFor();
  await table.getByRole('rowheader', { name: /Newsletter email provider/ }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'data-map.png'), fullPage: true });
});

it('follows one purpose from its column to its stores and its recipient, with the keyboard alone', async () => {
  await tabToLink(PURPOSE);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: `Purpose: ${purposeView.title}`, level: 1 }).waitFor();
  expect(await hash()).toBe(`#/map/purpose/${PURPOSE}`);
  const main = page.locator('main');
  // every store the purpose touches or discloses from, and every recipient it discloses to, is on its view as a link
  for (const store of columns.stores) expect(await main.getByRole('link', { name: store, exact: true }).count()).toBeGreaterThan(0);
  for (const recipient of columns.recipients) {
    const name = model.recipients.find((r) => r.id === recipient)!.name;
    expect(await main.getByRole('link', { name, exact: true }).count()).toBeGreaterThan(0);
  }
  await page.getByText(/Lawful basis/).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'data-map-purpose.png'), fullPage: true });

  // on to one of its stores: its fields, retention and what erasure does
  const store = columns.stores[0];
  await tabToLink(store);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: `Store: ${store}`, level: 1 }).waitFor();
  await page.getByRole('table', { name: `Fields of ${store}` }).waitFor();
  expect(await main.textContent()).toContain(`At erasure${model.stores.find((s) => s.id === store)!.erasure.action}`);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'data-map-store.png'), fullPage: true });

  // back to the purpose through the store's own link to it, then on to its recipient
  await tabToLink(PURPOSE);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: `Purpose: ${purposeView.title}`, level: 1 }).waitFor();
  const recipient = model.recipients.find((r) => r.id === columns.recipients[0])!;
  await tabToLink(recipient.name);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: `Recipient: ${recipient.name}`, level: 1 }).waitFor();
  const received = page.getByRole('table', { name: 'Stores → recipients' });
  for (const d of purposeView.disclosures.filter((x) => x.recipient === recipient.id)) {
    await received.getByRole('cell', { name: d.fields.join(', '), exact: true }).waitFor();
  }
  expect(await axeViolations(page)).toEqual([]);
});

it('says so for a target the map does not hold, and links back to the summary', async () => {
  await page.evaluate(() => (location.hash = '#/map/store/no-such-store'));
  await page.getByRole('heading', { name: 'Not on the map', level: 1 }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('link', { name: '← Data map summary' }).click();
  await page.getByRole('heading', { name: 'Data map', level: 1 }).waitFor();
});
