/**
 * The console's request work in a real browser (Debian's Chromium, driven by playwright-core) against the real local
 * cloud: the overdue request first (its extension refused, Art. 12(3)), a near-due one extended, a manual erasure approved
 * after re-authentication (a wrong code refused first) and its receipt read, a subject found by email, a bulk action
 * with a result per request, the CSV of the view, and the re-authentication dialog by keyboard. axe-core finds no
 * violation on any of these screens. Screenshots go to docs/console/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chromium, type Browser, type Page } from 'playwright-core';
import { apiClient, documentClient, newPerson, PASSWORD, runOpsCommand, totpNow } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'console');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DAY = 86_400_000;

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let browser: Browser;
let call: ReturnType<typeof apiClient>;
let admin: { email: string; otpauthUri: string; recoveryCodes: string[]; subjectId?: string };
const ids = { overdue: '', nearDue: '', erasure: '', bulkAccess: '', bulkFix: '', byEmail: '' };
const byEmail = newPerson();

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

async function backdate(requestId: string, receivedDaysAgo: number, dueInDays: number) {
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.RIGHTS_REQUESTS_TABLE_NAME,
      Key: { requestId },
      UpdateExpression: 'SET receivedAt = :r, dueAt = :d, originalDueAt = :d',
      ExpressionAttributeValues: { ':r': new Date(Date.now() - receivedDaysAgo * DAY).toISOString(), ':d': day(dueInDays) },
    }),
  );
}

async function file(person: ReturnType<typeof newPerson>, bodies: Record<string, unknown>[]): Promise<string[]> {
  const registered = await call('POST', '/v1/accounts', { body: person });
  if (registered.status !== 201) throw new Error(`registering answered ${registered.status}`);
  const filed: string[] = [];
  for (const body of bodies) {
    const answer = await call('POST', '/v1/me/requests', { token: registered.body.session.token, body: { ...body, password: PASSWORD } });
    if (answer.status !== 202) throw new Error(`filing ${String(body.type)} answered ${answer.status}`);
    filed.push(answer.body.requestId as string);
  }
  return filed;
}

beforeAll(async () => {
  [cloud, browser] = await Promise.all([
    // Access and erasure wait for an admin here, so the officer approves them in the console.
    startLocalCloudProcess(['--visibility-timeout', '5'], { PASSWORD_SCRYPT_LOG_N: '12', RIGHTS_MODES: '{"access":"manual","erasure":"manual"}' }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
  ]);
  db = documentClient(cloud);
  call = apiClient(cloud);
  const email = `officer.${Date.now()}@example.com`;
  const created = await runOpsCommand(cloud, 'create-admin', ['--email', email, '--display-name', 'Officer'], `${PASSWORD}\n`);
  if (created.code !== 0) throw new Error(`create-admin exited ${created.code}: ${created.stderr}`);
  admin = { email, ...(JSON.parse(created.stdout.trim().split('\n').pop()!) as { otpauthUri: string; recoveryCodes: string[] }) };

  [ids.overdue] = await file(newPerson(), [{ type: 'rectification', fields: ['profile.familyName'] }]);
  await backdate(ids.overdue, 45, -15);
  [ids.nearDue] = await file(newPerson(), [{ type: 'access' }]);
  await backdate(ids.nearDue, 25, 5);
  [ids.erasure] = await file(newPerson(), [{ type: 'erasure' }]);
  [ids.bulkAccess, ids.bulkFix] = await file(newPerson(), [{ type: 'access' }, { type: 'rectification', fields: ['profile.phone'] }]);
  [ids.byEmail] = await file(byEmail, [{ type: 'access' }]);
  // That subject's account is under a legal hold, placed through the API (signed in with a recovery code: the browser
  // signs in with this step's TOTP code, which can be used only once).
  const session = await call('POST', '/v1/sessions', { body: { email, password: PASSWORD, code: admin.recoveryCodes[8] } });
  const found = await call('POST', '/v1/admin/subjects/lookup', { token: session.body.session.token, body: { email: byEmail.email } });
  const hold = await call('PUT', `/v1/admin/subjects/${found.body.subjectId}/legal-hold`, { token: session.body.session.token, body: { reason: 'Case 3' } });
  if (hold.status !== 200) throw new Error(`placing the hold answered ${hold.status}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  db?.destroy();
  await cloud?.stop();
});

async function axeViolations(page: Page): Promise<Array<{ id: string; nodes: string[] }>> {
  // Through the DevTools protocol: the page's CSP refuses inline script.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const results = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; nodes: Array<{ html: string }> }> }> } }).axe.run();
    return results.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
  });
}

/**
 * Signs the officer in and waits for the inbox: with this step's code the first time, then with single-use recovery
 * codes (a TOTP code is refused a second time, and waiting for the next step would cost up to 30 s per sign-in).
 */
