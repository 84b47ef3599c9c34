/**
 * The local KMS emulator, driven by the real @aws-sdk/client-kms over HTTP: what the handlers will see in dev and in
 * the other integration suites. Each assertion is about behaviour KMS has, so code that passes here should behave
 * the same against the real service.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  VerifyMacCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { startKmsEmulator, type RunningKmsEmulator } from '../../local/kms/kms-emulator';

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';

function clientFor(emulator: RunningKmsEmulator): KMSClient {
  return new KMSClient({
    endpoint: emulator.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // A failure must surface as the error the emulator sent, not be retried into a timeout.
    maxAttempts: 1,
  });
}

/** The rejection of `promise`, failing the test if it resolved. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** One raw JSON 1.1 call, for what the SDK cannot send (malformed bodies, unknown targets). */
async function rawCall(emulator: RunningKmsEmulator, target: string | undefined, body: string) {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (target !== undefined) headers['x-amz-target'] = target;
  const response = await fetch(`${emulator.endpoint}/`, { method: 'POST', headers, body });
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
}

describe('KMS emulator', () => {
  let emulator: RunningKmsEmulator;
  let kms: KMSClient;

  beforeAll(async () => {
    emulator = await startKmsEmulator({ port: 0 });
    kms = clientFor(emulator);
  });

  afterAll(async () => {
    kms?.destroy();
    await emulator?.close();
  });

  async function createKey(description = 'test key'): Promise<KeyMetadata> {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: description }));
    return KeyMetadata!;
  }

  async function createHmacKey(): Promise<KeyMetadata> {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }));
    return KeyMetadata!;
  }

  it('listens on loopback only, on the port it reports', () => {
    expect(emulator.endpoint).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.port).toBeGreaterThan(0);
  });

  describe('keys and aliases', () => {
    it('creates a symmetric key with the KMS metadata shape', async () => {
      const before = Date.now();
      const key = await createKey('subject data key');
      expect(key.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(key).toMatchObject({
        Arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${key.KeyId}`,
        AWSAccountId: ACCOUNT,
        Enabled: true,
        KeyState: 'Enabled',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        KeyManager: 'CUSTOMER',
        Origin: 'AWS_KMS',
        Description: 'subject data key',
      });
      // The SDK parsed the epoch-seconds timestamp into a Date.
      expect(key.CreationDate).toBeInstanceOf(Date);
      expect(key.CreationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(key.CreationDate!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('creates an HMAC key with its MAC algorithm', async () => {
      const key = await createHmacKey();
      expect(key).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', MacAlgorithms: ['HMAC_SHA_256'] });
      expect(key.EncryptionAlgorithms).toBeUndefined();
    });

    it('refuses an HMAC spec with the default (encryption) key usage', async () => {
      const error = await rejectionOf(kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256' })));
      expect(error.name).toBe('ValidationException');
    });

    it('describes a key by alias, alias ARN, key id and key ARN', async () => {
      const key = await createKey();
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/fmn/describe', TargetKeyId: key.KeyId }));
      for (const reference of ['alias/fmn/describe', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/fmn/describe`, key.KeyId!, key.Arn!]) {
        const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: reference }));
        expect(KeyMetadata?.KeyId).toBe(key.KeyId);
      }
    });

    it('lists aliases with their ARNs and targets, filtered by key', async () => {
      const key = await createKey();
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/fmn/listed', TargetKeyId: key.Arn }));
      const { Aliases } = await kms.send(new ListAliasesCommand({ KeyId: key.KeyId }));
      expect(Aliases).toEqual([
        expect.objectContaining({
          AliasName: 'alias/fmn/listed',
          AliasArn: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/fmn/listed`,
          TargetKeyId: key.KeyId,
          CreationDate: expect.any(Date),
        }),
      ]);
    });

    it('refuses a duplicate alias, and forgets a deleted one', async () => {
      const key = await createKey();
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/fmn/once', TargetKeyId: key.KeyId }));
      expect((await rejectionOf(kms.send(new CreateAliasCommand({ AliasName: 'alias/fmn/once', TargetKeyId: key.KeyId })))).name).toBe(
        'AlreadyExistsException',
      );
      await kms.send(new DeleteAliasCommand({ AliasName: 'alias/fmn/once' }));
      expect((await rejectionOf(kms.send(new DescribeKeyCommand({ KeyId: 'alias/fmn/once' })))).name).toBe('NotFoundException');
    });

    it('refuses reserved and malformed alias names', async () => {
      const key = await createKey();
      const reserved = await rejectionOf(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: key.KeyId })));
      expect(reserved.name).toBe('InvalidAliasNameException');
      const unprefixed = await rejectionOf(kms.send(new CreateAliasCommand({ AliasName: 'no-prefix', TargetKeyId: key.KeyId })));
      expect(unprefixed.name).toBe('InvalidAliasNameException');
    });

    it('answers NotFoundException for unknown keys, aliases and foreign ARNs', async () => {
      const key = await createKey();
      const references = [
        '00000000-0000-4000-8000-000000000000',
        'alias/fmn/missing',
        'not-a-key-id',
        key.Arn!.replace(`:${REGION}:`, ':us-east-1:'),
        key.Arn!.replace(`:${ACCOUNT}:`, ':111111111111:'),
      ];
      for (const reference of references) {
        const error = await rejectionOf(kms.send(new DescribeKeyCommand({ KeyId: reference })));
        expect({ reference, name: error.name }).toEqual({ reference, name: 'NotFoundException' });
        expect(error.$metadata?.httpStatusCode).toBe(400);
      }
    });

    it('pages through ListKeys with Limit and NextMarker', async () => {
      const created = new Set([(await createKey()).KeyId, (await createKey()).KeyId, (await createKey()).KeyId]);
      const seen: string[] = [];
      let marker: string | undefined;
      do {
        const page = await kms.send(new ListKeysCommand({ Limit: 2, Marker: marker }));
        expect(page.Keys!.length).toBeLessThanOrEqual(2);
        for (const entry of page.Keys!) {
          expect(entry.KeyArn).toBe(`arn:aws:kms:${REGION}:${ACCOUNT}:key/${entry.KeyId}`);
          seen.push(entry.KeyId!);
        }
        expect(page.Truncated).toBe(page.NextMarker !== undefined);
        marker = page.NextMarker;
      } while (marker);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of created) expect(seen).toContain(id);
    });

    it('keeps the rotation flag', async () => {
      const key = await createKey();
      expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).KeyRotationEnabled).toBe(false);
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }));
      const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.Arn }));
      expect(status).toMatchObject({ KeyRotationEnabled: true, KeyId: key.Arn, RotationPeriodInDays: 365 });
      expect(status.NextRotationDate!.getTime()).toBeGreaterThan(Date.now());
      const hmac = await createHmacKey();
      expect((await rejectionOf(kms.send(new EnableKeyRotationCommand({ KeyId: hmac.KeyId })))).name).toBe('UnsupportedOperationException');
    });
  });

  describe('encryption', () => {
    let key: KeyMetadata;
    beforeAll(async () => {
      key = await createKey();
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/fmn/crypto', TargetKeyId: key.KeyId }));
    });

    const plaintext = Buffer.from('jane@example.com', 'utf8');
    const context = { subjectId: 'subject-1', purpose: 'profile' };

    async function encrypt(encryptionContext: Record<string, string> = context): Promise<Uint8Array> {
      const { CiphertextBlob, KeyId, EncryptionAlgorithm } = await kms.send(
        new EncryptCommand({ KeyId: 'alias/fmn/crypto', Plaintext: plaintext, EncryptionContext: encryptionContext }),
      );
      expect(KeyId).toBe(key.Arn);
      expect(EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
      return CiphertextBlob!;
    }

    it('round-trips with an encryption context, with or without KeyId, whatever the context order', async () => {
      const blob = await encrypt();
      expect(Buffer.from(blob).includes(plaintext)).toBe(false);
      const reordered = { purpose: 'profile', subjectId: 'subject-1' };
      const withoutKeyId = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: reordered }));
      expect(Buffer.from(withoutKeyId.Plaintext!)).toEqual(plaintext);
      // KMS answers with the key ARN, whatever form the caller used.
      expect(withoutKeyId.KeyId).toBe(key.Arn);
      const withAlias = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context, KeyId: 'alias/fmn/crypto' }));
      expect(Buffer.from(withAlias.Plaintext!)).toEqual(plaintext);
    });

    it('never produces the same ciphertext twice (random IV)', async () => {
      expect(Buffer.from(await encrypt())).not.toEqual(Buffer.from(await encrypt()));
    });

    it.each([
      ['a different value', { subjectId: 'subject-2', purpose: 'profile' }],
      ['a missing pair', { subjectId: 'subject-1' }],
      ['an extra pair', { ...context, extra: 'x' }],
      ['no context at all', undefined],
    ])('refuses to decrypt with %s in the encryption context', async (_label, wrongContext) => {
      const blob = await encrypt();
      const error = await rejectionOf(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: wrongContext })));
      expect(error.name).toBe('InvalidCiphertextException');
      expect(error.$metadata?.httpStatusCode).toBe(400);
    });

    it('treats an empty context and no context as the same, as KMS does', async () => {
      const blob = await encrypt({});
      const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
      expect(Buffer.from(Plaintext!)).toEqual(plaintext);
    });

    it('refuses a tampered ciphertext, wherever the change is', async () => {
      const blob = Buffer.from(await encrypt());
      // Header (version, key id), IV, tag and body: every part is authenticated.
      for (const offset of [0, 5, 20, 35, blob.length - 1]) {
        const tampered = Buffer.from(blob);
        tampered[offset] ^= 0x01;
        const error = await rejectionOf(kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: context })));
        expect({ offset, name: error.name }).toEqual({ offset, name: 'InvalidCiphertextException' });
      }
      const truncated = await rejectionOf(kms.send(new DecryptCommand({ CiphertextBlob: blob.subarray(0, 20), EncryptionContext: context })));
      expect(truncated.name).toBe('InvalidCiphertextException');
    });

    it('refuses to decrypt under a key other than the one that encrypted', async () => {
      const blob = await encrypt();
      const other = await createKey();
      const error = await rejectionOf(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context, KeyId: other.KeyId })));
      expect(error.name).toBe('IncorrectKeyException');
    });

    it('refuses a ciphertext relabelled with another existing key id', async () => {
      const blob = Buffer.from(await encrypt());
      const other = await createKey();
      const relabelled = Buffer.from(blob);
      Buffer.from(other.KeyId!.replaceAll('-', ''), 'hex').copy(relabelled, 1);
      const error = await rejectionOf(kms.send(new DecryptCommand({ CiphertextBlob: relabelled, EncryptionContext: context })));
      expect(error.name).toBe('InvalidCiphertextException');
    });

    it('generates a 32-byte data key whose CiphertextBlob decrypts back to it', async () => {
      const { Plaintext, CiphertextBlob, KeyId } = await kms.send(
        new GenerateDataKeyCommand({ KeyId: key.Arn, KeySpec: 'AES_256', EncryptionContext: { subjectId: 's-9' } }),
      );
      expect(Plaintext).toHaveLength(32);
      expect(KeyId).toBe(key.Arn);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { subjectId: 's-9' } }));
      expect(Buffer.from(decrypted.Plaintext!)).toEqual(Buffer.from(Plaintext!));
      // The wrapped key is bound to its subject: another subject's context cannot unwrap it.
      const error = await rejectionOf(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { subjectId: 's-10' } })));
      expect(error.name).toBe('InvalidCiphertextException');
    });

    it('honours NumberOfBytes, and wraps without plaintext on request', async () => {
      const sized = await kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, NumberOfBytes: 16 }));
      expect(sized.Plaintext).toHaveLength(16);
      const wrappedOnly = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' }));
      expect(wrappedOnly).not.toHaveProperty('Plaintext');
      const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: wrappedOnly.CiphertextBlob }));
      expect(Plaintext).toHaveLength(32);
      const neither = await rejectionOf(kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId })));
      expect(neither.name).toBe('ValidationException');
    });

    it('re-encrypts under another key and context', async () => {
      const blob = await encrypt();
      const destination = await createKey();
      const result = await kms.send(
        new ReEncryptCommand({
          CiphertextBlob: blob,
          SourceEncryptionContext: context,
          DestinationKeyId: destination.KeyId,
          DestinationEncryptionContext: { moved: 'yes' },
        }),
      );
      expect(result).toMatchObject({ SourceKeyId: key.Arn, KeyId: destination.Arn });
      const { Plaintext, KeyId } = await kms.send(new DecryptCommand({ CiphertextBlob: result.CiphertextBlob, EncryptionContext: { moved: 'yes' } }));
      expect(KeyId).toBe(destination.Arn);
      expect(Buffer.from(Plaintext!)).toEqual(plaintext);
    });

    it('refuses to encrypt with an HMAC key (InvalidKeyUsageException)', async () => {
      const hmac = await createHmacKey();
      const error = await rejectionOf(kms.send(new EncryptCommand({ KeyId: hmac.KeyId, Plaintext: plaintext })));
      expect(error.name).toBe('InvalidKeyUsageException');
    });

    it('refuses a disabled key until it is enabled again', async () => {
      const own = await createKey();
      const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: own.KeyId, Plaintext: plaintext }));
      await kms.send(new DisableKeyCommand({ KeyId: own.KeyId }));
      expect((await kms.send(new DescribeKeyCommand({ KeyId: own.KeyId }))).KeyMetadata).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
      expect((await rejectionOf(kms.send(new DecryptCommand({ CiphertextBlob })))).name).toBe('DisabledException');
      expect((await rejectionOf(kms.send(new EncryptCommand({ KeyId: own.KeyId, Plaintext: plaintext })))).name).toBe('DisabledException');
      await kms.send(new EnableKeyCommand({ KeyId: own.Arn }));
      expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!)).toEqual(plaintext);
    });

    it('refuses a key pending deletion (KMSInvalidStateException); cancelling leaves it disabled', async () => {
      const doomed = await createKey();
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/fmn/doomed', TargetKeyId: doomed.KeyId }));
      const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: 'alias/fmn/doomed', Plaintext: plaintext }));

      const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyId, PendingWindowInDays: 7 }));
      expect(scheduled).toMatchObject({ KeyId: doomed.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
      const sevenDays = 7 * 86_400_000;
      expect(Math.abs(scheduled.DeletionDate!.getTime() - (Date.now() + sevenDays))).toBeLessThan(60_000);
      const described = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/fmn/doomed' }))).KeyMetadata!;
      expect(described).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false });
      expect(described.DeletionDate).toEqual(scheduled.DeletionDate);

      const decryptError = await rejectionOf(kms.send(new DecryptCommand({ CiphertextBlob })));
      expect(decryptError.name).toBe('KMSInvalidStateException');
      const encryptError = await rejectionOf(kms.send(new EncryptCommand({ KeyId: 'alias/fmn/doomed', Plaintext: plaintext })));
      expect(encryptError.name).toBe('KMSInvalidStateException');
      expect((await rejectionOf(kms.send(new EnableKeyCommand({ KeyId: doomed.KeyId })))).name).toBe('KMSInvalidStateException');

      await kms.send(new CancelKeyDeletionCommand({ KeyId: doomed.KeyId }));
      expect((await kms.send(new DescribeKeyCommand({ KeyId: doomed.KeyId }))).KeyMetadata).toMatchObject({ KeyState: 'Disabled' });
      expect((await rejectionOf(kms.send(new DecryptCommand({ CiphertextBlob })))).name).toBe('DisabledException');
    });

    it('returns the requested number of random bytes', async () => {
      const { Plaintext } = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }));
      expect(Plaintext).toHaveLength(64);
      const again = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }));
      expect(Buffer.from(again.Plaintext!)).not.toEqual(Buffer.from(Plaintext!));
    });
  });

  describe('MACs', () => {
    let hmac: KeyMetadata;
    const message = Buffer.from('email:jane@example.com', 'utf8');
    beforeAll(async () => {
      hmac = await createHmacKey();
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/fmn/pseudonyms', TargetKeyId: hmac.KeyId }));
    });

    it('generates a deterministic 32-byte HMAC_SHA_256 that depends on the message and the key', async () => {
      const first = await kms.send(new GenerateMacCommand({ KeyId: 'alias/fmn/pseudonyms', MacAlgorithm: 'HMAC_SHA_256', Message: message }));
      expect(first).toMatchObject({ KeyId: hmac.Arn, MacAlgorithm: 'HMAC_SHA_256' });
      expect(first.Mac).toHaveLength(32);
      const second = await kms.send(new GenerateMacCommand({ KeyId: hmac.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: message }));
      expect(Buffer.from(second.Mac!)).toEqual(Buffer.from(first.Mac!));
      const otherMessage = await kms.send(new GenerateMacCommand({ KeyId: hmac.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('x') }));
      expect(Buffer.from(otherMessage.Mac!)).not.toEqual(Buffer.from(first.Mac!));
      const otherKey = await createHmacKey();
      const underOtherKey = await kms.send(new GenerateMacCommand({ KeyId: otherKey.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: message }));
      expect(Buffer.from(underOtherKey.Mac!)).not.toEqual(Buffer.from(first.Mac!));
      // Keyed, not a bare hash of the message.
      expect(Buffer.from(first.Mac!)).not.toEqual(createHmac('sha256', Buffer.alloc(0)).update(message).digest());
    });

    it('verifies a good MAC (MacValid true) and rejects a wrong one (KMSInvalidMacException)', async () => {
      const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: hmac.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: message }));
      const verified = await kms.send(new VerifyMacCommand({ KeyId: hmac.Arn, MacAlgorithm: 'HMAC_SHA_256', Message: message, Mac }));
      expect(verified).toMatchObject({ MacValid: true, KeyId: hmac.Arn, MacAlgorithm: 'HMAC_SHA_256' });

      const wrongMac = Buffer.from(Mac!);
      wrongMac[0] ^= 0xff;
      const badMac = await rejectionOf(kms.send(new VerifyMacCommand({ KeyId: hmac.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: message, Mac: wrongMac })));
      expect(badMac.name).toBe('KMSInvalidMacException');
      const badMessage = await rejectionOf(
        kms.send(new VerifyMacCommand({ KeyId: hmac.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('other'), Mac })),
      );
      expect(badMessage.name).toBe('KMSInvalidMacException');
    });

    it('refuses a MAC algorithm the key spec does not support, and MACs with an encryption key', async () => {
      const wrongAlgorithm = await rejectionOf(kms.send(new GenerateMacCommand({ KeyId: hmac.KeyId, MacAlgorithm: 'HMAC_SHA_512', Message: message })));
      expect(wrongAlgorithm.name).toBe('InvalidKeyUsageException');
      const symmetric = await createKey();
      const wrongKey = await rejectionOf(kms.send(new GenerateMacCommand({ KeyId: symmetric.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: message })));
      expect(wrongKey.name).toBe('InvalidKeyUsageException');
    });
  });

  describe('protocol', () => {
    it('answers an unimplemented operation with UnsupportedOperationException naming it', async () => {
      const viaSdk = await rejectionOf(kms.send(new SignCommand({ KeyId: 'alias/x', Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' })));
      expect(viaSdk.name).toBe('UnsupportedOperationException');
      expect(viaSdk.message).toContain('Sign');

      const raw = await rawCall(emulator, 'TrentService.DoSomethingElse', '{}');
      expect(raw.status).toBe(400);
      expect(raw.contentType).toBe('application/x-amz-json-1.1');
      expect(raw.body.__type).toBe('UnsupportedOperationException');
      expect(raw.body.message).toContain('DoSomethingElse');
    });

    it('answers malformed input with 400s and keeps serving', async () => {
      const badJson = await rawCall(emulator, 'TrentService.DescribeKey', '{"KeyId": ');
      expect(badJson).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
      const notObject = await rawCall(emulator, 'TrentService.DescribeKey', '[1,2]');
      expect(notObject).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
      const wrongType = await rawCall(emulator, 'TrentService.Encrypt', JSON.stringify({ KeyId: 42, Plaintext: 'aGk=' }));
      expect(wrongType).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
      const badBase64 = await rawCall(emulator, 'TrentService.Decrypt', JSON.stringify({ CiphertextBlob: 'not base64!' }));
      expect(badBase64).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
      const missing = await rawCall(emulator, 'TrentService.DescribeKey', '{}');
      expect(missing).toMatchObject({ status: 400, body: { __type: 'ValidationException' } });
      const noTarget = await rawCall(emulator, undefined, '{}');
      expect(noTarget).toMatchObject({ status: 400, body: { __type: 'UnsupportedOperationException' } });
      const protoName = await rawCall(emulator, 'TrentService.__proto__', '{}');
      expect(protoName).toMatchObject({ status: 400, body: { __type: 'UnsupportedOperationException' } });

      // Still alive and correct after all of that.
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      expect(KeyMetadata?.KeyState).toBe('Enabled');
    });
  });
});

describe('KMS emulator startup', () => {
  it('rejects with a clear error when the port is already in use', async () => {
    const first = await startKmsEmulator({ port: 0 });
    try {
      await expect(startKmsEmulator({ port: first.port })).rejects.toThrow(`port ${first.port} is already in use`);
    } finally {
      await first.close();
    }
  });

  it('refuses invalid options before binding anything', async () => {
    await expect(startKmsEmulator({ port: 70000 })).rejects.toThrow(/invalid port 70000/);
    await expect(startKmsEmulator({ accountId: '123' })).rejects.toThrow(/invalid account id/);
  });

  it('names its region and account in ARNs', async () => {
    const emulator = await startKmsEmulator({ region: 'eu-central-1', accountId: '123456789012' });
    const kms = clientFor(emulator);
    try {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      expect(KeyMetadata?.Arn).toBe(`arn:aws:kms:eu-central-1:123456789012:key/${KeyMetadata?.KeyId}`);
    } finally {
      kms.destroy();
      await emulator.close();
    }
  });
});

describe('KMS emulator persistence', () => {
  let dir: string;
  let emulator: RunningKmsEmulator | undefined;
  let kms: KMSClient | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fmn-kms-'));
  });

  afterAll(async () => {
    kms?.destroy();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps keys and aliases in the state file across a restart, so old ciphertexts still decrypt', async () => {
    const stateFile = join(dir, 'nested', 'kms-keys.json');
    emulator = await startKmsEmulator({ port: 0, stateFile });
    kms = clientFor(emulator);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'persistent' }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/fmn/persistent', TargetKeyId: KeyMetadata!.KeyId }));
    const hmac = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!;
    const message = Buffer.from('m');
    const { Mac } = await kms.send(new GenerateMacCommand({ KeyId: hmac.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: message }));
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: 'alias/fmn/persistent', Plaintext: Buffer.from('survives'), EncryptionContext: { subjectId: 's' } }),
    );
    kms.destroy();
    await emulator.close();

    // The file holds key material: owner-only, and no temp files left behind by the atomic writes.
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['kms-keys.json']);

    emulator = await startKmsEmulator({ port: 0, stateFile });
    kms = clientFor(emulator);
    const { Plaintext, KeyId } = await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { subjectId: 's' } }));
    expect(Buffer.from(Plaintext!).toString('utf8')).toBe('survives');
    expect(KeyId).toBe(KeyMetadata!.Arn);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/fmn/persistent' }));
    expect(described.KeyMetadata).toMatchObject({ KeyId: KeyMetadata!.KeyId, Description: 'persistent', KeyState: 'Enabled' });
    // Same HMAC key material after the restart, so blind indexes stay stable.
    const verified = await kms.send(new VerifyMacCommand({ KeyId: hmac.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: message, Mac }));
    expect(verified.MacValid).toBe(true);
  });

  it('starts empty without a state file: nothing survives an in-memory restart', async () => {
    const first = await startKmsEmulator({ port: 0 });
    const firstClient = clientFor(first);
    const { KeyMetadata } = await firstClient.send(new CreateKeyCommand({}));
    firstClient.destroy();
    await first.close();
    const second = await startKmsEmulator({ port: 0 });
    const secondClient = clientFor(second);
    try {
      const error = await rejectionOf(secondClient.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId })));
      expect(error.name).toBe('NotFoundException');
    } finally {
      secondClient.destroy();
      await second.close();
    }
  });
});
