/**
 * The privacy console's operations screen (`#/operations`) in a real browser (Debian's Chromium, driven by playwright-core)
 * against the real local cloud: queues with their DLQ counts, the jobs' last runs, the recipients, and alarms said to be
 * not available locally; a DLQ with messages is redriven by keyboard alone, through the re-authentication dialog, and the
 * counts change. axe-core finds no violation; the screenshot goes to docs/console/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REAUTHENTICATION_WINDOW_SECONDS } from '../../lambdas/domain/sessions';
import { documentClient, PASSWORD, runOpsCommand, totpNow } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'console');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let sqs: SQSClient;
let browser: Browser;
let page: Page;
let admin: { email: string; otpauthUri: string };
const usedCodes = new Set<string>();

beforeAll(async () => {
  [cloud, browser] = await Promise.all([
    startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12', LOCAL_SCHEDULE_SECONDS: '3600' }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
  ]);
  db = documentClient(cloud);
  sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const email = `officer.${Date.now()}@example.com`;
  const created = await runOpsCommand(cloud, 'create-admin', ['--email', email, '--display-name', 'Officer'], `${PASSWORD}\n`);
  if (created.code !== 0) throw new Error(`create-admin exited ${created.code}: ${created.stderr}`);
  admin = { email, otpauthUri: JSON.parse(created.stdout.trim().split('\n').pop()!).otpauthUri };
  // Two jobs for requests that do not exist, in the rights DLQ: the worker takes them back and skips them.
  for (const n of [1, 2]) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: cloud.env.RIGHTS_REQUEST_DLQ_QUEUE_URL,
        MessageBody: JSON.stringify({ requestId: `00000000-0000-4000-8000-00000000000${n}`, kind: 'access' }),
      }),
    );
  }

  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${cloud.apiUrl}/console/`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Authenticator code').fill(await freshCode());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  db?.destroy();
  sqs?.destroy();
  await cloud?.stop();
});

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

async function axeViolations(on: Page): Promise<Array<{ id: string; nodes: string[] }>> {
  await on.evaluate(AXE);
  return on.evaluate(async () => {
    const results = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; nodes: Array<{ html: string }> }> }> } }).axe.run();
    return results.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
  });
}

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

it('shows queues, DLQ counts, jobs, recipients and says alarms are not available locally; axe finds nothing', async () => {
  await page.getByRole('link', { name: 'Operations' }).click();
  await page.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
  const rights = page.getByRole('row', { name: /rightsRequestQueue/ });
  await rights.waitFor();
  expect(await rights.getByRole('cell').nth(4).textContent()).toBe('2');
  expect(await page.getByRole('button', { name: 'Redrive 2 messages from rightsRequestDlq' }).count()).toBe(1);
  // the jobs ran once at start: each shows a last run
  expect(await page.getByRole('row', { name: /overdueRequests/ }).textContent()).toContain('succeeded');
  expect(await page.getByRole('row', { name: /App service|app-service/i }).count()).toBeGreaterThan(0);
  expect(await page.locator('main').textContent()).toContain('Not available locally');
  // no message body reaches the page
  expect(await page.locator('main').textContent()).not.toContain('00000000-0000-4000-8000');
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'operations.png'), fullPage: true });
});

it('redrives the DLQ by keyboard alone, after re-authentication, and the counts change', async () => {
  await ageSessions();
  await page.getByRole('button', { name: 'Refresh' }).focus();
  // Tab from Refresh to the first Redrive button (the only one: one DLQ has messages)
  const redrive = page.getByRole('button', { name: /^Redrive / });
  for (let i = 0; i < 20 && !(await redrive.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await dialog.waitFor();
  expect(await axeViolations(page)).toEqual([]);
  // the password field has the focus
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Tab');
  await page.keyboard.type(await freshCode());
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'moved' }).waitFor();
  expect(await page.getByRole('status').filter({ hasText: 'moved' }).textContent()).toMatch(/^2 messages moved from rightsRequestDlq back to rightsRequestQueue; 0 still waiting\.$/);
  expect(await dialog.count()).toBe(0);
  await page.getByRole('button', { name: /^Redrive / }).waitFor({ state: 'detached' });
  const rights = page.getByRole('row', { name: /rightsRequestQueue/ });
  expect(await rights.getByRole('cell').nth(4).textContent()).toBe('0');
});
