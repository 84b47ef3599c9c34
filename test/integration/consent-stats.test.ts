/**
 * Consent insight on the local cloud: a concurrent burst of grants, withdrawals, objections and restrictions over many
 * subjects, then the figures of GET /v1/admin/consent-stats equal what the ledger says subject by subject (read here with a
 * Query per subject, never from the counters): per purpose and policy version, expired and outdated grants included, after
 * an erasure too; every decision of the burst succeeded (the counters cause no failed write). And the proof-of-consent
 * receipt: the ledger's event for the decision in force, audited, 404 without one.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoConsentStore } from '../../lambdas/adapters/dynamo-consent';
import { CONSENT_STATS_SHARDS, statsPartition } from '../../lambdas/domain/consent-stats';
import { rebuildConsentStats } from '../../ops/consent-stats-rebuild';
import type { AuditTrail } from '../../lambdas/adapters/dynamo-audit';
import { consentFigures, decisionDeltas } from '../../lambdas/domain/consent-stats';
import { decide, type ConsentEvent, type ConsentState, type ConsentTopic } from '../../lambdas/domain/consent';
import { policyHash, purposes } from '../../lambdas/purposes';
import { apiClient, createAdmin, documentClient, newPerson, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { settledForAdmin } from './helpers/rights';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let call: ReturnType<typeof apiClient>;
let admin: { subjectId: string; token: string };
const subjects: { subjectId: string; token: string }[] = [];

const SUBJECTS = 40;
const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' });
  db = documentClient(cloud);
  call = apiClient(cloud);
  admin = await createAdmin(cloud);
  for (let i = 0; i < SUBJECTS; i++) {
    // some tick consents on the sign-up form: decisions through the same ledger
    const consents = i % 3 === 0 ? { 'marketing-email': true } : i % 3 === 1 ? { analytics: true } : {};
    const response = await call('POST', '/v1/accounts', { body: { ...newPerson(), consents } });
    expect(response.status).toBe(201);
    subjects.push({ subjectId: response.body.account.subjectId, token: response.body.session.token });
  }
}, 120_000);

afterAll(async () => {
  db?.destroy();
  await cloud?.stop();
});

/** The subject's projection, as the ledger holds it (a Query of their partition). */
async function projection(subjectId: string): Promise<ConsentState[]> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: cloud.env.CONSENT_TABLE_NAME,
      KeyConditionExpression: 'subjectId = :s AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':s': subjectId, ':p': 'state#' },
      ConsistentRead: true,
    }),
  );
  return Items as ConsentState[];
}

async function events(subjectId: string): Promise<ConsentEvent[]> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: cloud.env.CONSENT_TABLE_NAME,
      KeyConditionExpression: 'subjectId = :s AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':s': subjectId, ':p': 'event#' },
      ConsistentRead: true,
    }),
  );
  return Items as ConsentEvent[];
}

/** The figures recomputed from every subject's projection: each counted once in the bucket its state falls in. */
async function figuresFromLedger(ids: readonly string[]) {
  const counts = new Map<string, number>();
  for (const id of ids) {
    for (const state of await projection(id)) {
      for (const [k, v] of decisionDeltas(undefined, state)) if (k.startsWith('n#')) counts.set(k, (counts.get(k) ?? 0) + v);
    }
  }
  return consentFigures(counts, new Date());
}

/**
 * A decision written through the real adapter as an older deployment, or the passing of time, would have left it: the
 * ledger's own transaction (with the counters), its audit entry replaced by a plain write (this is the test's hand).
 */
async function appendAsOf(subjectId: string, topic: ConsentTopic, fields: Partial<ConsentEvent>) {
  const trail = { transact: async (items: any[]) => void (await db.send(new TransactWriteCommand({ TransactItems: items }))) } as unknown as AuditTrail;
  const store = new DynamoConsentStore(db, cloud.env.CONSENT_TABLE_NAME, trail);
  const previous = (await store.states(subjectId)).get(topic);
  const event: ConsentEvent = {
    subjectId,
    eventId: randomUUID(),
    topic,
    action: 'grant',
    seq: (previous?.seq ?? 0) + 1,
    policyVersion: purposes.analytics.policy.version,
    policyHash: policyHash('analytics'),
    method: 'settings',
    at: new Date().toISOString(),
    clientId: 'web',
    ...fields,
  };
  expect(await store.append(event, previous)).toBe('ok');
}

