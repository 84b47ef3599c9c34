/**
 * P3 scaling: erasure and export of one subject holding about 200 items (sessions, consent events, analytics events, audit
 * entries) while the tables hold N other subjects, first the small N then the large one. Requests are filed through the
 * create-request handler and carried out by the rights worker handler with an SQS event, the path Lambda runs. If every
 * access is a key lookup or a Query on the subject's partition, the time does not grow with N; a Scan would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KmsPseudonyms } from '../lambdas/adapters/kms-pseudonyms';
import { subjectChain } from '../lambdas/domain/audit';
import { keyEnvVar, tableEnvVar, type TableId } from '../lambdas/runtime/resources';
import type { App, Caller } from './lib/app';
import { countCalls, type SdkCall } from './lib/sdk-probe';
import { median, round, since } from './lib/stats';
import type { Sizes } from './sizes';

export const P3_TARGET_RATIO = 1.2;

const PASSWORD = 'correct horse battery staple';

export interface P3Level {
  readonly otherSubjects: number;
  readonly seedItems: number;
  readonly seedSeconds: number;
  readonly exportMs: number[];
  readonly erasureMs: number[];
  readonly exportMedianMs: number;
  readonly erasureMedianMs: number;
}

export interface P3Result {
  readonly target: number;
  /** Items of one target subject, by kind (as counted before its export). */
  readonly subjectItems: Record<string, number>;
  readonly itemsPerOtherSubject: number;
  readonly levels: P3Level[];
  readonly exportRatio: number;
  readonly erasureRatio: number;
  readonly exportMeetsTarget: boolean;
  readonly erasureMeetsTarget: boolean;
  /** SDK calls of one export and one erasure (create-request handler + worker), by service and command. */
  readonly exportCalls: Record<string, number>;
  readonly erasureCalls: Record<string, number>;
  /** Scan calls seen on any request or worker path during P3 (target: 0). */
  readonly scans: number;
}

export async function runP3(app: App, options: { sizes: Sizes; log: (line: string) => void }): Promise<P3Result> {
  const { sizes, log } = options;
  // Its own client: seeding and counting are not the path under test, and the probe must not record them.
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const pseudonyms = new KmsPseudonyms(app.clients.kms, process.env[keyEnvVar('pseudonymKey')]!);
  const levels: P3Level[] = [];
  let seeded = 0;
  let scans = 0;
  let subjectItems: Record<string, number> = {};
  let exportCalls: Record<string, number> = {};
  let erasureCalls: Record<string, number> = {};
  const noteScans = (calls: readonly SdkCall[]) => (scans += calls.filter((c) => c.command === 'Scan').length);

  // One untimed round first: the first export and erasure of a process load and compile code the later ones reuse.
  {
    const subject = await buildTarget(app, sizes.p3Subject);
    await app.runJob('export', await fileRequest(app, subject, 'export'));
    await app.runJob('erasure', await fileRequest(app, subject, 'erasure'));
    app.probe.take();
  }

  for (const otherSubjects of sizes.p3Levels) {
    const started = performance.now();
    const seedItems = await seedOthers(db, seeded, otherSubjects, sizes.p3SeedConcurrency, log);
    const seedSeconds = round(since(started) / 1000, 1);
    seeded = otherSubjects;
    log(`P3 seeded ${otherSubjects} other subjects (${seedItems} items in ${seedSeconds} s)`);

    const exportMs: number[] = [];
    const erasureMs: number[] = [];
    for (let r = 0; r < sizes.p3Repeats; r++) {
      const subject = await buildTarget(app, sizes.p3Subject);
      subjectItems = await countItems(app, db, pseudonyms, subject);
      app.probe.take();

      const exportRequest = await fileRequest(app, subject, 'export');
      const fileCalls = app.probe.take();
      let t0 = performance.now();
      await app.runJob('export', exportRequest);
      exportMs.push(since(t0));
      const exportWorkerCalls = app.probe.take();
      exportCalls = countCalls([...fileCalls, ...exportWorkerCalls]);
      noteScans([...fileCalls, ...exportWorkerCalls]);

      const erasureRequest = await fileRequest(app, subject, 'erasure');
      const erasureFileCalls = app.probe.take();
      t0 = performance.now();
      await app.runJob('erasure', erasureRequest);
      erasureMs.push(since(t0));
      const erasureWorkerCalls = app.probe.take();
      erasureCalls = countCalls([...erasureFileCalls, ...erasureWorkerCalls]);
      noteScans([...erasureFileCalls, ...erasureWorkerCalls]);
      log(`P3 ${otherSubjects} others, run ${r + 1}: export ${round(exportMs.at(-1)!)} ms, erasure ${round(erasureMs.at(-1)!)} ms`);
    }
    levels.push({
      otherSubjects,
      seedItems,
      seedSeconds,
      exportMs: exportMs.map((v) => round(v)),
      erasureMs: erasureMs.map((v) => round(v)),
      exportMedianMs: round(median(exportMs)),
      erasureMedianMs: round(median(erasureMs)),
    });
  }
  db.destroy();
  const [small, large] = levels;
  const exportRatio = large.exportMedianMs / small.exportMedianMs;
  const erasureRatio = large.erasureMedianMs / small.erasureMedianMs;
  return {
    target: P3_TARGET_RATIO,
    subjectItems,
    itemsPerOtherSubject: ITEMS_PER_OTHER,
    levels,
    exportRatio: round(exportRatio),
    erasureRatio: round(erasureRatio),
    exportMeetsTarget: exportRatio <= P3_TARGET_RATIO,
    erasureMeetsTarget: erasureRatio <= P3_TARGET_RATIO,
    exportCalls,
    erasureCalls,
    scans,
  };
}

