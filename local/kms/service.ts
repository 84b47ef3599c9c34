/**
 * The KMS operations the emulator implements, independent of HTTP: a request body in, a response body out, or a
 * KmsError. Shapes follow the AWS KMS API reference member for member, so code tested here behaves the same way
 * against KMS, including the failures (wrong context, wrong key, disabled or pending-deletion keys).
 *
 * Crypto is real: AES-256-GCM under per-key random material with the encryption context as AAD, and real HMAC.
 * The ciphertext format is the emulator's own; ciphertexts from real KMS cannot be decrypted here, nor the reverse.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { KmsError, validationError } from './errors';
import { RequestInput } from './input';
import {
  HMAC_KEY_SPECS,
  MATERIAL_BYTES,
  SYMMETRIC_KEY_SPECS,
  type EmulatedKeySpec,
  type EmulatedKeyUsage,
  type HmacKeySpec,
  type KeyRecord,
  type KeyStore,
} from './state';

/** Every KMS key spec, so an unimplemented one is told apart from a typo (Unsupported vs Validation). */
const ALL_KEY_SPECS = [
  'ECC_NIST_EDWARDS25519', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
  'ML_KEM_1024', 'ML_KEM_512', 'ML_KEM_768', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2', 'SYMMETRIC_DEFAULT',
] as const;
const ALL_KEY_USAGES = ['ENCAPSULATE_DECAPSULATE', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'SIGN_VERIFY'] as const;
const ALL_ORIGINS = ['AWS_CLOUDHSM', 'AWS_KMS', 'EXTERNAL', 'EXTERNAL_KEY_STORE'] as const;
const ENCRYPTION_ALGORITHMS = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE', 'SYMMETRIC_DEFAULT'] as const;
const MAC_ALGORITHMS = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const;
const DATA_KEY_BYTES = { AES_128: 16, AES_256: 32 } as const;

type MacAlgorithm = (typeof MAC_ALGORITHMS)[number];
const MAC_FOR_SPEC: Readonly<Record<HmacKeySpec, MacAlgorithm>> = {
  HMAC_224: 'HMAC_SHA_224',
  HMAC_256: 'HMAC_SHA_256',
  HMAC_384: 'HMAC_SHA_384',
  HMAC_512: 'HMAC_SHA_512',
};
const DIGEST: Readonly<Record<MacAlgorithm, string>> = {
  HMAC_SHA_224: 'sha224',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY_MS = 86_400_000;

// Ciphertext blob: version (1) | key id as 16 raw bytes | IV (12) | GCM tag (16) | ciphertext.
// The version and key id are authenticated too, so a blob relabelled to another key fails like any other tampering.
const BLOB_VERSION = 0x01;
const HEADER_BYTES = 1 + 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_CIPHERTEXT_BLOB = 6144;

/** Settings the service needs to mint ARNs, and a clock so deletion windows can be tested without waiting. */
export interface KmsServiceOptions {
  readonly region: string;
  readonly accountId: string;
  /** Epoch milliseconds; defaults to Date.now. */
  readonly now?: () => number;
}

type Body = Record<string, unknown>;
interface Operation {
  readonly run: (input: RequestInput) => Body;
  /** Runs inside a store transaction: persisted on success, rolled back on any error. */
  readonly mutates?: boolean;
}

const b64 = (bytes: Buffer): string => bytes.toString('base64');
const seconds = (epochMs: number): number => epochMs / 1000;

/** Sorted so the same context always yields the same AAD, whatever order the client serialised it in. */
function canonicalContext(context: Record<string, string>): Buffer {
  const entries = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

function keyIdBytes(keyId: string): Buffer {
  return Buffer.from(keyId.replaceAll('-', ''), 'hex');
}

function keyIdFromBytes(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface ParsedBlob {
  readonly keyId: string;
  readonly header: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

function parseBlob(blob: Buffer): ParsedBlob | undefined {
  if (blob.length <= HEADER_BYTES + IV_BYTES + TAG_BYTES || blob[0] !== BLOB_VERSION) return undefined;
  return {
    keyId: keyIdFromBytes(blob.subarray(1, HEADER_BYTES)),
    header: blob.subarray(0, HEADER_BYTES),
    iv: blob.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES),
    tag: blob.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + TAG_BYTES),
    ciphertext: blob.subarray(HEADER_BYTES + IV_BYTES + TAG_BYTES),
  };
}

function seal(key: KeyRecord, plaintext: Buffer, context: Record<string, string>): Buffer {
  const header = Buffer.concat([Buffer.of(BLOB_VERSION), keyIdBytes(key.keyId)]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.material, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([header, canonicalContext(context)]));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]);
}

