/**
 * The emulator's keys and aliases, in memory and optionally in a JSON state file.
 *
 * The state file holds raw key material: it is a development convenience with no protection beyond its 0600 mode,
 * never a place for real secrets. It is replaced atomically (temp file, fsync, rename) so a crash mid-write leaves
 * either the old keys or the new ones, never a torn file that would make every stored ciphertext unreadable.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { KmsError } from './errors';

export const SYMMETRIC_KEY_SPECS = ['SYMMETRIC_DEFAULT'] as const;
export const HMAC_KEY_SPECS = ['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'] as const;
export type SymmetricKeySpec = (typeof SYMMETRIC_KEY_SPECS)[number];
export type HmacKeySpec = (typeof HMAC_KEY_SPECS)[number];
/** The key specs this emulator implements; the asymmetric ones are refused at CreateKey. */
export type EmulatedKeySpec = SymmetricKeySpec | HmacKeySpec;
export type EmulatedKeyUsage = 'ENCRYPT_DECRYPT' | 'GENERATE_VERIFY_MAC';
export type EmulatedKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

/** Key material length per spec, as KMS generates it: 256-bit AES, and HMAC keys as long as their digest. */
export const MATERIAL_BYTES: Readonly<Record<EmulatedKeySpec, number>> = {
  SYMMETRIC_DEFAULT: 32,
  HMAC_224: 28,
  HMAC_256: 32,
  HMAC_384: 48,
  HMAC_512: 64,
};

export interface Tag {
  readonly TagKey: string;
  readonly TagValue: string;
}

export interface KeyRecord {
  readonly keyId: string;
  readonly keySpec: EmulatedKeySpec;
  readonly keyUsage: EmulatedKeyUsage;
  readonly description: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  state: EmulatedKeyState;
  /** Epoch milliseconds; set only while PendingDeletion. */
  deletionDate?: number;
  pendingWindowInDays?: number;
  /** Automatic rotation is only a flag here: the material never actually rotates. */
  rotation?: { periodInDays: number; enabledAt: number };
  readonly material: Buffer;
  readonly tags: readonly Tag[];
}

export interface AliasRecord {
  readonly aliasName: string;
  targetKeyId: string;
  readonly createdAt: number;
  updatedAt: number;
}

const FORMAT = 'forget-me-not/kms-emulator-state';
const VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface StateFileV1 {
  format: typeof FORMAT;
  version: typeof VERSION;
  keys: Array<Omit<KeyRecord, 'material'> & { material: string }>;
  aliases: AliasRecord[];
}

/** Keys by id and aliases by full name (`alias/...`), with all-or-nothing changes. */
export class KeyStore {
  readonly keys = new Map<string, KeyRecord>();
  readonly aliases = new Map<string, AliasRecord>();

  private constructor(private readonly stateFile: string | undefined) {}

  /** An empty store that never touches the disk. */
  static inMemory(): KeyStore {
    return new KeyStore(undefined);
  }

