/**
 * Consent end to end on the local cloud: the purpose catalogue, the ledger and its projection, the gate in front of gated
 * routes, re-consent and expiry (by moving stored dates, as a changed policy or the passing of time does), restriction,
 * objection, and 50 concurrent decisions.
 */
import { createHash } from 'node:crypto';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { purposes } from '../../lambdas/purposes';
import { purposeCategories } from '../../lambdas/data-map';
import { apiClient, documentClient, newPerson, runOpsCommand, scanAll, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let call: ReturnType<typeof apiClient>;

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' });
  db = documentClient(cloud);
  call = apiClient(cloud);
});

afterAll(async () => {
  db?.destroy();
  await cloud?.stop();
});

async function registered(consents?: Json) {
  const response = await call('POST', '/v1/accounts', { body: { ...newPerson(), ...(consents ? { consents } : {}) }, headers: { 'x-client-id': 'ios' } });
  expect(response.status).toBe(201);
  return { subjectId: response.body.account.subjectId as string, token: response.body.session.token as string };
}

const consentItems = async (subjectId: string) => (await scanAll(db, cloud.env.CONSENT_TABLE_NAME)).filter((i) => i.subjectId === subjectId);
const stateOf = (overview: Json, purpose: string) => (overview.purposes as Json[]).find((p) => p.purpose === purpose)!;

async function setProjection(subjectId: string, purpose: string, values: Json) {
  const names = Object.keys(values);
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.CONSENT_TABLE_NAME,
      Key: { subjectId, sk: `state#${purpose}` },
      UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, values[n]])),
    }),
  );
}

describe('the purpose catalogue', () => {
  it('is public and states basis, policy version and hash, data, retention and recipients', async () => {
    const response = await call('GET', '/v1/purposes');
    expect(response.status).toBe(200);
    const byId = Object.fromEntries((response.body.purposes as Json[]).map((p) => [p.id, p]));
    expect(byId.account).toMatchObject({ lawfulBasis: 'contract', required: true });
    expect(byId['marketing-email']).toMatchObject({ lawfulBasis: 'consent', required: false });
    expect(byId.analytics).toMatchObject({ lawfulBasis: 'consent', required: false });
    expect(byId['product-improvement']).toMatchObject({ lawfulBasis: 'legitimate-interest', objectable: true });
    for (const purpose of Object.values(byId) as Json[]) {
      expect(purpose.policy.sha256).toBe(createHash('sha256').update(purpose.policy.text).digest('hex'));
      expect(purpose.retention).toEqual(expect.any(String));
      expect(purpose.recipients).toEqual(expect.any(Array));
      // derived from what the code processes for the purpose (routes, workers, jobs, AWS logs), not declared by hand
      expect(purpose.categories).toEqual(purposeCategories(purpose.id));
    }
    for (const processed of ['account', 'marketing-email', 'analytics']) expect(byId[processed].categories.length).toBeGreaterThan(0);
  });
});