function open(key: KeyRecord, blob: ParsedBlob, context: Record<string, string>): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.material, blob.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.concat([blob.header, canonicalContext(context)]));
    decipher.setAuthTag(blob.tag);
    return Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]);
  } catch {
    // KMS does not say whether the blob or the context was wrong; neither do we.
    throw new KmsError('InvalidCiphertextException', 'The ciphertext is invalid or does not match the encryption context.');
  }
}

const isHmacSpec = (spec: string): spec is HmacKeySpec => (HMAC_KEY_SPECS as readonly string[]).includes(spec);
const isSymmetricSpec = (spec: string): spec is 'SYMMETRIC_DEFAULT' => (SYMMETRIC_KEY_SPECS as readonly string[]).includes(spec);

/** A page of `items` by KMS's Limit/Marker convention; the marker is opaque to clients. */
function paginate<T>(items: readonly T[], input: RequestInput, limits: { max: number; fallback: number }) {
  const limit = input.optionalInteger('Limit', { min: 1, max: limits.max }) ?? limits.fallback;
  const marker = input.optionalString('Marker', { min: 1, max: 1024 });
  let start = 0;
  if (marker !== undefined) {
    const decoded = Buffer.from(marker, 'base64url').toString('utf8');
    start = /^\d{1,9}$/.test(decoded) ? Number(decoded) : -1;
    if (start < 0 || start > items.length) throw new KmsError('InvalidMarkerException', 'The marker is not valid.');
  }
  const end = start + limit;
  const truncated = end < items.length;
  return {
    page: items.slice(start, end),
    Truncated: truncated,
    NextMarker: truncated ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined,
  };
}

/** The emulated KMS of one account and region, over one KeyStore. */
export class KmsService {
  private readonly region: string;
  private readonly accountId: string;
  private readonly now: () => number;
  private readonly operations: Readonly<Record<string, Operation>>;

  constructor(
    private readonly store: KeyStore,
    options: KmsServiceOptions,
  ) {
    this.region = options.region;
    this.accountId = options.accountId;
    this.now = options.now ?? Date.now;
    this.operations = {
      CreateKey: { run: (i) => this.createKey(i), mutates: true },
      DescribeKey: { run: (i) => ({ KeyMetadata: this.metadata(this.resolveKey(i.string('KeyId', { min: 1, max: 2048 }), true)) }) },
      ListKeys: { run: (i) => this.listKeys(i) },
      ListResourceTags: { run: (i) => this.listResourceTags(i) },
      CreateAlias: { run: (i) => this.createAlias(i), mutates: true },
      UpdateAlias: { run: (i) => this.updateAlias(i), mutates: true },
      DeleteAlias: { run: (i) => this.deleteAlias(i), mutates: true },
      ListAliases: { run: (i) => this.listAliases(i) },
      EnableKey: { run: (i) => this.setEnabled(i, true), mutates: true },
      DisableKey: { run: (i) => this.setEnabled(i, false), mutates: true },
      EnableKeyRotation: { run: (i) => this.setRotation(i, true), mutates: true },
      DisableKeyRotation: { run: (i) => this.setRotation(i, false), mutates: true },
      GetKeyRotationStatus: { run: (i) => this.getKeyRotationStatus(i) },
      ScheduleKeyDeletion: { run: (i) => this.scheduleKeyDeletion(i), mutates: true },
      CancelKeyDeletion: { run: (i) => this.cancelKeyDeletion(i), mutates: true },
      Encrypt: { run: (i) => this.encrypt(i) },
      Decrypt: { run: (i) => this.decrypt(i) },
      ReEncrypt: { run: (i) => this.reEncrypt(i) },
      GenerateDataKey: { run: (i) => this.generateDataKey(i, true) },
      GenerateDataKeyWithoutPlaintext: { run: (i) => this.generateDataKey(i, false) },
      GenerateMac: { run: (i) => this.generateMac(i) },
      VerifyMac: { run: (i) => this.verifyMac(i) },
      GenerateRandom: { run: (i) => this.generateRandom(i) },
    };
  }