/** One subject built through the real routes: sign-up, logins (sessions), consent decisions, analytics events. */
async function buildTarget(app: App, shape: Sizes['p3Subject']): Promise<Caller> {
  const email = `p3-${randomUUID()}@bench.invalid`;
  const subject = await app.register(email, PASSWORD);
  for (let i = 1; i < shape.sessions; i++) await app.call('login', app.handlers.login, app.loginEvent(email, PASSWORD));
  // Analytics granted first (events are stored only while it is); the other decisions toggle the newsletter purpose.
  await app.call('putConsent', app.handlers.putConsent, app.putConsentEvent(subject, 'analytics', true));
  for (let i = 1; i < shape.consentEvents; i++) {
    await app.call('putConsent', app.handlers.putConsent, app.putConsentEvent(subject, 'marketing-email', i % 2 === 1));
  }
  const at = new Date().toISOString();
  for (let sent = 0; sent < shape.analyticsEvents; sent += 25) {
    const events = Array.from({ length: Math.min(25, shape.analyticsEvents - sent) }, (_, i) => ({
      name: 'screen.view',
      at,
      properties: { screen: `s${sent + i}`, durationMs: 1200 + i },
    }));
    await app.call('analyticsEvents', app.handlers.analyticsEvents, app.analyticsEvent(subject, events));
  }
  return subject;
}

async function fileRequest(app: App, subject: Caller, type: 'export' | 'erasure'): Promise<string> {
  const answer = await app.call('createRequest', app.handlers.createRequest, app.createRequestEvent(subject, type));
  return (JSON.parse(answer.body) as { requestId: string }).requestId;
}