let signIns = 0;
async function signedIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${cloud.apiUrl}/console/`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Authenticator code').fill(signIns++ === 0 ? totpNow(admin.otpauthUri) : admin.recoveryCodes[signIns]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.locator('tbody tr').first().waitFor();
  return page;
}

/** As if the officer signed in (or last confirmed) longer ago than the re-authentication window. */
async function ageAdminSessions() {
  const { Items = [] } = await db.send(new ScanCommand({ TableName: cloud.env.SESSIONS_TABLE_NAME, ConsistentRead: true }));
  const old = new Date(Date.now() - 10 * 60_000).toISOString();
  for (const session of Items.filter((s) => (s.roles as string[]).includes('admin'))) {
    await db.send(
      new UpdateCommand({
        TableName: cloud.env.SESSIONS_TABLE_NAME,
        Key: { tokenHash: session.tokenHash },
        UpdateExpression: 'SET createdAt = :old REMOVE reauthenticatedAt',
        ExpressionAttributeValues: { ':old': old },
      }),
    );
  }
}

const rowIds = (page: Page) => page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-request-id')));

it('shows the overdue request first and refuses its extension; extends a near-due one', async () => {
  const page = await signedIn();
  const first = await rowIds(page);
  expect(first[0]).toBe(ids.overdue);
  expect(await page.locator(`tr[data-request-id="${ids.nearDue}"] .badge`).getAttribute('class')).toContain('due-soon');

  // The overdue request: its first month has passed, so the law allows no extension, and the page says why.
  await page.getByRole('link', { name: ids.overdue }).click();
  await page.getByRole('heading', { name: /Rectification request/ }).waitFor();
  await page.getByLabel('Reason for extending').fill('Waiting for the registry.');
  await page.getByRole('button', { name: 'Extend' }).click();
  const refusal = page.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.locator('h2').textContent()).toBe('Too late to extend');
  expect(await refusal.textContent()).toContain('Art. 12(3)');
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'extension-refused.png'), fullPage: true });

  // The near-due one, by two months, with a reason.
  await page.getByRole('link', { name: 'Back to the inbox' }).click();
  await page.getByRole('link', { name: ids.nearDue }).click();
  await page.getByRole('heading', { name: /Access request/ }).waitFor();
  await page.getByLabel('two months').check();
  await page.getByLabel('Reason for extending').fill('Records are spread over three systems.');
  await page.getByRole('button', { name: 'Extend' }).click();
  await page.getByText('Deadline extended.').waitFor();
  expect(await page.locator('dl.facts').textContent()).toContain('extended by 2 months');
  await page.getByText(/deadline extended to/).first().waitFor();
  await page.context().close();
}, 120_000);

it('approves a manual erasure after re-authentication (a wrong code refused first), then shows its receipt', async () => {
  const page = await signedIn();
  await ageAdminSessions();
  await page.getByRole('link', { name: ids.erasure }).click();
  await page.getByRole('heading', { name: /Erasure request/ }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'request-detail.png'), fullPage: true });

  await page.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await dialog.waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'reauth-dialog.png') });
  // a wrong code: refused with the problem's title, in the dialog, which stays open
  const right = totpNow(admin.otpauthUri, 1);
  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByLabel('Authenticator code').fill(right === '000000' ? '111111' : '000000');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await dialog.getByRole('alert').waitFor();
  expect(await dialog.getByRole('alert').locator('h2').textContent()).toBe('Not confirmed');
  // the right one: the dialog closes and the approval goes through
  await dialog.getByLabel('Authenticator code').fill(right);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await page.getByText('Approved: queued for the workers.').waitFor();
  expect(await page.getByRole('dialog').count()).toBe(0);

  // The worker erases; the detail then shows the receipt (opened again through the address: a reload would sign out).
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.evaluate(() => (location.hash = '#/'));
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.evaluate((id) => (location.hash = `#/requests/${id}`), ids.erasure);
    await page.getByRole('heading', { name: /Erasure request/ }).waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    if ((await page.getByRole('heading', { name: 'Erasure receipt' }).count()) > 0) break;
    if (Date.now() > deadline) throw new Error('no receipt within a minute');
    await page.waitForTimeout(1000);
  }
  const receipt = page.locator('section', { has: page.getByRole('heading', { name: 'Erasure receipt' }) });
  expect(await receipt.textContent()).toContain('Verification: passed');
  expect(await receipt.locator('tbody tr').count()).toBeGreaterThan(0);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'erasure-receipt.png'), fullPage: true });
  await page.context().close();
}, 150_000);

