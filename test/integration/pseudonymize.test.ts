/**
 * Production to staging, end to end on two real local clouds (two environments, each with its own KMS keys): people register
 * and use the source; its tables are dumped to JSON lines, pseudonymised, and seeded into the target, which re-keys every
 * account under its own keys. A seeded account then logs in on the target with its pseudonymised email and the staging
 * password, and GET /v1/me shows the synthetic profile and no original value.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { DeleteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KmsSubjectKeyring } from '../../lambdas/adapters/kms-keyring';
import { KmsPseudonyms } from '../../lambdas/adapters/kms-pseudonyms';
import { TABLE_IDS, keyEnvVar, tableEnvVar, type TableId } from '../../lambdas/runtime/resources';
import { parseSyntheticProfile, pseudonymize } from '../../ops/pseudonymize';
import { seedStaging } from '../../ops/seed-staging';
import { apiClient, createAdmin, documentClient, newPerson, PASSWORD, scanAll, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const FMN = join(__dirname, '..', '..', 'bin', 'fmn.cjs');

/** `fmn …` through the bin against a cloud, as an operator's shell runs it. */
function fmn(cloud: LocalCloudHandle, args: readonly string[], input = '', env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      FMN,
      [...args],
      {
        env: {
          ...process.env,
          AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.dynamodb,
          AWS_ENDPOINT_URL_KMS: cloud.endpoints.kms,
          PASSWORD_SCRYPT_LOG_N: '12',
          NODE_NO_WARNINGS: '1',
          ...env,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}

const STAGING_PASSWORD = 'staging password for everyone';
const SCRYPT = { logN: 12, r: 8, p: 1 };

let source: LocalCloudHandle;
let target: LocalCloudHandle;
let sourceDb: DynamoDBDocumentClient;
let targetDb: DynamoDBDocumentClient;
let targetKms: KMSClient;
let dir: string;

const kmsOf = (cloud: LocalCloudHandle) =>
  new KMSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.kms, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const tablesOf = (cloud: LocalCloudHandle) =>
  Object.fromEntries(TABLE_IDS.map((id) => [id, cloud.env[tableEnvVar(id)]!])) as Record<TableId, string>;

beforeAll(async () => {
  // One after the other: two JVMs starting at once on a busy machine can miss DynamoDB Local's start-up deadline.
  source = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' });
  target = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' });
  sourceDb = documentClient(source);
  targetDb = documentClient(target);
  targetKms = kmsOf(target);
  dir = mkdtempSync(join(tmpdir(), 'fmn-seed-'));
});

afterAll(async () => {
  sourceDb?.destroy();
  targetDb?.destroy();
  targetKms?.destroy();
  await Promise.all([source?.stop(), target?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Registers people on the source and has them use it: reads, a consent decision, a second login. */
async function populateSource() {
  const call = apiClient(source);
  const people: { person: ReturnType<typeof newPerson>; subjectId: string }[] = [];
  for (let i = 0; i < 3; i++) {
    const person = newPerson();
    const registered = await call('POST', '/v1/accounts', { body: person });
    expect(registered.status).toBe(201);
    const token = registered.body.session.token as string;
    expect((await call('GET', '/v1/me', { token })).status).toBe(200);
    expect((await call('PUT', '/v1/me/consents/analytics', { token, body: { granted: true }, headers: { 'x-client-id': 'web' } })).status).toBe(200);
    expect((await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } })).status).toBe(201);
    people.push({ person, subjectId: registered.body.account.subjectId as string });
  }
  return people;
}

/** Every table of the source as JSON lines, `{"store":…,"item":…}` (what an operator's dump script writes). */
async function dumpSource(path: string): Promise<Json[]> {
  const lines: Json[] = [];
  for (const [store, table] of Object.entries(tablesOf(source))) {
    for (const item of await scanAll(sourceDb, table)) lines.push({ store, item });
  }
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return lines;
}

/** The originals that must not reach staging: every profile value, subject ids, password and blind indexes. */
function originalValues(people: Awaited<ReturnType<typeof populateSource>>, dump: Json[]): string[] {
  const values = people.flatMap(({ person, subjectId }) => [
    subjectId,
    person.email,
    person.displayName,
    person.givenName,
    person.familyName,
    person.phone,
    person.postalAddress.street,
  ]);
  for (const { store, item } of dump) {
    if (store === 'users') values.push(item.emailIndex, item.profile, item.passwordHash);
    if (store === 'sessions') values.push(item.tokenHash);
    if (store === 'audit' && item.subjectPseudonym) values.push(item.subjectPseudonym);
  }
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

describe('pseudonymize and seed-staging', () => {
  it('loads a pseudonymised copy into another environment where seeded accounts log in and show no original value', async () => {
    const people = await populateSource();
    // An admin of the source, whose staging copy must not be an admin with the shared staging password.
    const sourceAdmin = await createAdmin(source);
    const dumpPath = join(dir, 'source.jsonl');
    const dump = await dumpSource(dumpPath);
    const originals = [...originalValues(people, dump), sourceAdmin.email, sourceAdmin.subjectId];

    // pseudonymise with the staging environment's own key; undeclared fields fail the run
    const outPath = join(dir, 'staging.jsonl');
    const result = await pseudonymize({ input: dumpPath, output: outPath, key: randomBytes(32), undeclared: 'fail' });
    expect(result.itemsByStore.users).toBe(4);
    const text = readFileSync(outPath, 'utf8');
    expect(originals.filter((v) => text.includes(v))).toEqual([]);

    // seed the target with its own KMS keys
    const seeded = await seedStaging(
      { input: outPath, tables: tablesOf(target), stagingPassword: STAGING_PASSWORD, scrypt: SCRYPT },
      {
        db: targetDb,
        newKeyring: () => new KmsSubjectKeyring(targetKms, targetDb, target.env[keyEnvVar('dataKey')]!, tablesOf(target).subjectKeys),
        pseudonyms: new KmsPseudonyms(targetKms, target.env[keyEnvVar('pseudonymKey')]!),
      },
    );
    expect(seeded.accounts).toBe(4);
    expect(seeded.adminsAsSubjects).toBe(1);
    expect(seeded.itemsByTable.users).toBe(4);
    expect(seeded.itemsByTable.subjectKeys).toBe(4);
    expect(seeded.itemsByTable.sessions).toBe(7);
    expect(seeded.itemsByTable.consent).toBeGreaterThanOrEqual(6);
    expect(seeded.skipped['audit (not seeded)']).toBeGreaterThan(0);

    // every seeded account logs in on the target with its pseudonymised email, and reads its synthetic profile
    const staged = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json)
      .filter((l) => l.store === 'users')
      .map((l) => ({ subjectId: l.item.subjectId as string, profile: parseSyntheticProfile(l.item.profile)!, wasAdmin: (l.item.roles as string[]).includes('admin') }));
    expect(staged.filter((s) => s.wasAdmin)).toHaveLength(1);
    const call = apiClient(target);
    for (const { subjectId, profile, wasAdmin } of staged) {
      const login = await call('POST', '/v1/sessions', { body: { email: profile.email, password: STAGING_PASSWORD } });
      expect(login.status).toBe(201);
      expect(login.body.subjectId).toBe(subjectId);
      // Everyone, the source's admin included, is a plain subject on the target: the shared password opens no admin route.
      expect((await call('GET', '/v1/admin/requests', { token: login.body.session.token })).status).toBe(403);
      if (wasAdmin) expect((await targetDb.send(new GetCommand({ TableName: tablesOf(target).users, Key: { subjectId } }))).Item?.roles).toEqual(['subject']);
      const me = await call('GET', '/v1/me', { token: login.body.session.token });
      expect(me.status).toBe(200);
      expect(me.body.profile).toEqual({ email: profile.email, displayName: profile.displayName });
      expect(me.body.hasPassword).toBe(true);
      const shown = JSON.stringify(me.body);
      expect(originals.filter((v) => shown.includes(v))).toEqual([]);
      // the wrong password still fails: the staging hash is a real hash
      expect((await call('POST', '/v1/sessions', { body: { email: profile.email, password: PASSWORD } })).status).toBe(401);
    }
    // consent decisions came along and belong to the seeded subjects
    const consent = await scanAll(targetDb, tablesOf(target).consent);
    const stagedIds = new Set(staged.map((s) => s.subjectId));
    expect(consent.length).toBeGreaterThan(0);
    // (besides the consent figures' counters, which name no one and come along unchanged: the copy's figures stay exact)
    expect(consent.filter((c) => !stagedIds.has(c.subjectId) && !/^stats#\d+$/.test(c.subjectId))).toEqual([]);
  });

  it('works the same through `fmn pseudonymize` and `fmn seed-staging --local`', async () => {
    const person = newPerson();
    const registered = await apiClient(source)('POST', '/v1/accounts', { body: person });
    expect(registered.status).toBe(201);
    const dumpPath = join(dir, 'cli-source.jsonl');
    await dumpSource(dumpPath);
    const outPath = join(dir, 'cli-staging.jsonl.gz');

    const pseudonymized = await fmn(source, ['pseudonymize', dumpPath, outPath, '--json'], '', {
      FMN_PSEUDONYMIZE_KEY: randomBytes(32).toString('hex'),
    });
    expect(pseudonymized.code).toBe(0);
    expect(JSON.parse(pseudonymized.stdout).items.users).toBeGreaterThanOrEqual(1);

    const seedArgs = ['seed-staging', outPath, '--local', '--include', 'users', '--staging-password-stdin', '--json'];
    // The target still holds the first test's seed: refused, and nothing written.
    const refused = await fmn(target, [...seedArgs, '--yes'], `${STAGING_PASSWORD}\n`);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stderr)).toEqual({ error: { code: 'config', message: expect.stringMatching(/not empty \(users, subjectKeys, identities hold items\)/) } });
    // Emptied, it is still not seeded without --yes when stdin is not a terminal.
    for (const [table, key] of [['users', 'subjectId'], ['subjectKeys', 'subjectId'], ['identities', 'identityKey']] as const) {
      const name = target.env[tableEnvVar(table)]!;
      for (const item of await scanAll(targetDb, name)) await targetDb.send(new DeleteCommand({ TableName: name, Key: { [key]: item[key] } }));
    }
    const unconfirmed = await fmn(target, seedArgs, `${STAGING_PASSWORD}\n`);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('pass --yes');
    expect(await scanAll(targetDb, target.env[tableEnvVar('users')]!)).toEqual([]);
    const seeded = await fmn(target, [...seedArgs, '--yes'], `${STAGING_PASSWORD}\n`);
    expect(seeded.code).toBe(0);
    expect(JSON.parse(seeded.stdout).accounts).toBeGreaterThanOrEqual(1);
    expect(seeded.stdout + seeded.stderr).not.toContain(STAGING_PASSWORD);

    // the newest account on the source is now on the target under its pseudonymised email
    const { gunzipSync } = await import('node:zlib');
    const staged = gunzipSync(readFileSync(outPath))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json)
      .filter((l) => l.store === 'users')
      .map((l) => parseSyntheticProfile(l.item.profile)!);
    const logins = await Promise.all(
      staged.map((p) => apiClient(target)('POST', '/v1/sessions', { body: { email: p.email, password: STAGING_PASSWORD } })),
    );
    expect(logins.map((l) => l.status)).toEqual(staged.map(() => 201));
    expect(JSON.stringify(logins.map((l) => l.body))).not.toContain(registered.body.account.subjectId);
  });

  it('refuses to seed a dump that was not pseudonymised', async () => {
    const dumpPath = join(dir, 'raw.jsonl');
    const person = newPerson();
    expect((await apiClient(source)('POST', '/v1/accounts', { body: person })).status).toBe(201);
    await dumpSource(dumpPath);
    const before = (await scanAll(targetDb, tablesOf(target).users)).length;

    await expect(
      seedStaging(
        { input: dumpPath, tables: tablesOf(target), include: ['users'] },
        {
          db: targetDb,
          newKeyring: () => new KmsSubjectKeyring(targetKms, targetDb, target.env[keyEnvVar('dataKey')]!, tablesOf(target).subjectKeys),
          pseudonyms: new KmsPseudonyms(targetKms, target.env[keyEnvVar('pseudonymKey')]!),
        },
      ),
    ).rejects.toThrow(/not a synthetic profile: seed only the output of pseudonymize/);
    expect((await scanAll(targetDb, tablesOf(target).users)).length).toBe(before);
  });
});
