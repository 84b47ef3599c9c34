/**
 * The per-container caches of what KMS returns: unwrapped subject keys (bounded by age, uses and entries, dropped on
 * erasure) and pseudonyms (bounded, emptied on erasure), with KMS and DynamoDB faked at the SDK edge. Each test counts
 * the calls the SDK would have sent.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, GenerateDataKeyCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { BoundedCache } from '../../lambdas/adapters/bounded-cache';
import type { AuditTrail } from '../../lambdas/adapters/dynamo-audit';
import { forgetSubjectKey, KmsSubjectKeyring, SUBJECT_KEY_CACHE_LIMITS } from '../../lambdas/adapters/kms-keyring';
import { forgetPseudonyms, KmsPseudonyms, PSEUDONYM_CACHE_LIMITS } from '../../lambdas/adapters/kms-pseudonyms';
import { SubjectData } from '../../lambdas/adapters/subject-data';

const kmsMock = mockClient(KMSClient);
const ddbMock = mockClient(DynamoDBDocumentClient);
const kms = new KMSClient({});
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const KEY = new Uint8Array(32).fill(3);

let subjectSeq = 0;
/** A subject id no earlier test cached. */
const freshSubject = () => `subject-${++subjectSeq}`;

beforeEach(() => {
  kmsMock.reset();
  ddbMock.reset();
  forgetPseudonyms();
  ddbMock.on(GetCommand).resolves({ Item: { wrappedKey: Buffer.from('wrapped').toString('base64') } });
  ddbMock.on(DeleteCommand).resolves({});
  kmsMock.on(DecryptCommand).resolves({ Plaintext: KEY });
  kmsMock.on(GenerateDataKeyCommand).resolves({ Plaintext: KEY, CiphertextBlob: Buffer.from('wrapped') });
  kmsMock.on(GenerateMacCommand).callsFake(async ({ Message }) => ({ Mac: Buffer.from(`mac(${Buffer.from(Message).toString()})`) }));
});

afterEach(() => jest.useRealTimers());