describe('consent figures after a burst', () => {
  it('equal the ledger subject by subject, with every decision of the burst accepted', async () => {
    // The burst: every subject makes several decisions at once (several at once on one subject too: the ledger retries those).
    const decisions: Promise<number>[] = [];
    subjects.forEach(({ token }, i) => {
      const put = (purpose: string, granted: boolean) => call('PUT', `/v1/me/consents/${purpose}`, { token, body: { granted } }).then((r) => r.status);
      decisions.push(put('marketing-email', i % 2 === 0));
      decisions.push(put('analytics', i % 5 !== 0));
      if (i % 4 === 0) decisions.push(put('analytics', false));
      if (i % 3 === 0) decisions.push(call('POST', '/v1/me/objections/product-improvement', { token }).then((r) => r.status));
      if (i % 6 === 0) decisions.push(call('DELETE', '/v1/me/objections/product-improvement', { token }).then((r) => r.status));
      if (i % 7 === 0) decisions.push(call('POST', '/v1/me/restriction', { token }).then((r) => r.status));
    });
    const statuses = await Promise.all(decisions);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // Expired: a grant given 400 days ago on today's text, lapsing 5 days ago, in place of
    // what the burst left. Outdated: a grant on a text older than the
    // re-consent line (no real deployment can write one today, so the adapter is called as the older one did).
    await appendAsOf(subjects[1].subjectId, 'analytics', { at: new Date(Date.now() - 400 * DAY).toISOString(), validUntil: new Date(Date.now() - 5 * DAY).toISOString() });
    await appendAsOf(subjects[4].subjectId, 'marketing-email', { policyVersion: '2025-01-01', policyHash: 'f'.repeat(64), validUntil: new Date(Date.now() + 300 * DAY).toISOString() });


    const ids = subjects.map((s) => s.subjectId);
    const answer = await call('GET', `/v1/admin/consent-stats?from=${daysAgo(30)}&to=${today()}`, { token: admin.token });
    expect(answer.status).toBe(200);
    const expected = await figuresFromLedger(ids);
    expect(answer.body.purposes).toEqual(expected.purposes);

    // and independently of the bucket arithmetic: the gate's own verdict, subject by subject
    const states = await Promise.all(ids.map(async (id) => new Map((await projection(id)).map((s) => [s.topic, s] as const))));
    const unrestricted = (s: Map<ConsentTopic, ConsentState>) => new Map([...s].filter(([t]) => t !== 'restriction'));
    const figure = (purpose: string, version: string) => (answer.body.purposes as Json[]).find((p) => p.purpose === purpose)!.versions.find((v: Json) => v.version === version);
    const email = purposes['marketing-email'].policy.version;
    expect(figure('marketing-email', email).granted).toBe(states.filter((s) => decide('marketing-email', unrestricted(s), new Date()).allowed).length);
    expect(figure('analytics', email).expired).toBe(states.filter((s) => decide('analytics', unrestricted(s), new Date()).reason === 'expired').length);
    expect(figure('analytics', email).expired).toBe(1);
    expect(figure('marketing-email', '2025-01-01')).toMatchObject({ needsReconsent: 1, current: false });
    expect((answer.body.purposes as Json[]).find((p) => p.purpose === 'marketing-email')!.onOutdatedVersion).toBe(1);
    expect(answer.body.restricted).toBe(states.filter((s) => s.get('restriction')?.lastAction === 'restrict').length);
    expect(answer.body.restricted).toBeGreaterThan(0);

    // the day's decisions: every event of today in the ledger, by topic and action
    const perDay = new Map<string, number>();
    for (const id of ids) for (const e of await events(id)) if (e.at.slice(0, 10) >= daysAgo(30)) perDay.set(`${e.at.slice(0, 10)}#${e.topic}#${e.action}`, (perDay.get(`${e.at.slice(0, 10)}#${e.topic}#${e.action}`) ?? 0) + 1);
    expect(new Map((answer.body.days as Json[]).map((d) => [`${d.day}#${d.topic}#${d.action}`, d.count]))).toEqual(perDay);
  }, 120_000);

  it('stay exact when an erasure takes a subject\'s projections away', async () => {
    const registered = await call('POST', '/v1/accounts', { body: { ...newPerson(), consents: { 'marketing-email': true } } });
    const gone = { subjectId: registered.body.account.subjectId as string, token: registered.body.session.token as string };
    expect((await call('POST', '/v1/me/restriction', { token: gone.token })).status).toBe(200);
    const before = (await call('GET', '/v1/admin/consent-stats', { token: admin.token })).body;
    const erasure = await call('POST', '/v1/me/requests', { token: gone.token, body: { type: 'erasure' } });
    expect(erasure.status).toBe(202);
    expect((await settledForAdmin(cloud, admin.token, erasure.body.requestId)).status).toBe('completed');
    expect(await projection(gone.subjectId)).toEqual([]);
    const after = (await call('GET', '/v1/admin/consent-stats', { token: admin.token })).body;
    expect(after.purposes).toEqual((await figuresFromLedger(subjects.map((s) => s.subjectId))).purposes);
    const granted = (figures: Json) => (figures.purposes as Json[]).find((p) => p.purpose === 'marketing-email')!.versions.find((v: Json) => v.current).granted;
    expect(granted(after)).toBe(granted(before) - 1);
    expect(after.restricted).toBe(before.restricted - 1);
    // what happened on the day stays what happened
    expect(after.days).toEqual(before.days);
  }, 120_000);

  it('refuses a range backwards, too wide or malformed with a problem document, and non-admins', async () => {
    const refused = [
      `from=${today()}&to=${daysAgo(1)}`,
      `from=${daysAgo(400)}&to=${today()}`,
      'from=yesterday',
      'extra=1',
      // `from` alone is checked against today, the `to` it defaults to
      `from=${daysAgo(400)}`,
      `from=${daysAgo(-2)}`,
    ];
    for (const query of refused) {
      const answer = await call('GET', `/v1/admin/consent-stats?${query}`, { token: admin.token });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect((await call('GET', '/v1/admin/consent-stats', { token: subjects[0].token })).status).toBe(403);
  });
});

/** A fresh subject, signed up with `consents` ticked. */
async function signedUp(consents: Json = {}) {
  const response = await call('POST', '/v1/accounts', { body: { ...newPerson(), consents }, headers: { 'x-client-id': 'ios' } });
  return { subjectId: response.body.account.subjectId as string, token: response.body.session.token as string };
}

describe('fmn consent stats rebuild', () => {
  it('restores counters a deployment never had from one scan of the ledger, and a second run finds nothing to add', async () => {
    const table = cloud.env.CONSENT_TABLE_NAME;
    const range = `from=${daysAgo(365)}&to=${today()}`;
    const exact = (await call('GET', `/v1/admin/consent-stats?${range}`, { token: admin.token })).body;
    expect(await rebuildConsentStats(db, table, { dryRun: true })).toMatchObject({ countersOff: 0, difference: 0 });
    // as before the counters existed: none at all
    for (let shard = 0; shard < CONSENT_STATS_SHARDS; shard++) {
      const { Items = [] } = await db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'subjectId = :p', ExpressionAttributeValues: { ':p': statsPartition(shard) } }));
      for (const item of Items) await db.send(new DeleteCommand({ TableName: table, Key: { subjectId: item.subjectId, sk: item.sk } }));
    }
    expect((await rebuildConsentStats(db, table, { dryRun: true })).difference).toBeGreaterThan(0);
    const rebuilt = await rebuildConsentStats(db, table);
    expect(rebuilt.projections).toBeGreaterThan(0);
    const after = (await call('GET', `/v1/admin/consent-stats?${range}`, { token: admin.token })).body;
    expect(after.purposes).toEqual(exact.purposes);
    expect(after.days).toEqual(exact.days);
    expect(after.restricted).toBe(exact.restricted);
    expect(await rebuildConsentStats(db, table)).toMatchObject({ countersOff: 0, difference: 0 });
  });
});