describe('the ledger', () => {
  it('records sign-up consents through the ledger, with nothing pre-ticked', async () => {
    const { subjectId, token } = await registered({ analytics: true });
    const overview = (await call('GET', '/v1/me/consents', { token })).body;
    expect(stateOf(overview, 'analytics')).toMatchObject({ status: 'granted', active: true, method: 'signup', grantedPolicyVersion: purposes.analytics.policy.version });
    expect(stateOf(overview, 'marketing-email')).toMatchObject({ status: 'not-granted', active: false });
    expect(stateOf(overview, 'account')).toMatchObject({ status: 'not-applicable', active: true, required: true });
    const history = (await call('GET', '/v1/me/consents/history', { token })).body.events as Json[];
    expect(history).toEqual([expect.objectContaining({ topic: 'analytics', action: 'grant', method: 'signup', clientId: 'ios', seq: 1 })]);
    const items = JSON.stringify(await consentItems(subjectId));
    expect(items).not.toMatch(/127\.0\.0\.1|userAgent|sourceIp/);
  });

  it('refuses a sign-up that ticks a purpose not based on consent, and creates nothing', async () => {
    const person = newPerson();
    const response = await call('POST', '/v1/accounts', { body: { ...person, consents: { account: true } } });
    expect(response.status).toBe(400);
    expect((await call('POST', '/v1/sessions', { body: { email: person.email, password: person.password } })).status).toBe(401);
  });

  it('accepts only declared client ids: anything else is 400 problem+json before a decision or an account is written', async () => {
    const { subjectId, token } = await registered();
    const before = await consentItems(subjectId);
    for (const clientId of ['user-4711', 'ada@example.com', 'WEB']) {
      const refused = await call('PUT', '/v1/me/consents/marketing-email', { token, body: { granted: true }, headers: { 'x-client-id': clientId } });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.body).toMatchObject({ type: '/problems/validation-failed', errors: [expect.objectContaining({ path: 'headers.x-client-id' })] });
      expect(JSON.stringify(refused.body)).not.toContain(clientId);
      expect((await call('POST', '/v1/me/restriction', { token, headers: { 'x-client-id': clientId } })).status).toBe(400);
    }
    expect(await consentItems(subjectId)).toEqual(before);
    // Registration checks the header before the account exists: no account, no ledger entry.
    const person = newPerson();
    const signup = await call('POST', '/v1/accounts', { body: { ...person, consents: { analytics: true } }, headers: { 'x-client-id': 'user-4711' } });
    expect(signup.status).toBe(400);
    expect((await call('POST', '/v1/sessions', { body: { email: person.email, password: person.password } })).status).toBe(401);
    // Without the header, the ledger records the fixed word `unknown`.
    expect((await call('PUT', '/v1/me/consents/marketing-email', { token, body: { granted: true } })).status).toBe(200);
    expect((await consentItems(subjectId)).filter((i) => String(i.sk).startsWith('event#')).map((i) => i.clientId)).toEqual(['unknown']);
  });

  it('grants and withdraws with the same call, and keeps the whole history', async () => {
    const { token } = await registered();
    const granted = await call('PUT', '/v1/me/consents/marketing-email', { token, body: { granted: true }, headers: { 'x-client-id': 'web' } });
    expect(granted.status).toBe(200);
    expect(stateOf(granted.body, 'marketing-email')).toMatchObject({ status: 'granted', active: true, method: 'settings' });
    expect(stateOf(granted.body, 'marketing-email').validUntil).toEqual(expect.any(String));
    const withdrawn = await call('PUT', '/v1/me/consents/marketing-email', { token, body: { granted: false } });
    expect(stateOf(withdrawn.body, 'marketing-email')).toMatchObject({ status: 'withdrawn', active: false });

    const history = (await call('GET', '/v1/me/consents/history', { token })).body.events as Json[];
    expect(history.map((e) => `${e.topic} ${e.action} ${e.seq}`)).toEqual(['marketing-email withdraw 2', 'marketing-email grant 1']);
    expect(history[1]).toMatchObject({ clientId: 'web', policyVersion: purposes['marketing-email'].policy.version, policyHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const page = await call('GET', '/v1/me/consents/history?limit=1', { token });
    expect(page.body.events).toHaveLength(1);
    const rest = await call('GET', `/v1/me/consents/history?limit=1&cursor=${encodeURIComponent(page.body.next)}`, { token });
    expect(rest.body.events[0].action).toBe('grant');
    // the cursor is bound to its subject: another subject's history cannot be walked with it (issue 12)
    const other = await registered();
    const refused = await call('GET', `/v1/me/consents/history?limit=1&cursor=${encodeURIComponent(page.body.next)}`, { token: other.token });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'query.cursor', message: expect.stringContaining('Not a cursor this API issued') }]);
  });

  it('refuses to grant a purpose that is not consent-based, and unknown purposes', async () => {
    const { token } = await registered();
    const contract = await call('PUT', '/v1/me/consents/account', { token, body: { granted: false } });
    expect(contract.status).toBe(409);
    expect(contract.body.type).toBe('/problems/wrong-lawful-basis');
    expect((await call('PUT', '/v1/me/consents/telepathy', { token, body: { granted: true } })).status).toBe(400);
  });

  it('keeps ledger and projection consistent under 50 concurrent grants and withdrawals', async () => {
    const { subjectId, token } = await registered();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call('PUT', '/v1/me/consents/analytics', { token, body: { granted: i % 2 === 0 } })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const applied = statuses.filter((s) => s === 200).length;
    expect(applied).toBeGreaterThan(0);

    const items = await consentItems(subjectId);
    const events = items.filter((i) => i.sk.startsWith('event#') && i.topic === 'analytics').sort((a, b) => a.seq - b.seq);
    const projection = items.find((i) => i.sk === 'state#analytics')!;
    expect(events).toHaveLength(applied);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: applied }, (_, i) => i + 1));
    expect(projection.seq).toBe(applied);
    expect(projection.lastAction).toBe(events.at(-1)!.action);
    // Each applied decision has its audit entry, and the chain is intact.
    const verify = await runOpsCommand(cloud, 'audit-verify', ['--subject-id', subjectId]);
    expect(verify.code).toBe(0);
  }, 90_000);
});