  /** The operation names this service answers, for error messages and docs. */
  get operationNames(): string[] {
    return Object.keys(this.operations);
  }

  /** Runs one operation. Throws KmsError for every failure a client can cause. */
  handle(operation: string, body: Body): Body {
    if (!Object.hasOwn(this.operations, operation)) {
      throw new KmsError(
        'UnsupportedOperationException',
        `Operation ${operation} is not supported by the local KMS emulator (it implements ${this.operationNames.join(', ')}).`,
      );
    }
    this.purgeDeletedKeys();
    const { run, mutates } = this.operations[operation];
    const input = new RequestInput(body);
    return mutates ? this.store.mutate(() => run(input)) : run(input);
  }

  // ---------------------------------------------------------------------------------------------- key references

  private keyArn(keyId: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:key/${keyId}`;
  }

  private aliasArn(aliasName: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:${aliasName}`;
  }

  /**
   * Finds the key a KeyId-style member names: key id, key ARN, and (where the operation allows it, as KMS does
   * for the cryptographic operations and DescribeKey) `alias/name` or an alias ARN. ARNs of another region or
   * account name keys that do not exist here.
   */
  private resolveKey(reference: string, allowAlias: boolean): KeyRecord {
    let resource = reference;
    if (reference.startsWith('arn:')) {
      const match = /^arn:aws:kms:([^:]+):([^:]+):((?:key|alias)\/.+)$/.exec(reference);
      if (!match) throw new KmsError('NotFoundException', `Invalid arn ${reference}`);
      if (match[1] !== this.region || match[2] !== this.accountId) {
        throw new KmsError('NotFoundException', `${reference} does not exist in account ${this.accountId}, region ${this.region}.`);
      }
      resource = match[3];
      if (resource.startsWith('key/')) resource = resource.slice('key/'.length);
    }
    if (resource.startsWith('alias/')) {
      if (!allowAlias) {
        throw new KmsError('NotFoundException', `Invalid keyId ${reference}: this operation takes a key ID or key ARN, not an alias.`);
      }
      const alias = this.store.aliases.get(resource);
      if (!alias) throw new KmsError('NotFoundException', `Alias ${this.aliasArn(resource)} is not found.`);
      return this.store.keys.get(alias.targetKeyId)!;
    }
    if (!KEY_ID.test(resource)) throw new KmsError('NotFoundException', `Invalid keyId ${reference}`);
    const key = this.store.keys.get(resource);
    if (!key) throw new KmsError('NotFoundException', `Key '${this.keyArn(resource)}' does not exist`);
    return key;
  }

  /** The gate in front of every cryptographic use: right usage, and a key that is Enabled. */
  private usable(key: KeyRecord, usage: EmulatedKeyUsage, operation: string): KeyRecord {
    const arn = this.keyArn(key.keyId);
    if (key.state === 'PendingDeletion') throw new KmsError('KMSInvalidStateException', `${arn} is pending deletion.`);
    if (key.state === 'Disabled') throw new KmsError('DisabledException', `${arn} is disabled.`);
    if (key.keyUsage !== usage) {
      throw new KmsError('InvalidKeyUsageException', `${arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`);
    }
    return key;
  }

