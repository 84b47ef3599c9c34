/**
 * Breach scope on the real local cloud: three people register and read their data, one before the window, one inside it,
 * one after it. The scope of a store in the window names the subjects held in it then and the one whose data was accessed
 * then, by audit pseudonym (computed here independently with the KMS key), with the categories and the origins; no raw
 * subject id or email appears in the result.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KmsPseudonyms } from '../../lambdas/adapters/kms-pseudonyms';
import { tableEnvVar, type TableId } from '../../lambdas/runtime/resources';
import { breachScope, type BreachScopeDeps } from '../../ops/breach-scope';
import { OpsInputError } from '../../ops/errors';
import { apiClient, documentClient, newPerson } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let kms: KMSClient;
type Person = { email: string; subjectId: string; pseudonym: string };
let before: Person;
let inside: Person;
let after: Person;
let from: string;
let to: string;

const FMN = join(__dirname, '..', '..', 'bin', 'fmn.cjs');

/** `fmn …` through the bin, pointed at this suite's cloud (as test/integration/cli.test.ts does). */
function fmn(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      FMN,
      [...args],
      {
        env: {
          ...process.env,
          AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.dynamodb,
          AWS_ENDPOINT_URL_KMS: cloud.endpoints.kms,
          NODE_NO_WARNINGS: '1',
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** HMAC-SHA256 of `subject:<id>` under the pseudonym key, hex: what the audit trail stores, computed without the service. */
async function pseudonymOf(subjectId: string): Promise<string> {
  const { Mac } = await kms.send(
    new GenerateMacCommand({ KeyId: cloud.env.PSEUDONYM_KEY_ID, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(`subject:${subjectId}`) }),
  );
  return Buffer.from(Mac!).toString('hex');
}

/** Registers someone and reads their account once. */
async function registerAndRead(): Promise<Person> {
  const call = apiClient(cloud);
  const person = newPerson();
  const registered = await call('POST', '/v1/accounts', { body: person });
  expect(registered.status).toBe(201);
  expect((await call('GET', '/v1/me', { token: registered.body.session.token })).status).toBe(200);
  const subjectId = registered.body.account.subjectId as string;
  return { email: person.email, subjectId, pseudonym: await pseudonymOf(subjectId) };
}

function deps(store: string): BreachScopeDeps {
  const pseudonyms = new KmsPseudonyms(kms, cloud.env.PSEUDONYM_KEY_ID!);
  return {
    db,
    tables: { audit: cloud.env.AUDIT_TABLE_NAME!, store: cloud.env[tableEnvVar(store as TableId)] },
    subjectPseudonym: (id) => pseudonyms.subject(id),
  };
}

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' });
  db = documentClient(cloud);
  kms = new KMSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.kms, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  before = await registerAndRead();
  // Audit times have millisecond precision; a pause on each side keeps the window's edges clear of the others' entries.
  await pause(50);
  from = new Date().toISOString();
  await pause(50);
  inside = await registerAndRead();
  await pause(50);
  to = new Date().toISOString();
  await pause(50);
  after = await registerAndRead();
});

afterAll(async () => {
  db?.destroy();
  kms?.destroy();
  await cloud?.stop();
});

describe('breach scope of a store in a window', () => {
  it('names the subjects held in users then and the one accessed then, with categories and origins, by pseudonym only', async () => {
    const scope = await breachScope({ store: 'users', from, to }, deps('users'));

    expect(scope.window).toEqual({ from, to });
    // held: everyone whose account existed during the window; the later account did not exist yet
    expect(scope.held.enumerated).toBe(true);
    expect(scope.held.pseudonyms).toEqual([before.pseudonym, inside.pseudonym].sort());
    expect(scope.held.subjects).toBe(2);
    expect(scope.held.categories).toEqual(expect.arrayContaining(['contact', 'identity', 'identifier', 'credentials', 'preferences']));
    // accessed: only the entries inside the window
    expect(scope.accessed.pseudonyms).toEqual([inside.pseudonym]);
    const origins = scope.accessed.byOrigin.map((o) => o.origin);
    expect(origins).toEqual(expect.arrayContaining(['route:register', 'route:getMe']));
    const getMe = scope.accessed.byOrigin.find((o) => o.origin === 'route:getMe')!;
    expect(getMe).toMatchObject({ entries: 1, subjects: 1, actions: ['read'], declared: true });
    expect(getMe.categories).toEqual(expect.arrayContaining(['contact', 'identity']));
    expect(scope.subjects).toEqual({ count: 2, pseudonyms: [before.pseudonym, inside.pseudonym].sort(), approximate: false });
    expect(scope.categories).toEqual(expect.arrayContaining(['contact', 'identity', 'credentials']));
    expect(scope.categories).not.toContain('none');

    const printed = JSON.stringify(scope);
    for (const person of [before, inside, after]) {
      expect(printed).not.toContain(person.subjectId);
      expect(printed).not.toContain(person.email);
    }
    expect(printed).not.toContain(after.pseudonym);
  });

  it('scopes another store by its own declarations: sessions held and written in the window', async () => {
    const scope = await breachScope({ store: 'sessions', from, to }, deps('sessions'));

    expect(scope.held.pseudonyms).toEqual([before.pseudonym, inside.pseudonym].sort());
    expect(scope.accessed.pseudonyms).toEqual([inside.pseudonym]);
    const register = scope.accessed.byOrigin.find((o) => o.origin === 'route:register');
    expect(register?.actions).toContain('create');
    expect(scope.categories).toEqual(expect.arrayContaining(['credentials', 'identifier', 'usage']));
  });

  it('finds nothing in a window before anyone registered, and counts everyone up to now in a wide one', async () => {
    const empty = await breachScope({ store: 'users', from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' }, deps('users'));
    expect(empty.subjects.count).toBe(0);
    expect(empty.accessed.entries).toBe(0);
    expect(empty.held.categories.length).toBeGreaterThan(0);

    const wide = await breachScope({ store: 'users', from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() }, deps('users'));
    expect(wide.subjects.pseudonyms).toEqual([before.pseudonym, inside.pseudonym, after.pseudonym].sort());
    expect(wide.accessed.subjects).toBe(3);
  });

  it('is what `fmn breach-scope --local --json` prints, and the table for people names pseudonyms only', async () => {
    const json = await fmn(['breach-scope', '--local', '--store', 'users', '--from', from, '--to', to, '--json']);
    expect(json.code).toBe(0);
    const printed = JSON.parse(json.stdout);
    expect(printed.subjects).toEqual({ count: 2, pseudonyms: [before.pseudonym, inside.pseudonym].sort(), approximate: false });
    expect(printed.accessed.pseudonyms).toEqual([inside.pseudonym]);

    const table = await fmn(['breach-scope', '--local', '--store', 'users', '--from', from, '--to', to]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ORIGIN +ENTRIES +SUBJECTS/m);
    expect(table.stdout).toContain(inside.pseudonym);
    for (const person of [before, inside, after]) {
      expect(table.stdout + table.stderr).not.toContain(person.subjectId);
      expect(table.stdout + table.stderr).not.toContain(person.email);
    }
  });

  it('refuses an unknown store and a window that ends before it starts', async () => {
    await expect(breachScope({ store: 'payments', from, to }, deps('users'))).rejects.toThrow(OpsInputError);
    await expect(breachScope({ store: 'users', from: to, to: from }, deps('users'))).rejects.toThrow(/--from must not be after --to/);
    await expect(breachScope({ store: 'users', from: 'yesterday', to }, deps('users'))).rejects.toThrow(/--from is not a date/);
  });
});