it('finds a subject by email, runs a bulk action with a result per request, and downloads the CSV of the view', async () => {
  const page = await signedIn();
  const find = page.getByLabel('Find by request id, subject id or email');
  await find.fill(byEmail.email.toUpperCase());
  await find.press('Enter');
  await page.getByText(/Subject .* has 1 open request here/).waitFor();
  expect(await rowIds(page)).toEqual([ids.byEmail]);
  // the email went in a POST body: the page's address never carries it
  expect(page.url()).not.toContain('@');
  expect(await axeViolations(page)).toEqual([]);
  // the subject's id opens the subject view; Back returns to the inbox
  const subjectLink = page.locator('p[role="status"]', { hasText: 'open request' }).getByRole('link');
  const subjectId = (await subjectLink.textContent())!.trim();
  expect(await page.locator(`tr[data-request-id="${ids.byEmail}"] a[href^="#/subjects/"]`).textContent()).toBe(subjectId);
  await subjectLink.click();
  await page.getByRole('heading', { name: `Subject ${subjectId}` }).waitFor();
  await page.goBack();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();

  await find.fill('');
  // the legal-hold filter leaves that subject's request only
  await page.getByLabel('Legal hold only').check();
  await page.waitForFunction((id) => {
    const rows = [...document.querySelectorAll('tbody tr')];
    return rows.length === 1 && rows[0].getAttribute('data-request-id') === id;
  }, ids.byEmail);
  expect(await page.locator(`tr[data-request-id="${ids.byEmail}"]`).textContent()).toContain('Legal hold');
  await page.getByLabel('Legal hold only').uncheck();
  await page.locator(`tr[data-request-id="${ids.bulkAccess}"]`).waitFor();
  await page.getByLabel(`Select request ${ids.bulkAccess}`).check();
  await page.getByLabel(`Select request ${ids.bulkFix}`).check();
  await page.getByRole('button', { name: 'Approve selected (2)' }).click();
  const results = page.getByRole('heading', { name: 'Result per request' });
  await results.waitFor();
  const outcome = (id: string) => page.locator(`.results li[data-request-id="${id}"]`).textContent();
  expect(await outcome(ids.bulkAccess)).toContain('approved');
  // a rectification has no worker: refused, and said so for that request only
  expect(await outcome(ids.bulkFix)).toContain('Not possible in this state');
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox-bulk.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV of this view' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('requestId,subjectId,type,status,receivedAt,dueAt,deadline,legalHold');
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(await rowIds(page));
  expect(csv).not.toContain(byEmail.email);

  // bulk rejection needs its reason (shown to each subject), then answers per request too
  await page.getByLabel(`Select request ${ids.byEmail}`).check();
  await page.getByLabel('Reason for rejecting').fill('Manifestly unfounded: a duplicate of an answered request.');
  await page.getByRole('button', { name: 'Reject selected (1)' }).click();
  await page.locator(`.results li[data-request-id="${ids.byEmail}"]`).filter({ hasText: 'rejected' }).waitFor();
  // the inbox reloads: a rejected request is no longer open
  await page.waitForFunction((id) => !document.querySelector(`tr[data-request-id="${id}"]`), ids.byEmail);
  await page.context().close();
}, 120_000);

