/**
 * `fmn seed-staging`: loads the output of `pseudonymize` into a target environment's tables.
 *
 * 1. stream the pseudonymised dump line by line; refuse any users item that was not pseudonymised (a real profile or
 *    password hash), so production data cannot be seeded by mistake;
 * 2. re-key what belongs to the target environment, with the target's own keys and the same domain code the API uses:
 *    per user, a fresh data key from the target's KMS data key (`KmsSubjectKeyring`), the synthetic profile sealed under it
 *    (`seal`), its email's blind index from the target's pseudonym key (`KmsPseudonyms`), and the email claim in identities;
 * 3. write everything with BatchWriteItem (retrying unprocessed items).
 *
 * Passwords: a pseudonymised account that had a password gets the hash of the operator's staging password (one scrypt hash,
 * the same for every seeded account: it is a test password, and hashing once keeps a large seed fast); without a staging
 * password, seeded accounts have no password and cannot log in with one. Accounts without a password stay without.
 *
 * Admins: every account is seeded as a plain subject (the `admin` role is dropped). A shared test password on an admin
 * account would open the target's admin routes to anyone who knows it; the target's admins are created there with
 * `fmn admin create`, each with their own password.
 *
 * `dryRun` reads and checks the whole dump and counts what would be written, without calling KMS or writing anything.
 *
 * Not loaded by default: subjectKeys (recreated above), the dump's email claims (recreated from the synthetic email),
 * loginThrottle (short-lived counters keyed under the source's key) and audit (each entry's hash covers the pseudonyms that
 * were replaced, so its chains could not verify), and jobRuns (the source's jobs' last runs, which the target's own jobs
 * overwrite). Ask for them with `include` if you need them anyway.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { emailClaim, normaliseEmail, seal, type Profile, type Pseudonyms, type SubjectKeyring } from '../lambdas/domain/accounts';
import { DEFAULT_SCRYPT, hashPassword, type ScryptParams } from '../lambdas/domain/passwords';
import { TABLE_IDS, type TableId } from '../lambdas/runtime/resources';
import { BatchWriter } from './batch-writer';
import { parseDumpLine, toDocumentValue, type DumpFormat, type PlainItem } from './dump-lines';
import { OpsInputError } from './errors';
import { parseSyntheticProfile, splitLines, SYNTHETIC_PASSWORD, tableDeclaration } from './pseudonymize';

/** Tables left out unless asked for (see the module comment). */
export const NOT_SEEDED_BY_DEFAULT: readonly TableId[] = ['subjectKeys', 'loginThrottle', 'audit', 'jobRuns'];

/** Accounts prepared at once: each needs two KMS calls, which overlap well. */
const ACCOUNTS_IN_FLIGHT = 16;

export interface SeedStagingOptions {
  readonly input: string;
  /** The store of lines that do not name their own. */
  readonly store?: string;
  readonly format?: DumpFormat;
  /** Physical table names in the target environment. */
  readonly tables: Readonly<Partial<Record<TableId, string>>>;
  /** Tables to load; default every table except {@link NOT_SEEDED_BY_DEFAULT}. */
  readonly include?: readonly TableId[];
  /** Password every seeded account that had one gets; absent: seeded accounts have no password. */
  readonly stagingPassword?: string;
  /** The target's scrypt parameters (default the production ones). */
  readonly scrypt?: ScryptParams;
  readonly onProgress?: (progress: { bytesRead: number; totalBytes: number }) => void;
  /** Check and count only: no KMS call, no write. */
  readonly dryRun?: boolean;
}

export interface SeedStagingDeps {
  readonly db: DynamoDBDocumentClient;
  /** A keyring on the TARGET's data key and subject-keys table. Called once per account: no unwrapped key outlives it. */
  readonly newKeyring: () => Pick<SubjectKeyring, 'create'>;
  /** Blind indexes under the TARGET's pseudonym key. */
  readonly pseudonyms: Pick<Pseudonyms, 'emailIndex'>;
}

export interface SeedStagingResult {
  readonly itemsByTable: Record<string, number>;
  /** Users seeded with a fresh key and a sealed synthetic profile. */
  readonly accounts: number;
  /** Lines not loaded, by reason. */
  readonly skipped: Record<string, number>;
  /** Admin accounts in the dump, seeded as plain subjects. */
  readonly adminsAsSubjects: number;
}

/** What {@link BatchWriter} does for a dry run: counts, writes nothing. */
class CountingWriter {
  readonly written: Record<string, number> = {};
  async put(table: string): Promise<void> {
    this.written[table] = (this.written[table] ?? 0) + 1;
  }
  async flush(): Promise<void> {}
}

function isTableId(value: string): value is TableId {
  return (TABLE_IDS as readonly string[]).includes(value);
}