/** Counts the target's items by kind, with the same key lookups the worker uses (outside any timing). */
async function countItems(app: App, db: DynamoDBDocumentClient, pseudonyms: KmsPseudonyms, subject: Caller): Promise<Record<string, number>> {
  const { queryAll } = await import('../lambdas/adapters/dynamo-paging');
  const query = (table: TableId, key: string, value: string, index?: string) =>
    queryAll(db, {
      TableName: process.env[tableEnvVar(table)]!,
      IndexName: index,
      KeyConditionExpression: '#k = :v',
      ExpressionAttributeNames: { '#k': key },
      ExpressionAttributeValues: { ':v': value },
    });
  const sessions = (await query('sessions', 'subjectId', subject.subjectId, 'bySubject')).length;
  const consent = await query('consent', 'subjectId', subject.subjectId);
  const analytics = (await query('analyticsEvents', 'analyticsId', await pseudonyms.mac('analytics', subject.subjectId))).length;
  const audit = (await query('audit', 'chainId', subjectChain(await pseudonyms.subject(subject.subjectId)))).filter((e) => Number(e.seq) > 0).length;
  const counts = {
    sessions,
    consentEvents: consent.filter((i) => String(i.sk).startsWith('event#')).length,
    analyticsEvents: analytics,
    auditEntries: audit,
  };
  app.probe.take();
  return { ...counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
}

// ---- seeding other subjects -----------------------------------------------------------------------------------------

/**
 * Items each other subject gets: one in each table the worker queries (key-only lookups of other tables cannot grow with
 * their size), shaped like the real ones, with random values and no personal data.
 */
const ITEMS_PER_OTHER = 6;

function otherSubjectItems(): Array<{ table: TableId; item: Record<string, unknown> }> {
  const subjectId = randomUUID();
  const now = new Date();
  const at = now.toISOString();
  const b64 = (bytes: number) => randomBytes(bytes).toString('base64url');
  const pseudonym = randomBytes(32).toString('hex');
  const expires = Math.floor(now.getTime() / 1000) + 86_400 * 30;
  return [
    {
      table: 'users',
      item: {
        subjectId,
        emailIndex: b64(32),
        profile: { iv: b64(12), ciphertext: b64(360), tag: b64(16) },
        passwordHash: `scrypt$17$8$1$${b64(16)}$${b64(32)}`,
        roles: ['subject'],
        createdAt: at,
        updatedAt: at,
      },
    },
    { table: 'identities', item: { identityKey: `email#${b64(32)}`, subjectId, kind: 'email', createdAt: at } },
    {
      table: 'sessions',
      item: { tokenHash: randomBytes(32).toString('hex'), subjectId, roles: ['subject'], deviceLabel: 'Firefox on Linux', createdAt: at, lastUsedAt: at, idleExpiresAt: expires, expiresAt: expires },
    },
    {
      table: 'consent',
      item: { subjectId, sk: `event#${at}#analytics#00000001`, topic: 'analytics', action: 'grant', seq: 1, eventId: randomUUID(), policyVersion: '1', policyHash: b64(32), method: 'settings', at },
    },
    {
      table: 'analyticsEvents',
      item: { analyticsId: b64(32), sk: `${at}#${randomUUID()}`, name: 'screen.view', properties: { screen: 'home' }, at, expiresAt: expires },
    },
    {
      table: 'audit',
      item: {
        chainId: subjectChain(pseudonym),
        seq: 1,
        entryId: randomUUID(),
        at,
        day: at.slice(0, 10),
        subjectPseudonym: pseudonym,
        actorId: `subject:${pseudonym}`,
        actorRole: 'subject',
        action: 'read',
        purpose: 'account',
        categories: ['identity'],
        fields: ['users.profile'],
        outcome: 'success',
        correlationId: randomUUID(),
        origin: 'route',
        prevHash: b64(32),
        hash: b64(32),
        expiresAt: expires,
      },
    },
  ];
}

/** Seeds subjects `from` (inclusive) to `to` (exclusive) with BatchWriteItem, `concurrency` batches in flight. */
async function seedOthers(db: DynamoDBDocumentClient, from: number, to: number, concurrency: number, log: (line: string) => void): Promise<number> {
  let next = from;
  let written = 0;
  let lastLog = performance.now();
  const worker = async () => {
    while (next < to) {
      // Four subjects' items (24) per batch: BatchWriteItem takes at most 25.
      const take = Math.min(Math.floor(25 / ITEMS_PER_OTHER), to - next);
      next += take;
      const items = Array.from({ length: take }, otherSubjectItems).flat();
      const byTable: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> = {};
      for (const { table, item } of items) (byTable[process.env[tableEnvVar(table)]!] ??= []).push({ PutRequest: { Item: item } });
      let pending: typeof byTable | undefined = byTable;
      for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
        if (attempt > 8) throw new Error('BatchWriteItem kept returning unprocessed items');
        const answer = await db.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = answer.UnprocessedItems as typeof byTable | undefined;
      }
      written += items.length;
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(`P3 seeding: ${next - from} of ${to - from} subjects`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return written;
}