describe('the gate', () => {
  it('blocks processing without consent, allows it once granted, and stops it on the very next request after withdrawal', async () => {
    const { token } = await registered();
    const blocked = await call('PUT', '/v1/me/newsletter', { token, body: { subscribed: true } });
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ type: '/problems/consent-required', purpose: 'marketing-email', reason: 'not-granted' });

    await call('PUT', '/v1/me/consents/marketing-email', { token, body: { granted: true } });
    expect((await call('PUT', '/v1/me/newsletter', { token, body: { subscribed: true } })).status).toBe(200);
    await call('PUT', '/v1/me/consents/marketing-email', { token, body: { granted: false } });
    const after = await call('PUT', '/v1/me/newsletter', { token, body: { subscribed: false } });
    expect(after.status).toBe(403);
    expect(after.body.reason).toBe('not-granted');
  });

  it('stores analytics events only with consent, pseudonymously, with a retention date', async () => {
    const { subjectId, token } = await registered();
    const events = { events: [{ name: 'screen.view', at: new Date().toISOString(), properties: { screen: 'home', ms: 120 } }] };
    const countStored = async () => (await scanAll(db, cloud.env.ANALYTICS_EVENTS_TABLE_NAME)).length;

    const before = await countStored();
    expect((await call('POST', '/v1/events', { token, body: events })).status).toBe(204);
    expect(await countStored()).toBe(before);

    await call('PUT', '/v1/me/consents/analytics', { token, body: { granted: true } });
    expect((await call('POST', '/v1/events', { token, body: events })).status).toBe(204);
    const stored = await scanAll(db, cloud.env.ANALYTICS_EVENTS_TABLE_NAME);
    expect(stored.length).toBe(before + 1);
    const item = stored.find((i) => i.name === 'screen.view' && i.properties?.ms === 120)!;
    expect(JSON.stringify(stored)).not.toContain(subjectId);
    expect(item.expiresAt).toBeGreaterThan(Date.now() / 1000 + 80 * 86_400);

    await call('PUT', '/v1/me/consents/analytics', { token, body: { granted: false } });
    expect((await call('POST', '/v1/events', { token, body: events })).status).toBe(204);
    expect((await scanAll(db, cloud.env.ANALYTICS_EVENTS_TABLE_NAME)).length).toBe(before + 1);
    // Free text is refused even with consent: events carry tokens and numbers, not personal data.
    const freeText = { events: [{ name: 'form.submit', at: new Date().toISOString(), properties: { comment: 'my email is a@b.example' } }] };
    expect((await call('POST', '/v1/events', { token, body: freeText })).status).toBe(400);
  });

  it('asks for re-consent after a material policy change', async () => {
    const { subjectId, token } = await registered({ 'marketing-email': true });
    expect((await call('PUT', '/v1/me/newsletter', { token, body: { subscribed: true } })).status).toBe(200);
    // The stored grant was given under a version older than the purpose's `reconsentFrom`, as after a material change.
    await setProjection(subjectId, 'marketing-email', { policyVersion: '2025-01-01' });
    const overview = (await call('GET', '/v1/me/consents', { token })).body;
    expect(stateOf(overview, 'marketing-email')).toMatchObject({ status: 'needs-reconsent', active: false });
    const blocked = await call('PUT', '/v1/me/newsletter', { token, body: { subscribed: true } });
    expect(blocked.body).toMatchObject({ type: '/problems/consent-required', reason: 'needs-reconsent' });
    await call('PUT', '/v1/me/consents/marketing-email', { token, body: { granted: true } });
    expect((await call('PUT', '/v1/me/newsletter', { token, body: { subscribed: true } })).status).toBe(200);
  });

  it('treats a lapsed consent as not granted', async () => {
    const { subjectId, token } = await registered({ 'marketing-email': true });
    await setProjection(subjectId, 'marketing-email', { validUntil: new Date(Date.now() - 1000).toISOString() });
    expect(stateOf((await call('GET', '/v1/me/consents', { token })).body, 'marketing-email')).toMatchObject({ status: 'expired', active: false });
    expect((await call('PUT', '/v1/me/newsletter', { token, body: { subscribed: true } })).body.reason).toBe('expired');
  });

  it('freezes consent-based processing under a restriction, keeps the account usable, and thaws when lifted', async () => {
    const { token } = await registered({ 'marketing-email': true, analytics: true });
    const restricted = await call('POST', '/v1/me/restriction', { token });
    expect(restricted.status).toBe(200);
    expect(restricted.body.restriction).toMatchObject({ restricted: true, since: expect.any(String) });
    expect(stateOf(restricted.body, 'marketing-email')).toMatchObject({ status: 'restricted', active: false });

    expect((await call('PUT', '/v1/me/newsletter', { token, body: { subscribed: true } })).body.reason).toBe('restricted');
    expect((await call('GET', '/v1/me', { token })).status).toBe(200);
    expect((await call('GET', '/v1/me/audit', { token })).status).toBe(200);

    const lifted = await call('DELETE', '/v1/me/restriction', { token });
    expect(lifted.body.restriction.restricted).toBe(false);
    expect((await call('PUT', '/v1/me/newsletter', { token, body: { subscribed: true } })).status).toBe(200);
  });

  it('records objections to legitimate-interest purposes only', async () => {
    const { token } = await registered();
    const objected = await call('POST', '/v1/me/objections/product-improvement', { token });
    expect(objected.status).toBe(200);
    expect(stateOf(objected.body, 'product-improvement')).toMatchObject({ status: 'objected', active: false });
    expect((await call('POST', '/v1/me/objections/marketing-email', { token })).status).toBe(409);
    const withdrawn = await call('DELETE', '/v1/me/objections/product-improvement', { token });
    expect(stateOf(withdrawn.body, 'product-improvement')).toMatchObject({ active: true });
    const history = (await call('GET', '/v1/me/consents/history', { token })).body.events as Json[];
    expect(history.map((e) => e.action)).toEqual(['withdraw-objection', 'object']);
  });
});