/** Loads a pseudonymised dump into the target's tables (see the module comment). */
export async function seedStaging(options: SeedStagingOptions, deps: SeedStagingDeps): Promise<SeedStagingResult> {
  const include = new Set<TableId>(options.include ?? TABLE_IDS.filter((t) => !NOT_SEEDED_BY_DEFAULT.includes(t)));
  for (const table of include) {
    if (!options.tables[table]) throw new OpsInputError(`no table name for ${table} in the target`);
  }
  if (include.has('users')) {
    for (const table of ['subjectKeys', 'identities'] as const) {
      if (!options.tables[table]) throw new OpsInputError(`seeding users needs the target's ${table} table`);
    }
  }
  const totalBytes = (await stat(options.input).catch(() => undefined))?.size;
  if (totalBytes === undefined) throw new OpsInputError(`cannot read input file ${options.input}`);
  const passwordHash = options.stagingPassword && !options.dryRun ? await hashPassword(options.stagingPassword, options.scrypt ?? DEFAULT_SCRYPT) : undefined;

  const writer: Pick<BatchWriter, 'put' | 'flush' | 'written'> = options.dryRun ? new CountingWriter() : new BatchWriter(deps.db);
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  let accounts = 0;
  let adminsAsSubjects = 0;
  let usersInFlight: Promise<void>[] = [];
  const table = (id: TableId) => options.tables[id]!;

  /** A pseudonymised user, re-keyed for the target. */
  const seedUser = async (item: PlainItem, where: string): Promise<void> => {
    const subjectId = item.subjectId;
    const synthetic = parseSyntheticProfile(item.profile);
    if (typeof subjectId !== 'string' || !synthetic) {
      throw new OpsInputError(`${where}: users.profile is not a synthetic profile: seed only the output of pseudonymize`);
    }
    if (item.passwordHash !== undefined && item.passwordHash !== SYNTHETIC_PASSWORD) {
      throw new OpsInputError(`${where}: users.passwordHash was not pseudonymised: seed only the output of pseudonymize`);
    }
    const roles = Array.isArray(item.roles) ? (item.roles as unknown[]).filter((r) => r !== 'admin') : undefined;
    if (roles && roles.length !== (item.roles as unknown[]).length) adminsAsSubjects++;
    if (options.dryRun) {
      for (const t of ['subjectKeys', 'identities', 'users'] as const) await writer.put(table(t), {});
      accounts++;
      return;
    }
    const email = normaliseEmail(synthetic.email);
    const profile: Profile = { email, displayName: synthetic.displayName };
    const [{ key, wrapped }, emailIndex] = await Promise.all([deps.newKeyring().create(subjectId), deps.pseudonyms.emailIndex(email)]);
    const user: Record<string, unknown> = {
      ...(toDocumentValue(item) as Record<string, unknown>),
      emailIndex,
      profile: seal(key, subjectId, { profile, sources: { email: 'user', displayName: 'user' } }),
    };
    // Plain subjects only (see the module comment): no seeded account is an admin.
    if (roles) user.roles = roles.length > 0 ? roles : ['subject'];
    delete user.passwordHash;
    if (item.passwordHash === SYNTHETIC_PASSWORD && passwordHash) user.passwordHash = passwordHash;
    const createdAt = typeof item.createdAt === 'string' ? item.createdAt : new Date().toISOString();
    await writer.put(table('subjectKeys'), { subjectId, wrappedKey: wrapped, createdAt });
    await writer.put(table('identities'), { identityKey: emailClaim(emailIndex), kind: 'email', subjectId, createdAt });
    await writer.put(table('users'), user);
    accounts++;
  };

  let bytesRead = 0;
  const source = createReadStream(options.input);
  const counted = source.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytesRead += chunk.length;
        options.onProgress?.({ bytesRead, totalBytes });
        callback(null, chunk);
      },
    }),
  );
  source.on('error', (error) => counted.destroy(error));
  const text = options.input.endsWith('.gz') ? counted.pipe(createGunzip()) : counted;
  let lineNumber = 0;
  try {
    for await (const raw of splitLines(text)) {
      lineNumber++;
      if (raw.trim() === '') continue;
      const where = `${options.input}:${lineNumber}`;
      const line = parseDumpLine(raw, where, options.format);
      const store = line.store ?? options.store;
      tableDeclaration(store, where);
      if (!isTableId(store!) || !include.has(store)) {
        skip(`${store} (not seeded)`);
        continue;
      }
      if (store === 'users') {
        const seeding = seedUser(line.item, where);
        seeding.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
        usersInFlight.push(seeding);
        if (usersInFlight.length >= ACCOUNTS_IN_FLIGHT) {
          await Promise.all(usersInFlight);
          usersInFlight = [];
        }
        continue;
      }
      if (store === 'identities' && line.item.kind === 'email') {
        // Recreated with each user from the synthetic email and the target's key.
        skip('identities email claim (recreated)');
        continue;
      }
      await writer.put(table(store), toDocumentValue(line.item) as Record<string, unknown>);
    }
    await Promise.all(usersInFlight);
    await writer.flush();
  } finally {
    source.destroy();
  }
  const itemsByTable = Object.fromEntries(
    TABLE_IDS.filter((id) => options.tables[id] && writer.written[options.tables[id]!]).map((id) => [id, writer.written[options.tables[id]!]!]),
  );
  return { itemsByTable, accounts, skipped, adminsAsSubjects };
}
