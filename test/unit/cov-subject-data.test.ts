/**
 * SubjectData's "nothing there" answers and the erasure verification, with DynamoDB faked at the SDK edge and the KMS
 * adapters as plain fakes: what a missing key, user or counter counts as, and that `leftovers` names every store where
 * the subject is still found (and no other).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { KmsSubjectKeyring } from '../../lambdas/adapters/kms-keyring';
import type { KmsPseudonyms } from '../../lambdas/adapters/kms-pseudonyms';
import { SubjectData } from '../../lambdas/adapters/subject-data';
import { seal, type UserRecord } from '../../lambdas/domain/accounts';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const KEY = new Uint8Array(32).fill(7);

const keys = new Map<string, Uint8Array>();
const data = new SubjectData({
  db,
  s3: new S3Client({}),
  table: (id) => `t-${id}`,
  bucket: 'exports',
  keyring: { open: async (subjectId: string) => keys.get(subjectId) } as unknown as KmsSubjectKeyring,
  pseudonyms: {
    mac: async (purpose: string, value: string) => `${purpose}:${value}`,
    subject: async (subjectId: string) => `p-${subjectId}`,
  } as unknown as KmsPseudonyms,
});

beforeEach(() => {
  ddb.reset();
  keys.clear();
  // by default every store is empty
  ddb.on(GetCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(DeleteCommand).resolves({});
});

describe('finding and shredding when there is nothing to find', () => {
  it('opens the profile while the subject key exists, and answers undefined once it is shredded', async () => {
    const user = { subjectId: 'sub-1', profile: seal(KEY, 'sub-1', { profile: { email: 'ana@example.com' } } as never) } as UserRecord;
    keys.set('sub-1', KEY);
    await expect(data.profile(user)).resolves.toMatchObject({ profile: { email: 'ana@example.com' } });

    keys.clear();
    await expect(data.profile(user)).resolves.toBeUndefined();
  });

  it('erases no login counter when the account has no email index, without reading the table', async () => {
    await expect(data.eraseThrottle(undefined)).resolves.toBe(0);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('erases no login counter that does not exist, and deletes one that does', async () => {
    await expect(data.eraseThrottle('idx')).resolves.toBe(0);
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(0);

    ddb.on(GetCommand, { TableName: 't-loginThrottle' }).resolves({ Item: { counterKey: 'account#idx' } });
    await expect(data.eraseThrottle('idx')).resolves.toBe(1);
    expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input).toEqual({ TableName: 't-loginThrottle', Key: { counterKey: 'account#idx' } });
  });

  it('counts an already-erased user as 0 and deletes nothing (a retried erasure)', async () => {
    await expect(data.eraseUser('sub-1')).resolves.toBe(0);
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(0);
  });

  it('counts a key that is already gone as 0, but still sends the delete (idempotent shredding)', async () => {
    await expect(data.shredKey('sub-1')).resolves.toBe(0);
    expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input).toEqual({ TableName: 't-subjectKeys', Key: { subjectId: 'sub-1' } });

    ddb.on(GetCommand, { TableName: 't-subjectKeys' }).resolves({ Item: { subjectId: 'sub-1' } });
    await expect(data.shredKey('sub-1')).resolves.toBe(1);
  });
});

describe('leftovers', () => {
  it('finds nothing in empty stores and, without an email index, does not search by one', async () => {
    await expect(data.leftovers('sub-1', { identityKeys: ['oidc#x'] }, 'req-erase')).resolves.toEqual([]);

    const queried = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.IndexName);
    expect(queried).not.toContain('byEmailIndex');
    const read = ddb.commandCalls(GetCommand).map((c) => c.args[0].input.TableName);
    expect(read).not.toContain('t-loginThrottle');
  });

  it('does not count the erasure request itself as a leftover', async () => {
    ddb.on(QueryCommand, { TableName: 't-rightsRequests' }).resolves({ Items: [{ requestId: 'req-erase', subjectId: 'sub-1' }] });

    await expect(data.leftovers('sub-1', { identityKeys: [] }, 'req-erase')).resolves.toEqual([]);
  });

  it('names every store where the subject is still found, each once', async () => {
    ddb.on(GetCommand, { TableName: 't-users' }).resolves({ Item: { subjectId: 'sub-1' } });
    ddb.on(GetCommand, { TableName: 't-subjectKeys' }).resolves({ Item: { subjectId: 'sub-1' } });
    ddb.on(GetCommand, { TableName: 't-identities' }).resolves({ Item: { identityKey: 'oidc#x' } });
    ddb.on(GetCommand, { TableName: 't-loginThrottle' }).resolves({ Item: { counterKey: 'account#idx' } });
    ddb.on(QueryCommand, { TableName: 't-identities' }).resolves({ Items: [{ identityKey: 'email#idx' }] });
    ddb.on(QueryCommand, { TableName: 't-users', IndexName: 'byEmailIndex' }).resolves({ Items: [{ subjectId: 'sub-1' }] });
    ddb.on(QueryCommand, { TableName: 't-sessions' }).resolves({ Items: [{ tokenHash: 'h' }] });
    ddb.on(QueryCommand, { TableName: 't-consent' }).resolves({ Items: [{ sk: 'state#analytics' }] });
    ddb.on(QueryCommand, { TableName: 't-analyticsEvents' }).resolves({ Items: [{ analyticsId: 'analytics:sub-1', sk: 'e1' }] });
    ddb.on(QueryCommand, { TableName: 't-rightsRequests' }).resolves({ Items: [{ requestId: 'req-erase' }, { requestId: 'req-old' }] });

    const found = await data.leftovers('sub-1', { emailIndex: 'idx', identityKeys: ['oidc#x', 'oidc#y'] }, 'req-erase');

    expect(found.sort()).toEqual(['analyticsEvents', 'consent', 'identities', 'loginThrottle', 'rightsRequests', 'sessions', 'subjectKeys', 'users']);
    // the analytics events are searched under the subject's analytics pseudonym, not the subject id
    const analytics = ddb.commandCalls(QueryCommand).find((c) => c.args[0].input.TableName === 't-analyticsEvents')!;
    expect(analytics.args[0].input.ExpressionAttributeValues).toEqual({ ':v': 'analytics:sub-1' });
  });

  it.each([
    ['a user found only by its email index', { TableName: 't-users', IndexName: 'byEmailIndex' }, 'users'],
    ['an identity found only by its key', { TableName: 't-identities' }, 'identities'],
  ])('finds %s', async (_label, where, store) => {
    if ('IndexName' in where) ddb.on(QueryCommand, where).resolves({ Items: [{ subjectId: 'sub-1' }] });
    else ddb.on(GetCommand, where).resolves({ Item: { identityKey: 'oidc#x' } });

    await expect(data.leftovers('sub-1', { emailIndex: 'idx', identityKeys: ['oidc#x'] }, 'req-erase')).resolves.toEqual([store]);
  });
});