  /**
   * Opens `stateFile`, creating its directory if needed; a missing file means no keys yet. A file that cannot be
   * read as emulator state is an error rather than a fresh start, because overwriting it would destroy the only
   * copy of keys that existing ciphertexts depend on.
   */
  static open(stateFile: string): KeyStore {
    const store = new KeyStore(stateFile);
    mkdirSync(dirname(stateFile), { recursive: true, mode: 0o700 });
    let text: string;
    try {
      text = readFileSync(stateFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return store;
      throw new Error(`KMS emulator: cannot read state file ${stateFile}: ${(error as Error).message}`);
    }
    try {
      store.restore(text);
    } catch (error) {
      throw new Error(
        `KMS emulator: state file ${stateFile} is not valid emulator state (${(error as Error).message}); ` +
          'move it aside to start with no keys',
      );
    }
    // It may have been created or copied with a looser mode; it holds key material.
    chmodSync(stateFile, 0o600);
    return store;
  }

  /**
   * Runs `change` against the live maps and persists the result. If `change` throws or the write fails, the maps
   * are put back as they were, so memory never holds keys the file lacks (they would vanish on restart along
   * with everything encrypted under them).
   */
  mutate<T>(change: () => T): T {
    const before = this.serialize();
    try {
      const result = change();
      this.persist();
      return result;
    } catch (error) {
      this.restore(before);
      if (error instanceof KmsError) throw error;
      throw new KmsError('KMSInternalException', `KMS emulator could not save its state: ${(error as Error).message}`);
    }
  }

  private persist(): void {
    if (this.stateFile === undefined) return;
    const temp = join(dirname(this.stateFile), `.${basename(this.stateFile)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const fd = openSync(temp, 'wx', 0o600);
      try {
        writeSync(fd, this.serialize());
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.stateFile);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }

  private serialize(): string {
    const state: StateFileV1 = {
      format: FORMAT,
      version: VERSION,
      keys: [...this.keys.values()].map((key) => ({ ...key, material: key.material.toString('base64') })),
      aliases: [...this.aliases.values()],
    };
    return `${JSON.stringify(state, null, 2)}\n`;
  }

  /** Replaces the maps with the state in `text`, checking it thoroughly first; throws on anything unexpected. */
  private restore(text: string): void {
    const state = JSON.parse(text) as Partial<StateFileV1>;
    if (state?.format !== FORMAT || state.version !== VERSION) {
      throw new Error(`expected format "${FORMAT}" version ${VERSION}`);
    }
    if (!Array.isArray(state.keys) || !Array.isArray(state.aliases)) throw new Error('expected "keys" and "aliases" arrays');
    const keys = state.keys.map(parseKey);
    const ids = new Set(keys.map((key) => key.keyId));
    const aliases = state.aliases.map((alias) => parseAlias(alias, ids));
    this.keys.clear();
    this.aliases.clear();
    for (const key of keys) this.keys.set(key.keyId, key);
    for (const alias of aliases) this.aliases.set(alias.aliasName, alias);
  }
}

function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function parseKey(raw: StateFileV1['keys'][number]): KeyRecord {
  const id = typeof raw?.keyId === 'string' ? raw.keyId : '?';
  const fail = (what: string): never => {
    throw new Error(`key ${id}: ${what}`);
  };
  if (!UUID.test(id)) fail('keyId is not a key id');
  const symmetric = (SYMMETRIC_KEY_SPECS as readonly string[]).includes(raw.keySpec);
  const hmac = (HMAC_KEY_SPECS as readonly string[]).includes(raw.keySpec);
  if (!symmetric && !hmac) fail(`unsupported keySpec ${String(raw.keySpec)}`);
  if (raw.keyUsage !== (symmetric ? 'ENCRYPT_DECRYPT' : 'GENERATE_VERIFY_MAC')) fail(`keyUsage ${String(raw.keyUsage)} does not fit ${raw.keySpec}`);
  if (!['Enabled', 'Disabled', 'PendingDeletion'].includes(raw.state)) fail(`unknown state ${String(raw.state)}`);
  if (raw.state === 'PendingDeletion' && !isTimestamp(raw.deletionDate)) fail('PendingDeletion without a deletionDate');
  if (typeof raw.description !== 'string' || !isTimestamp(raw.createdAt)) fail('bad description or createdAt');
  if (typeof raw.material !== 'string') fail('material missing');
  const material = Buffer.from(raw.material, 'base64');
  if (material.length !== MATERIAL_BYTES[raw.keySpec]) fail(`material is ${material.length} bytes, expected ${MATERIAL_BYTES[raw.keySpec]}`);
  const tags = Array.isArray(raw.tags) ? raw.tags : fail('tags is not a list');
  for (const tag of tags) if (typeof tag?.TagKey !== 'string' || typeof tag.TagValue !== 'string') fail('bad tag');
  if (raw.rotation !== undefined && (!Number.isInteger(raw.rotation?.periodInDays) || !isTimestamp(raw.rotation?.enabledAt))) {
    fail('bad rotation');
  }
  return {
    keyId: id,
    keySpec: raw.keySpec,
    keyUsage: raw.keyUsage,
    description: raw.description,
    createdAt: raw.createdAt,
    state: raw.state,
    deletionDate: raw.state === 'PendingDeletion' ? raw.deletionDate : undefined,
    pendingWindowInDays: raw.state === 'PendingDeletion' ? raw.pendingWindowInDays : undefined,
    rotation: raw.rotation && { periodInDays: raw.rotation.periodInDays, enabledAt: raw.rotation.enabledAt },
    material,
    tags: tags.map(({ TagKey, TagValue }) => ({ TagKey, TagValue })),
  };
}

function parseAlias(raw: AliasRecord, keyIds: ReadonlySet<string>): AliasRecord {
  if (typeof raw?.aliasName !== 'string' || !raw.aliasName.startsWith('alias/')) throw new Error('alias without an alias/ name');
  if (!keyIds.has(raw.targetKeyId)) throw new Error(`alias ${raw.aliasName} points at unknown key ${String(raw.targetKeyId)}`);
  if (!isTimestamp(raw.createdAt) || !isTimestamp(raw.updatedAt)) throw new Error(`alias ${raw.aliasName}: bad dates`);
  return { aliasName: raw.aliasName, targetKeyId: raw.targetKeyId, createdAt: raw.createdAt, updatedAt: raw.updatedAt };
}
