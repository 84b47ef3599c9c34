/**
 * The KMS emulator's service and store without HTTP: what needs a controlled clock (deletion windows) or a broken
 * disk (rollback) to observe.
 */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KmsError } from '../../local/kms/errors';
import { KmsService } from '../../local/kms/service';
import { KeyStore } from '../../local/kms/state';

const DAY = 86_400_000;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function errorOf(run: () => unknown): KmsError {
  try {
    run();
  } catch (error) {
    if (error instanceof KmsError) return error;
    throw error;
  }
  throw new Error('expected a KmsError, but the call succeeded');
}

describe('KmsService', () => {
  let now: number;
  let store: KeyStore;
  let kms: KmsService;

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    store = KeyStore.inMemory();
    kms = new KmsService(store, { region: 'eu-west-1', accountId: '000000000000', now: () => now });
  });

  const createKey = (body: Record<string, unknown> = {}) => (kms.handle('CreateKey', body).KeyMetadata as { KeyId: string; Arn: string });

  it('deletes a key and its aliases once the waiting period is over, not before', () => {
    const { KeyId } = createKey();
    kms.handle('CreateAlias', { AliasName: 'alias/doomed', TargetKeyId: KeyId });
    const blob = kms.handle('Encrypt', { KeyId, Plaintext: b64('x') }).CiphertextBlob;
    kms.handle('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 7 });

    now += 7 * DAY - 1;
    expect(kms.handle('DescribeKey', { KeyId: 'alias/doomed' })).toMatchObject({ KeyMetadata: { KeyState: 'PendingDeletion' } });

    now += 1;
    expect(errorOf(() => kms.handle('DescribeKey', { KeyId })).type).toBe('NotFoundException');
    expect(errorOf(() => kms.handle('DescribeKey', { KeyId: 'alias/doomed' })).type).toBe('NotFoundException');
    expect(kms.handle('ListAliases', {}).Aliases).toEqual([]);
    // Crypto-shredding, as on AWS: nothing can open the old ciphertext any more.
    expect(errorOf(() => kms.handle('Decrypt', { CiphertextBlob: blob })).type).toBe('InvalidCiphertextException');
  });

  it('refuses a deletion window outside 7..30 days and defaults to 30', () => {
    const { KeyId } = createKey();
    expect(errorOf(() => kms.handle('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 6 })).type).toBe('ValidationException');
    expect(errorOf(() => kms.handle('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 31 })).type).toBe('ValidationException');
    const scheduled = kms.handle('ScheduleKeyDeletion', { KeyId });
    expect(scheduled).toMatchObject({ PendingWindowInDays: 30, DeletionDate: (now + 30 * DAY) / 1000 });
    expect(errorOf(() => kms.handle('ScheduleKeyDeletion', { KeyId })).type).toBe('KMSInvalidStateException');
  });

  it('reports rotation as off while a key is pending deletion, and restores it on cancel', () => {
    const { KeyId } = createKey();
    kms.handle('EnableKeyRotation', { KeyId, RotationPeriodInDays: 90 });
    expect(kms.handle('GetKeyRotationStatus', { KeyId })).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
    kms.handle('ScheduleKeyDeletion', { KeyId });
    expect(kms.handle('GetKeyRotationStatus', { KeyId }).KeyRotationEnabled).toBe(false);
    kms.handle('CancelKeyDeletion', { KeyId });
    expect(kms.handle('GetKeyRotationStatus', { KeyId }).KeyRotationEnabled).toBe(true);
  });

  it('takes only key ids and key ARNs where KMS does, not aliases', () => {
    const { KeyId } = createKey();
    kms.handle('CreateAlias', { AliasName: 'alias/mgmt', TargetKeyId: KeyId });
    for (const operation of ['DisableKey', 'ScheduleKeyDeletion', 'EnableKeyRotation']) {
      expect(errorOf(() => kms.handle(operation, { KeyId: 'alias/mgmt' })).type).toBe('NotFoundException');
    }
    expect(errorOf(() => kms.handle('CreateAlias', { AliasName: 'alias/second', TargetKeyId: 'alias/mgmt' })).type).toBe('NotFoundException');
    expect(kms.handle('DescribeKey', { KeyId: 'alias/mgmt' })).toMatchObject({ KeyMetadata: { KeyState: 'Enabled' } });
  });

  it('refuses unimplemented key specs and origins as unsupported, and unknown ones as invalid', () => {
    expect(errorOf(() => createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })).type).toBe('UnsupportedOperationException');
    expect(errorOf(() => createKey({ Origin: 'EXTERNAL' })).type).toBe('UnsupportedOperationException');
    expect(errorOf(() => createKey({ KeySpec: 'AES_999' })).type).toBe('ValidationException');
    expect(kms.handle('ListKeys', {}).Keys).toEqual([]);
  });

  it('answers DryRun with DryRunOperationException after checking the request', () => {
    const { KeyId } = createKey();
    expect(errorOf(() => kms.handle('Encrypt', { KeyId, Plaintext: b64('x'), DryRun: true })).type).toBe('DryRunOperationException');
    kms.handle('DisableKey', { KeyId });
    expect(errorOf(() => kms.handle('Encrypt', { KeyId, Plaintext: b64('x'), DryRun: true })).type).toBe('DisabledException');
  });

  it('enforces KMS size limits on plaintext and data keys', () => {
    const { KeyId } = createKey();
    const tooBig = Buffer.alloc(4097).toString('base64');
    expect(errorOf(() => kms.handle('Encrypt', { KeyId, Plaintext: tooBig })).type).toBe('ValidationException');
    expect(errorOf(() => kms.handle('GenerateDataKey', { KeyId, NumberOfBytes: 1025 })).type).toBe('ValidationException');
    expect(errorOf(() => kms.handle('GenerateDataKey', { KeyId, NumberOfBytes: 32, KeySpec: 'AES_256' })).type).toBe('ValidationException');
  });

  it('rejects a forged pagination marker', () => {
    createKey();
    expect(errorOf(() => kms.handle('ListKeys', { Marker: 'bm90LWEtbnVtYmVy' })).type).toBe('InvalidMarkerException');
  });

  it('leaves no trace of a management call that failed part-way', () => {
    const { KeyId } = createKey();
    kms.handle('ScheduleKeyDeletion', { KeyId });
    expect(errorOf(() => kms.handle('CreateAlias', { AliasName: 'alias/late', TargetKeyId: KeyId })).type).toBe('KMSInvalidStateException');
    expect(store.aliases.size).toBe(0);
  });
});

describe('KeyStore state file', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fmn-kms-unit-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const serviceOver = (store: KeyStore) => new KmsService(store, { region: 'eu-west-1', accountId: '000000000000' });

  it('writes the file owner-only and reloads identical key material', () => {
    const file = join(dir, 'keys.json');
    const first = serviceOver(KeyStore.open(file));
    const { KeyId } = first.handle('CreateKey', {}).KeyMetadata as { KeyId: string };
    const blob = first.handle('Encrypt', { KeyId, Plaintext: b64('kept') }).CiphertextBlob;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['keys.json']);

    const reopened = serviceOver(KeyStore.open(file));
    expect(reopened.handle('Decrypt', { CiphertextBlob: blob }).Plaintext).toBe(b64('kept'));
  });

  it('tightens a state file found with a looser mode', () => {
    const file = join(dir, 'keys.json');
    serviceOver(KeyStore.open(file)).handle('CreateKey', {});
    chmodSync(file, 0o644);
    KeyStore.open(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses to start over a corrupt state file, and leaves it untouched', () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, '{"format": "something else"}');
    expect(() => KeyStore.open(file)).toThrow(/is not valid emulator state.*move it aside/);
    expect(readFileSync(file, 'utf8')).toBe('{"format": "something else"}');
    writeFileSync(file, 'not json at all');
    expect(() => KeyStore.open(file)).toThrow(/is not valid emulator state/);
  });

  it('refuses a state file whose key material has the wrong length', () => {
    const file = join(dir, 'keys.json');
    serviceOver(KeyStore.open(file)).handle('CreateKey', {});
    const state = JSON.parse(readFileSync(file, 'utf8'));
    state.keys[0].material = Buffer.alloc(16).toString('base64');
    writeFileSync(file, JSON.stringify(state));
    expect(() => KeyStore.open(file)).toThrow(/material is 16 bytes, expected 32/);
  });

  it('rolls memory back when the state cannot be written, so no key exists only in memory', () => {
    const stateDir = join(dir, 'state');
    const store = KeyStore.open(join(stateDir, 'keys.json'));
    const kms = serviceOver(store);
    // The directory vanishing makes the temp-file write fail.
    rmSync(stateDir, { recursive: true });
    const error = errorOf(() => kms.handle('CreateKey', {}));
    expect(error.type).toBe('KMSInternalException');
    expect(error.statusCode).toBe(500);
    expect(store.keys.size).toBe(0);
  });
});