  /** Management calls that KMS refuses on a key scheduled for deletion. */
  private notPendingDeletion(key: KeyRecord): void {
    if (key.state === 'PendingDeletion') {
      throw new KmsError('KMSInvalidStateException', `${this.keyArn(key.keyId)} is pending deletion.`);
    }
  }

  /** Keys whose waiting period is over are gone for good, with their aliases, as in KMS. */
  private purgeDeletedKeys(): void {
    const now = this.now();
    const expired = [...this.store.keys.values()].filter((key) => key.state === 'PendingDeletion' && key.deletionDate! <= now);
    if (expired.length === 0) return;
    this.store.mutate(() => {
      for (const key of expired) {
        this.store.keys.delete(key.keyId);
        for (const alias of [...this.store.aliases.values()]) {
          if (alias.targetKeyId === key.keyId) this.store.aliases.delete(alias.aliasName);
        }
      }
    });
  }

  private dryRun(input: RequestInput): void {
    if (input.optionalBoolean('DryRun') === true) {
      throw new KmsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
    }
  }

  private static unsupported(input: RequestInput, members: readonly string[]): void {
    for (const member of members) {
      if (input.has(member)) {
        throw new KmsError('UnsupportedOperationException', `${member} is not supported by the local KMS emulator.`);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- keys

  private metadata(key: KeyRecord): Body {
    return {
      AWSAccountId: this.accountId,
      KeyId: key.keyId,
      Arn: this.keyArn(key.keyId),
      CreationDate: seconds(key.createdAt),
      Enabled: key.state === 'Enabled',
      Description: key.description,
      KeyUsage: key.keyUsage,
      KeyState: key.state,
      DeletionDate: key.state === 'PendingDeletion' ? seconds(key.deletionDate!) : undefined,
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: key.keySpec,
      KeySpec: key.keySpec,
      EncryptionAlgorithms: isSymmetricSpec(key.keySpec) ? ['SYMMETRIC_DEFAULT'] : undefined,
      MacAlgorithms: isHmacSpec(key.keySpec) ? [MAC_FOR_SPEC[key.keySpec]] : undefined,
      MultiRegion: false,
    };
  }

  private createKey(input: RequestInput): Body {
    input.optionalString('Policy', { min: 1, max: 32768 }); // accepted and ignored: the emulator has no IAM
    input.optionalBoolean('BypassPolicyLockoutSafetyCheck');
    const description = input.optionalString('Description', { min: 0, max: 8192 }) ?? '';
    const keySpec = input.optionalEnum('KeySpec', ALL_KEY_SPECS);
    const legacySpec = input.optionalEnum('CustomerMasterKeySpec', ALL_KEY_SPECS);
    if (keySpec !== undefined && legacySpec !== undefined) {
      throw new KmsError('ValidationException', 'You cannot specify KeySpec and CustomerMasterKeySpec in the same request.');
    }
    const spec = keySpec ?? legacySpec ?? 'SYMMETRIC_DEFAULT';
    const usage = input.optionalEnum('KeyUsage', ALL_KEY_USAGES) ?? 'ENCRYPT_DECRYPT';
    const origin = input.optionalEnum('Origin', ALL_ORIGINS) ?? 'AWS_KMS';
    const tags = input.tags('Tags');
    KmsService.unsupported(input, ['CustomKeyStoreId', 'XksKeyId']);
    if (input.optionalBoolean('MultiRegion') === true) {
      throw new KmsError('UnsupportedOperationException', 'Multi-Region keys are not supported by the local KMS emulator.');
    }
    if (origin !== 'AWS_KMS') {
      throw new KmsError('UnsupportedOperationException', `Origin ${origin} is not supported by the local KMS emulator (only AWS_KMS).`);
    }
    if (!isSymmetricSpec(spec) && !isHmacSpec(spec)) {
      throw new KmsError(
        'UnsupportedOperationException',
        `KeySpec ${spec} is not supported by the local KMS emulator (it implements SYMMETRIC_DEFAULT and ${HMAC_KEY_SPECS.join(', ')}).`,
      );
    }
    const expectedUsage: EmulatedKeyUsage = isSymmetricSpec(spec) ? 'ENCRYPT_DECRYPT' : 'GENERATE_VERIFY_MAC';
    if (usage !== expectedUsage) {
      throw new KmsError('ValidationException', `KeyUsage ${usage} is not compatible with KeySpec ${spec}.`);
    }
    const key: KeyRecord = {
      keyId: randomUUID(),
      keySpec: spec satisfies EmulatedKeySpec,
      keyUsage: expectedUsage,
      description,
      createdAt: this.now(),
      state: 'Enabled',
      material: randomBytes(MATERIAL_BYTES[spec]),
      tags,
    };
    this.store.keys.set(key.keyId, key);
    return { KeyMetadata: this.metadata(key) };
  }

  private listKeys(input: RequestInput): Body {
    const { page, Truncated, NextMarker } = paginate([...this.store.keys.values()], input, { max: 1000, fallback: 100 });
    return { Keys: page.map((key) => ({ KeyId: key.keyId, KeyArn: this.keyArn(key.keyId) })), Truncated, NextMarker };
  }

  private listResourceTags(input: RequestInput): Body {
    const key = this.resolveKey(input.string('KeyId', { min: 1, max: 2048 }), false);
    const { page, Truncated, NextMarker } = paginate(key.tags, input, { max: 50, fallback: 50 });
    return { Tags: page, Truncated, NextMarker };
  }

  private setEnabled(input: RequestInput, enabled: boolean): Body {
    const key = this.resolveKey(input.string('KeyId', { min: 1, max: 2048 }), false);
    this.notPendingDeletion(key);
    key.state = enabled ? 'Enabled' : 'Disabled';
    return {};
  }

  private rotationKey(input: RequestInput): KeyRecord {
    const key = this.resolveKey(input.string('KeyId', { min: 1, max: 2048 }), false);
    if (!isSymmetricSpec(key.keySpec)) {
      throw new KmsError('UnsupportedOperationException', `${this.keyArn(key.keyId)} key spec ${key.keySpec} does not support automatic rotation.`);
    }
    return key;
  }

  private setRotation(input: RequestInput, enabled: boolean): Body {
    const key = this.rotationKey(input);
    const periodInDays = enabled ? (input.optionalInteger('RotationPeriodInDays', { min: 90, max: 2560 }) ?? 365) : 0;
    this.notPendingDeletion(key);
    if (key.state === 'Disabled') throw new KmsError('DisabledException', `${this.keyArn(key.keyId)} is disabled.`);
    key.rotation = enabled ? { periodInDays, enabledAt: key.rotation?.enabledAt ?? this.now() } : undefined;
    return {};
  }

  private getKeyRotationStatus(input: RequestInput): Body {
    const key = this.rotationKey(input);
    // While pending deletion KMS reports rotation off, and restores the setting if deletion is cancelled.
    const rotation = key.state === 'PendingDeletion' ? undefined : key.rotation;
    if (!rotation) return { KeyRotationEnabled: false, KeyId: this.keyArn(key.keyId) };
    const period = rotation.periodInDays * DAY_MS;
    const elapsedPeriods = Math.floor(Math.max(0, this.now() - rotation.enabledAt) / period);
    return {
      KeyRotationEnabled: true,
      KeyId: this.keyArn(key.keyId),
      RotationPeriodInDays: rotation.periodInDays,
      NextRotationDate: seconds(rotation.enabledAt + (elapsedPeriods + 1) * period),
    };
  }

  private scheduleKeyDeletion(input: RequestInput): Body {
    const key = this.resolveKey(input.string('KeyId', { min: 1, max: 2048 }), false);
    const window = input.optionalInteger('PendingWindowInDays', { min: 7, max: 30 }) ?? 30;
    this.notPendingDeletion(key);
    key.state = 'PendingDeletion';
    key.deletionDate = this.now() + window * DAY_MS;
    key.pendingWindowInDays = window;
    return { KeyId: this.keyArn(key.keyId), DeletionDate: seconds(key.deletionDate), KeyState: key.state, PendingWindowInDays: window };
  }

  private cancelKeyDeletion(input: RequestInput): Body {
    const key = this.resolveKey(input.string('KeyId', { min: 1, max: 2048 }), false);
    if (key.state !== 'PendingDeletion') {
      throw new KmsError('KMSInvalidStateException', `${this.keyArn(key.keyId)} is ${key.state}, not pending deletion.`);
    }
    // KMS brings a rescued key back disabled, so nothing uses it again by accident.
    key.state = 'Disabled';
    key.deletionDate = undefined;
    key.pendingWindowInDays = undefined;
    return { KeyId: this.keyArn(key.keyId) };
  }

  // ---------------------------------------------------------------------------------------------- aliases

  private aliasName(input: RequestInput): string {
    const name = input.string('AliasName', { min: 1, max: 256 });
    if (!/^[a-zA-Z0-9:/_-]+$/.test(name)) {
      throw validationError('aliasName', 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$');
    }
    if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(name)) {
      throw new KmsError('InvalidAliasNameException', `Alias name ${name} must begin with alias/ and contain only [a-zA-Z0-9/_-].`);
    }
    if (name.startsWith('alias/aws/')) {
      throw new KmsError('InvalidAliasNameException', 'Alias names that begin with alias/aws/ are reserved for AWS managed keys.');
    }
    return name;
  }

  private aliasTarget(input: RequestInput): KeyRecord {
    const key = this.resolveKey(input.string('TargetKeyId', { min: 1, max: 2048 }), false);
    this.notPendingDeletion(key);
    return key;
  }

  private createAlias(input: RequestInput): Body {
    const name = this.aliasName(input);
    const key = this.aliasTarget(input);
    if (this.store.aliases.has(name)) {
      throw new KmsError('AlreadyExistsException', `An alias with the name ${this.aliasArn(name)} already exists`);
    }
    const now = this.now();
    this.store.aliases.set(name, { aliasName: name, targetKeyId: key.keyId, createdAt: now, updatedAt: now });
    return {};
  }

  private updateAlias(input: RequestInput): Body {
    const name = this.aliasName(input);
    const key = this.aliasTarget(input);
    const alias = this.store.aliases.get(name);
    if (!alias) throw new KmsError('NotFoundException', `Alias ${this.aliasArn(name)} is not found.`);
    const current = this.store.keys.get(alias.targetKeyId)!;
    // An alias may move only between keys of the same kind, or code using it would suddenly break.
    if (current.keyUsage !== key.keyUsage || current.keySpec !== key.keySpec) {
      throw new KmsError('ValidationException', `${this.keyArn(key.keyId)} is not the same type of key as the alias's current target.`);
    }
    alias.targetKeyId = key.keyId;
    alias.updatedAt = this.now();
    return {};
  }

  private deleteAlias(input: RequestInput): Body {
    const name = this.aliasName(input);
    if (!this.store.aliases.delete(name)) throw new KmsError('NotFoundException', `Alias ${this.aliasArn(name)} is not found.`);
    return {};
  }

  private listAliases(input: RequestInput): Body {
    const keyRef = input.optionalString('KeyId', { min: 1, max: 2048 });
    const keyId = keyRef === undefined ? undefined : this.resolveKey(keyRef, false).keyId;
    const aliases = [...this.store.aliases.values()]
      .filter((alias) => keyId === undefined || alias.targetKeyId === keyId)
      .sort((a, b) => (a.aliasName < b.aliasName ? -1 : 1));
    const { page, Truncated, NextMarker } = paginate(aliases, input, { max: 100, fallback: 50 });
    return {
      Aliases: page.map((alias) => ({
        AliasName: alias.aliasName,
        AliasArn: this.aliasArn(alias.aliasName),
        TargetKeyId: alias.targetKeyId,
        CreationDate: seconds(alias.createdAt),
        LastUpdatedDate: seconds(alias.updatedAt),
      })),
      Truncated,
      NextMarker,
    };
  }

  // ---------------------------------------------------------------------------------------------- cryptography

  private encryptionKey(input: RequestInput, member: string, operation: string): KeyRecord {
    return this.usable(this.resolveKey(input.string(member, { min: 1, max: 2048 }), true), 'ENCRYPT_DECRYPT', operation);
  }

  /** Symmetric keys support only SYMMETRIC_DEFAULT; the RSA/SM2 names are valid KMS values for other keys. */
  private encryptionAlgorithm(input: RequestInput, member: string, key: KeyRecord | undefined): 'SYMMETRIC_DEFAULT' {
    const algorithm = input.optionalEnum(member, ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
    if (algorithm !== 'SYMMETRIC_DEFAULT') {
      const which = key ? this.keyArn(key.keyId) : 'A symmetric key';
      throw new KmsError('InvalidKeyUsageException', `${which} does not support encryption algorithm ${algorithm}.`);
    }
    return algorithm;
  }

  /**
   * Opens a ciphertext blob. The blob names its key, so KeyId is optional; if given, it must name that same key
   * (IncorrectKeyException otherwise, as KMS answers).
   */
  private unseal(
    input: RequestInput,
    members: { blob: string; context: string; keyId: string; algorithm: string },
    operation: string,
  ): { key: KeyRecord; plaintext: Buffer; algorithm: 'SYMMETRIC_DEFAULT' } {
    const blob = input.blob(members.blob, { min: 1, max: MAX_CIPHERTEXT_BLOB });
    const context = input.encryptionContext(members.context);
    const keyRef = input.optionalString(members.keyId, { min: 1, max: 2048 });
    const requested = keyRef === undefined ? undefined : this.usable(this.resolveKey(keyRef, true), 'ENCRYPT_DECRYPT', operation);
    const algorithm = this.encryptionAlgorithm(input, members.algorithm, requested);
    const parsed = parseBlob(blob);
    if (!parsed) throw new KmsError('InvalidCiphertextException', 'The ciphertext is not a ciphertext blob from this emulator.');
    if (requested && requested.keyId !== parsed.keyId) {
      throw new KmsError(
        'IncorrectKeyException',
        `The key ${this.keyArn(requested.keyId)} cannot decrypt this ciphertext; it was encrypted under another key.`,
      );
    }
    const embedded = this.store.keys.get(parsed.keyId);
    if (!embedded) {
      throw new KmsError('InvalidCiphertextException', `The ciphertext names key ${parsed.keyId}, which does not exist in this emulator.`);
    }
    const key = this.usable(embedded, 'ENCRYPT_DECRYPT', operation);
    return { key, plaintext: open(key, parsed, context), algorithm };
  }

  private encrypt(input: RequestInput): Body {
    const key = this.encryptionKey(input, 'KeyId', 'Encrypt');
    const plaintext = input.blob('Plaintext', { min: 1, max: 4096 });
    const context = input.encryptionContext('EncryptionContext');
    const algorithm = this.encryptionAlgorithm(input, 'EncryptionAlgorithm', key);
    this.dryRun(input);
    return { CiphertextBlob: b64(seal(key, plaintext, context)), KeyId: this.keyArn(key.keyId), EncryptionAlgorithm: algorithm };
  }

  private decrypt(input: RequestInput): Body {
    KmsService.unsupported(input, ['Recipient']);
    const { key, plaintext, algorithm } = this.unseal(
      input,
      { blob: 'CiphertextBlob', context: 'EncryptionContext', keyId: 'KeyId', algorithm: 'EncryptionAlgorithm' },
      'Decrypt',
    );
    this.dryRun(input);
    return { KeyId: this.keyArn(key.keyId), Plaintext: b64(plaintext), EncryptionAlgorithm: algorithm };
  }

  private reEncrypt(input: RequestInput): Body {
    const source = this.unseal(
      input,
      { blob: 'CiphertextBlob', context: 'SourceEncryptionContext', keyId: 'SourceKeyId', algorithm: 'SourceEncryptionAlgorithm' },
      'ReEncrypt',
    );
    const destination = this.encryptionKey(input, 'DestinationKeyId', 'ReEncrypt');
    const destinationAlgorithm = this.encryptionAlgorithm(input, 'DestinationEncryptionAlgorithm', destination);
    const context = input.encryptionContext('DestinationEncryptionContext');
    this.dryRun(input);
    return {
      CiphertextBlob: b64(seal(destination, source.plaintext, context)),
      SourceKeyId: this.keyArn(source.key.keyId),
      KeyId: this.keyArn(destination.keyId),
      SourceEncryptionAlgorithm: source.algorithm,
      DestinationEncryptionAlgorithm: destinationAlgorithm,
    };
  }

  private generateDataKey(input: RequestInput, withPlaintext: boolean): Body {
    const operation = withPlaintext ? 'GenerateDataKey' : 'GenerateDataKeyWithoutPlaintext';
    if (withPlaintext) KmsService.unsupported(input, ['Recipient']);
    const key = this.encryptionKey(input, 'KeyId', operation);
    const context = input.encryptionContext('EncryptionContext');
    const keySpec = input.optionalEnum('KeySpec', ['AES_256', 'AES_128'] as const);
    const numberOfBytes = input.optionalInteger('NumberOfBytes', { min: 1, max: 1024 });
    if ((keySpec === undefined) === (numberOfBytes === undefined)) {
      throw new KmsError('ValidationException', 'Specify either KeySpec or NumberOfBytes, but not both.');
    }
    this.dryRun(input);
    const plaintext = randomBytes(numberOfBytes ?? DATA_KEY_BYTES[keySpec!]);
    return {
      CiphertextBlob: b64(seal(key, plaintext, context)),
      Plaintext: withPlaintext ? b64(plaintext) : undefined,
      KeyId: this.keyArn(key.keyId),
    };
  }

  private mac(input: RequestInput, operation: string): { key: KeyRecord; algorithm: MacAlgorithm; mac: Buffer } {
    const key = this.usable(this.resolveKey(input.string('KeyId', { min: 1, max: 2048 }), true), 'GENERATE_VERIFY_MAC', operation);
    const message = input.blob('Message', { min: 1, max: 4096 });
    const algorithm = input.enum('MacAlgorithm', MAC_ALGORITHMS);
    if (!isHmacSpec(key.keySpec) || MAC_FOR_SPEC[key.keySpec] !== algorithm) {
      throw new KmsError('InvalidKeyUsageException', `${this.keyArn(key.keyId)} (${key.keySpec}) does not support MAC algorithm ${algorithm}.`);
    }
    return { key, algorithm, mac: createHmac(DIGEST[algorithm], key.material).update(message).digest() };
  }

  private generateMac(input: RequestInput): Body {
    const { key, algorithm, mac } = this.mac(input, 'GenerateMac');
    this.dryRun(input);
    return { Mac: b64(mac), MacAlgorithm: algorithm, KeyId: this.keyArn(key.keyId) };
  }

  private verifyMac(input: RequestInput): Body {
    const { key, algorithm, mac } = this.mac(input, 'VerifyMac');
    const claimed = input.blob('Mac', { min: 1, max: 6144 });
    // Constant-time, like the service: a local emulator should not teach code to rely on a leaky comparison.
    if (claimed.length !== mac.length || !timingSafeEqual(claimed, mac)) {
      throw new KmsError('KMSInvalidMacException', 'The MAC is not valid for this message, key and MAC algorithm.');
    }
    this.dryRun(input);
    return { KeyId: this.keyArn(key.keyId), MacValid: true, MacAlgorithm: algorithm };
  }

  private generateRandom(input: RequestInput): Body {
    KmsService.unsupported(input, ['CustomKeyStoreId', 'Recipient']);
    const size = input.optionalInteger('NumberOfBytes', { min: 1, max: 1024 });
    if (size === undefined) throw validationError('numberOfBytes', 'Member must not be null');
    return { Plaintext: b64(randomBytes(size)) };
  }
}