describe('BoundedCache', () => {
  it('evicts the least recently used entry beyond its size', () => {
    const cache = new BoundedCache<number>({ maxEntries: 2, maxAgeMs: 1000 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a'); // a is now the most recently used
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('misses once a value is as old as the max age, and forgets it', () => {
    let now = 0;
    const cache = new BoundedCache<string>({ maxEntries: 5, maxAgeMs: 100, now: () => now });
    cache.set('k', 'v');
    now = 99;
    expect(cache.get('k')).toBe('v');
    now = 100;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('hands a value out at most max-uses times', () => {
    const cache = new BoundedCache<string>({ maxEntries: 5, maxAgeMs: 1000, maxUses: 2 });
    cache.set('k', 'v');
    expect([cache.get('k'), cache.get('k'), cache.get('k')]).toEqual(['v', 'v', undefined]);
  });
});

describe('unwrapped subject keys', () => {
  const keyring = (audit?: AuditTrail) => new KmsSubjectKeyring(kms, db, 'data-key', 'subject-keys', audit);

  it('opens a subject again without KMS, checking the wrapped key is still stored, and still as an audited read', async () => {
    const subjectId = freshSubject();
    await keyring().open(subjectId);
    const noteRead = jest.fn();
    const again = await keyring({ noteRead } as unknown as AuditTrail).open(subjectId);

    expect(again).toEqual(KEY);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(1);
    expect(ddbMock.commandCalls(GetCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: 'subject-keys', Key: { subjectId }, ConsistentRead: true },
      { TableName: 'subject-keys', Key: { subjectId }, ConsistentRead: true },
    ]);
    expect(noteRead).toHaveBeenCalledWith(subjectId);
  });

  it('opens nothing once the wrapped key is gone from the table, whatever this container cached (shredded elsewhere)', async () => {
    const subjectId = freshSubject();
    await keyring().open(subjectId);
    ddbMock.on(GetCommand).resolves({});
    const noteRead = jest.fn();
    await expect(keyring({ noteRead } as unknown as AuditTrail).open(subjectId)).resolves.toBeUndefined();
    expect(noteRead).not.toHaveBeenCalled();
  });

  it('unwraps again when the stored wrapped key is not the one the cached key came from', async () => {
    const subjectId = freshSubject();
    await keyring().open(subjectId);
    ddbMock.on(GetCommand).resolves({ Item: { wrappedKey: Buffer.from('another').toString('base64') } });
    await keyring().open(subjectId);
    expect(kmsMock.commandCalls(DecryptCommand).map((c) => Buffer.from(c.args[0].input.CiphertextBlob!).toString())).toEqual([
      'wrapped',
      'another',
    ]);
  });

  it('caches a key it has just created (registration, then the first read)', async () => {
    const subjectId = freshSubject();
    await keyring().create(subjectId);
    await keyring().open(subjectId);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('asks KMS again once the cached key is older than the max age', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const subjectId = freshSubject();
    await keyring().open(subjectId);
    jest.setSystemTime(Date.now() + SUBJECT_KEY_CACHE_LIMITS.maxAgeMs - 1);
    await keyring().open(subjectId);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(1);
    jest.setSystemTime(Date.now() + 1);
    await keyring().open(subjectId);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(2);
  });

  it('asks KMS again after max-uses opens of one cached key', async () => {
    const subjectId = freshSubject();
    for (let i = 0; i <= SUBJECT_KEY_CACHE_LIMITS.maxUses; i++) await keyring().open(subjectId);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(1);
    await keyring().open(subjectId);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(2);
  });

  it('keeps keys of another KMS key or table apart (a CLI may hold two clouds)', async () => {
    const subjectId = freshSubject();
    await keyring().open(subjectId);
    await new KmsSubjectKeyring(kms, db, 'other-data-key', 'subject-keys').open(subjectId);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(2);
  });

  it('forgets a subject when asked, and when the erasure shreds its key: the next open asks KMS again', async () => {
    const subjectId = freshSubject();
    await keyring().open(subjectId);
    forgetSubjectKey(subjectId);
    await keyring().open(subjectId);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(2);

    const data = new SubjectData({
      db,
      s3: new S3Client({}),
      table: (id) => (id === 'subjectKeys' ? 'subject-keys' : id),
      bucket: 'exports',
      keyring: keyring(),
      pseudonyms: new KmsPseudonyms(kms, 'hmac-key'),
    });
    await data.shredKey(subjectId);
    ddbMock.on(GetCommand).resolves({});
    await expect(keyring().open(subjectId)).resolves.toBeUndefined();
  });

  it('holds at most max-entries keys', async () => {
    const first = freshSubject();
    await keyring().open(first);
    for (let i = 0; i < SUBJECT_KEY_CACHE_LIMITS.maxEntries; i++) await keyring().create(freshSubject());
    await keyring().open(first);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(2);
  });
});

describe('pseudonyms', () => {
  it('computes each MAC once per container, across requests', async () => {
    const [a, b] = [new KmsPseudonyms(kms, 'hmac-key'), new KmsPseudonyms(kms, 'hmac-key')];
    const first = await a.emailIndex('ana@example.com');
    expect(await b.emailIndex('ana@example.com')).toBe(first);
    expect(await b.subject('sub-1')).toBe(await a.subject('sub-1'));
    expect(kmsMock.commandCalls(GenerateMacCommand)).toHaveLength(2);
  });

  it('keeps MACs of different keys and purposes apart', async () => {
    await new KmsPseudonyms(kms, 'hmac-key').mac('email', 'x');
    await new KmsPseudonyms(kms, 'other-key').mac('email', 'x');
    await new KmsPseudonyms(kms, 'hmac-key').mac('client', 'x');
    expect(kmsMock.commandCalls(GenerateMacCommand).map((c) => [c.args[0].input.KeyId, Buffer.from(c.args[0].input.Message!).toString()])).toEqual([
      ['hmac-key', 'email:x'],
      ['other-key', 'email:x'],
      ['hmac-key', 'client:x'],
    ]);
  });

  it('does not remember a failed call', async () => {
    kmsMock.on(GenerateMacCommand).rejectsOnce(new Error('throttled')).resolves({ Mac: Buffer.from('m') });
    const pseudonyms = new KmsPseudonyms(kms, 'hmac-key');
    await expect(pseudonyms.mac('email', 'y')).rejects.toThrow('throttled');
    await expect(pseudonyms.mac('email', 'y')).resolves.toBe(Buffer.from('m').toString('base64url'));
  });

  it('is emptied on erasure, and bounded in size', async () => {
    const pseudonyms = new KmsPseudonyms(kms, 'hmac-key');
    await pseudonyms.mac('email', 'z');
    forgetPseudonyms();
    await pseudonyms.mac('email', 'z');
    expect(kmsMock.commandCalls(GenerateMacCommand)).toHaveLength(2);

    for (let i = 0; i < PSEUDONYM_CACHE_LIMITS.maxEntries; i++) await pseudonyms.mac('n', String(i));
    await pseudonyms.mac('email', 'z');
    expect(kmsMock.commandCalls(GenerateMacCommand)).toHaveLength(3 + PSEUDONYM_CACHE_LIMITS.maxEntries);
  });
});