it('works by keyboard: the re-authentication dialog traps focus, Escape cancels with the refusal shown, Enter confirms', async () => {
  const page = await signedIn();
  await ageAdminSessions();
  await page.goto(`${cloud.apiUrl}/console/#/requests/${ids.bulkFix}`);
  await page.getByRole('heading', { name: /Rectification request/ }).waitFor();
  // Complete by hand, from the keyboard: note, one system with its action.
  await page.getByLabel('Note (shown to the subject)').focus();
  await page.keyboard.type('Phone number removed as asked.');
  await page.keyboard.press('Tab');
  await page.keyboard.type('CRM');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown'); // corrected → exported… the select moves by keyboard
  await page.keyboard.press('ArrowUp');
  await page.getByRole('button', { name: 'Complete' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await dialog.waitFor();
  // focus starts in the password field and Tab cycles inside the dialog
  expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');
  await page.keyboard.press('Shift+Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
  // Escape: no confirmation, so the API's refusal is what the page shows
  await page.keyboard.press('Escape');
  await page.getByRole('alert').waitFor();
  expect(await page.getByRole('alert').locator('h2').textContent()).toBe('Confirm it is you');
  expect(await page.getByRole('dialog').count()).toBe(0);

  // again, typed and confirmed by Enter (a single-use recovery code this time)
  await page.getByRole('button', { name: 'Complete' }).focus();
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Tab');
  await page.keyboard.type(admin.recoveryCodes[9]);
  await page.keyboard.press('Enter');
  await page.getByText('Completed by hand.').waitFor();
  expect(await page.locator('ol.timeline').textContent()).toContain('CRM: corrected');
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
}, 120_000);

it('retries a failed request, then hands the officer its export through a short-lived link', async () => {
  // As the worker leaves a request it could not finish.
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.RIGHTS_REQUESTS_TABLE_NAME,
      Key: { requestId: ids.nearDue },
      UpdateExpression: 'SET #status = :failed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed' },
    }),
  );
  const page = await signedIn();
  await page.getByLabel('Status').selectOption('failed');
  await page.getByRole('link', { name: ids.nearDue }).click();
  await page.getByRole('heading', { name: /Access request/ }).waitFor();
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByText('Queued again for the workers.').waitFor();

  // The worker answers the access request; its detail then offers the export.
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.evaluate(() => (location.hash = '#/'));
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.evaluate((id) => (location.hash = `#/requests/${id}`), ids.nearDue);
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    if ((await page.getByRole('heading', { name: 'Export' }).count()) > 0) break;
    if (Date.now() > deadline) throw new Error('no export within a minute');
    await page.waitForTimeout(1000);
  }
  await page.getByRole('button', { name: 'Get the CSV export' }).click();
  const link = page.getByRole('link', { name: 'Download the CSV export' });
  await link.waitFor();
  expect(await link.getAttribute('href')).toMatch(/^https?:\/\//);
  // the download is on the subject's audit trail, which the timeline shows
  await page.getByText('route:adminDownloadExport').first().waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
}, 120_000);