describe('proof of consent', () => {
  it('shows the ledger event of the decision in force, with its policy hash and text, and records the look', async () => {
    const { subjectId, token } = await signedUp({ 'marketing-email': true });
    expect((await call('PUT', '/v1/me/consents/marketing-email', { token, body: { granted: true }, headers: { 'x-client-id': 'web' } })).status).toBe(200);
    const answer = await call('GET', `/v1/admin/subjects/${subjectId}/consents/marketing-email/receipt`, { token: admin.token });
    expect(answer.status).toBe(200);
    expect(answer.body.event).toMatchObject({ seq: 2, clientId: 'web', method: 'settings' });
    const latest = (await events(subjectId)).filter((e) => e.topic === 'marketing-email').sort((a, b) => a.seq - b.seq).pop()!;
    expect(answer.body).toMatchObject({
      subjectId,
      purpose: 'marketing-email',
      status: 'granted',
      event: { eventId: latest.eventId, seq: latest.seq, action: 'grant', policyHash: policyHash('marketing-email'), method: latest.method, at: latest.at, clientId: latest.clientId, validUntil: latest.validUntil },
      policyTextMatches: true,
      policyText: purposes['marketing-email'].policy.text,
    });
    const trail = await call('GET', `/v1/admin/audit?subjectId=${subjectId}&action=read`, { token: admin.token });
    expect((trail.body.entries as Json[]).some((e) => e.fields.includes('consent.marketing-email'))).toBe(true);
  });

  it('says when a decision was made on another text, and answers 404 where there is none', async () => {
    const { subjectId } = await signedUp();
    await appendAsOf(subjectId, 'marketing-email', { policyVersion: '2025-01-01', policyHash: 'f'.repeat(64) });
    const outdated = await call('GET', `/v1/admin/subjects/${subjectId}/consents/marketing-email/receipt`, { token: admin.token });
    expect(outdated.body).toMatchObject({ status: 'needs-reconsent', policyTextMatches: false });
    expect(outdated.body.policyText).toBeUndefined();
    const none = await call('GET', `/v1/admin/subjects/${subjectId}/consents/product-improvement/receipt`, { token: admin.token });
    expect(none.status).toBe(404);
    expect(none.body.type).toMatch(/consent-decision-not-found/);
    expect((await call('GET', `/v1/admin/subjects/${subjectId}/consents/nonsense/receipt`, { token: admin.token })).status).toBe(400);
  });
});
