/**
 * The rights-request worker's decisions with the SDK faked (DynamoDB, KMS, S3) and a recording audit trail that keeps
 * the requests table: which jobs it skips, when a retention erasure is stopped, how a request moves on, what happens on
 * the last delivery before the DLQ, an export for an account that is gone, and an erasure whose verification finds data.
 */
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DecryptCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { AuditTrail, TransactItem } from '../../lambdas/adapters/dynamo-audit';
import type { AuditNote } from '../../lambdas/domain/audit';
import type { RightsRequest } from '../../lambdas/domain/rights';
import { bucketEnvVar, keyEnvVar, TABLE_IDS, tableEnvVar, topicEnvVar } from '../../lambdas/runtime/resources';

// Read at module scope by the worker: set before it loads.
for (const id of TABLE_IDS) process.env[tableEnvVar(id)] = `unit-${id}`;
process.env[bucketEnvVar('exports')] = 'unit-exports';
process.env[keyEnvVar('dataKey')] = 'alias/unit-data';
process.env[keyEnvVar('pseudonymKey')] = 'alias/unit-pseudonym';
process.env[topicEnvVar('recipientEvents')] = 'arn:aws:sns:eu-west-1:000000000000:unit-recipient-events';

const dynamo = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const { requestJobContext } = require('../../lambdas/wiring/jobs') as typeof import('../../lambdas/wiring/jobs');
const { runRequestJob: runJob } = require('../../lambdas/domain/request-jobs') as typeof import('../../lambdas/domain/request-jobs');
const { rightsRequestWorker } = require('../../lambdas/handlers/rights-request-worker.route') as typeof import('../../lambdas/handlers/rights-request-worker.route');
const jobs = requestJobContext(rightsRequestWorker);
/** The worker's use case, wired as its handler wires it. */
const runRequestJob = (job: Parameters<typeof runJob>[1], audit: AuditTrail, meta: { receiveCount: number }) => runJob(jobs(audit), job, meta);

/** The requests table as the worker leaves it: the audit trail applies each Put, as the real transaction would. */
let requests: Map<string, RightsRequest>;
let notes: AuditNote[];
let flushed: string[];
let failTransact: ((items: TransactItem[]) => Error | undefined) | undefined;

const trail = {
  transact: async (items: TransactItem[], ...entries: (AuditNote | undefined)[]) => {
    const error = failTransact?.(items);
    if (error) throw error;
    for (const item of items) if (item.Put?.TableName === 'unit-rightsRequests') requests.set(item.Put.Item!.requestId as string, item.Put.Item as RightsRequest);
    notes.push(...entries.filter((n): n is AuditNote => n !== undefined));
  },
  noteRead: () => undefined,
  flushReads: async (outcome: string) => {
    flushed.push(outcome);
  },
} as unknown as AuditTrail;

function request(overrides: Partial<RightsRequest> = {}): RightsRequest {
  return {
    requestId: 'req-1',
    subjectId: 'sub-1',
    type: 'erasure',
    status: 'in_progress',
    mode: 'automatic',
    receivedAt: '2026-11-01T00:00:00.000Z',
    createdAt: '2026-11-01T00:00:00.000Z',
    dueAt: '2026-12-01',
    originalDueAt: '2026-12-01',
    history: [],
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  } as RightsRequest;
}

const statuses = () => requests.get('req-1')?.history.map((h) => h.status);
const kmsDown = () => kms.on(GenerateMacCommand).rejects(Object.assign(new Error('kms unavailable'), { name: 'KMSInternalException' }));

beforeEach(() => {
  dynamo.reset();
  kms.reset();
  s3.reset();
  sns.reset();
  sns.on(PublishBatchCommand).resolves({ Successful: [], Failed: [] });
  requests = new Map();
  notes = [];
  flushed = [];
  failTransact = undefined;
  dynamo.on(GetCommand, { TableName: 'unit-rightsRequests' }).callsFake((input: { Key: { requestId: string } }) => ({ Item: requests.get(input.Key.requestId) }));
  dynamo.on(QueryCommand).resolves({ Items: [] });
  // No restriction of processing unless a test says so.
  dynamo.on(GetCommand, { TableName: 'unit-consent' }).resolves({});
  kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array([1, 2, 3, 4]) });
});

describe('runRequestJob', () => {
  it('skips a job for an unknown request, or whose kind is not the request\'s, without writing', async () => {
    expect(await runRequestJob({ kind: 'erasure', requestId: 'nope' }, trail, { receiveCount: 1 })).toBe('missing');
    requests.set('req-1', request({ type: 'export', status: 'queued' }));
    expect(await runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 1 })).toBe('missing');
    expect(notes).toEqual([]);
    expect(requests.get('req-1')?.status).toBe('queued');
  });

  it.each(['completed', 'rejected', 'failed'] as const)('skips a redelivered job for a request already %s', async (status) => {
    requests.set('req-1', request({ status }));
    expect(await runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 2 })).toBe('skipped');
    expect(notes).toEqual([]);
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(0);
  });

  it('stops a queued retention erasure of an account placed under a legal hold', async () => {
    requests.set('req-1', request({ status: 'queued', origin: 'retention' } as Partial<RightsRequest>));
    dynamo.on(GetCommand, { TableName: 'unit-users' }).resolves({ Item: { legalHold: { reason: 'case 7', at: '2026-11-10T00:00:00.000Z' } } });
    expect(await runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 1 })).toBe('skipped');
    expect(requests.get('req-1')).toMatchObject({ status: 'rejected', history: [{ status: 'rejected', by: 'worker', note: 'Stopped: the account is under a legal hold.' }] });
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(0);
  });

  it('stops a queued retention erasure whose subject restricted processing (Art. 18), reading the consent projection', async () => {
    requests.set('req-1', request({ status: 'queued', origin: 'retention' } as Partial<RightsRequest>));
    dynamo.on(GetCommand, { TableName: 'unit-users' }).resolves({ Item: { lastActiveAt: '2024-01-01T00:00:00.000Z' } });
    dynamo.on(GetCommand, { TableName: 'unit-consent', Key: { subjectId: 'sub-1', sk: 'state#restriction' } }).resolves({ Item: { lastAction: 'restrict', at: '2026-11-10T00:00:00.000Z' } });
    expect(await runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 1 })).toBe('skipped');
    expect(requests.get('req-1')).toMatchObject({ status: 'rejected', history: [{ status: 'rejected', by: 'worker', note: expect.stringMatching(/restricted the processing/) }] });
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(0);
  });

  it('goes ahead with a verified retention erasure whose account is already gone, queuing it first', async () => {
    requests.set('req-1', request({ status: 'verified', origin: 'retention' } as Partial<RightsRequest>));
    dynamo.on(GetCommand, { TableName: 'unit-users' }).resolves({});
    kmsDown();
    await expect(runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 1 })).rejects.toThrow('kms unavailable');
    // not stopped: moved on as far as it got, and left in progress for the redelivery
    expect(statuses()).toEqual(['queued', 'in_progress']);
    expect(flushed).toEqual(['failure']);
  });

  it('marks the request failed on the last delivery before the DLQ, and still fails the job', async () => {
    requests.set('req-1', request());
    kmsDown();
    await expect(runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 5 })).rejects.toThrow('kms unavailable');
    expect(requests.get('req-1')).toMatchObject({
      status: 'failed',
      history: [{ status: 'failed', by: 'worker', note: 'Could not be completed automatically; an administrator will follow up.' }],
    });
  });

  it('leaves a request someone else moved meanwhile alone on the last delivery', async () => {
    requests.set('req-1', request());
    kms.on(GenerateMacCommand).callsFake(() => {
      requests.set('req-1', request({ status: 'rejected', updatedAt: '2026-11-02T00:00:00.000Z' }));
      throw new Error('kms unavailable');
    });
    await expect(runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 6 })).rejects.toThrow('kms unavailable');
    expect(requests.get('req-1')?.status).toBe('rejected');
    expect(notes).toEqual([]);
  });

  it('throws the original error when marking the request failed fails too', async () => {
    requests.set('req-1', request());
    kmsDown();
    failTransact = () => new Error('dynamodb unavailable');
    await expect(runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 5 })).rejects.toThrow('kms unavailable');
    expect(requests.get('req-1')?.status).toBe('in_progress');
  });

  it('does not mark the request failed before the last delivery', async () => {
    requests.set('req-1', request());
    kmsDown();
    await expect(runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 4 })).rejects.toThrow('kms unavailable');
    expect(requests.get('req-1')?.status).toBe('in_progress');
  });

  it('exports for a subject whose account is gone: no account section, the rest as stored', async () => {
    requests.set('req-1', request({ type: 'export', status: 'queued' }));
    dynamo.on(GetCommand, { TableName: 'unit-users' }).resolves({});
    s3.on(PutObjectCommand).resolves({});
    expect(await runRequestJob({ kind: 'export', requestId: 'req-1' }, trail, { receiveCount: 1 })).toBe('done');
    const json = s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.ContentType === 'application/json')!;
    const document = JSON.parse(String(json.args[0].input.Body));
    expect(document.data.account ?? null).toBeNull();
    expect(document.data.identities).toEqual([]);
    expect(requests.get('req-1')).toMatchObject({
      status: 'awaiting_recipients',
      exportKeys: { json: expect.any(String), csv: expect.any(String) },
      recipients: { 'app-service': { status: 'pending', action: 'provide-part' } },
    });
    expect(notes.find((n) => n.action === 'export')).toMatchObject({ subjectId: 'sub-1' });
    expect(flushed).toEqual(['success']);
  });

  it('exports an account whose data key is gone with its profile and sources as null', async () => {
    requests.set('req-1', request({ type: 'access', status: 'in_progress' }));
    const user = { subjectId: 'sub-1', emailIndex: 'idx', profile: 'sealed', roles: ['subject'], createdAt: '2026-10-01T00:00:00.000Z', updatedAt: '2026-10-02T00:00:00.000Z' };
    dynamo.on(GetCommand, { TableName: 'unit-users' }).resolves({ Item: user });
    dynamo.on(GetCommand, { TableName: 'unit-subjectKeys' }).resolves({});
    s3.on(PutObjectCommand).resolves({});
    expect(await runRequestJob({ kind: 'access', requestId: 'req-1' }, trail, { receiveCount: 1 })).toBe('done');
    const json = s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.ContentType === 'application/json')!;
    const document = JSON.parse(String(json.args[0].input.Body));
    expect(document.data.account).toEqual({
      profile: null,
      sources: null,
      roles: ['subject'],
      hasPassword: false,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
      lastActiveAt: null,
      inactivityNotice: null,
      legalHold: null,
    });
  });

  it('refuses to complete an erasure whose verification still finds the subject', async () => {
    requests.set('req-1', request());
    // a delete that did not take: the account is still there when the verification looks again
    dynamo.on(GetCommand, { TableName: 'unit-users' }).resolves({ Item: { subjectId: 'sub-1', emailIndex: 'idx' } });
    dynamo.on(GetCommand, { TableName: 'unit-subjectKeys' }).resolves({});
    dynamo.on(GetCommand, { TableName: 'unit-loginThrottle' }).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    s3.on(DeleteObjectsCommand).resolves({});
    await expect(runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 1 })).rejects.toThrow('erasure verification found data in users');
    const stored = requests.get('req-1')!;
    expect(stored.status).toBe('in_progress');
    expect(stored.pendingVerification).toEqual({ emailIndex: 'idx', identityKeys: [] });
    expect(stored.erasureSteps?.find((s) => s.store === 'users')).toMatchObject({ action: 'deleted', count: 1 });
    expect(stored.receipt).toBeUndefined();
    expect(flushed).toEqual(['failure']);
  });
  it('completes a verified erasure with a receipt, keeping only the pseudonym and dropping the search keys', async () => {
    requests.set('req-1', request());
    // the account is there for the snapshot and the delete, and gone when the verification looks
    dynamo
      .on(GetCommand, { TableName: 'unit-users' })
      .resolvesOnce({ Item: { subjectId: 'sub-1', emailIndex: 'idx' } })
      .resolvesOnce({ Item: { subjectId: 'sub-1', emailIndex: 'idx' } })
      .resolves({});
    dynamo.on(GetCommand, { TableName: 'unit-subjectKeys' }).resolves({});
    dynamo.on(GetCommand, { TableName: 'unit-loginThrottle' }).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    expect(await runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 1 })).toBe('done');
    const stored = requests.get('req-1')!;
    // Its stores are done; it waits for the one recipient told (AWAIT_RECIPIENTS unset: every recipient, as on AWS).
    expect(stored.status).toBe('awaiting_recipients');
    expect(Object.keys(stored.recipients ?? {})).toEqual(['app-service']);
    expect(stored.recipients!['app-service']).toMatchObject({ status: 'pending', action: 'delete', answerBy: expect.any(String) });
    expect(stored.subjectId).toBe(`erased#${Buffer.from([1, 2, 3, 4]).toString('hex')}`);
    // set to undefined, which the document client (removeUndefinedValues) leaves out of the stored item
    expect(stored.pendingVerification).toBeUndefined();
    expect(stored.receipt).toMatchObject({ requestId: 'req-1', verification: { ok: true } });
    expect(stored.receipt!.steps.map((s) => s.store)).toEqual(stored.erasureSteps!.map((s) => s.store));
    expect(JSON.stringify(stored)).not.toContain('sub-1');
    expect(notes.filter((n) => n.action === 'erase').length).toBe(stored.erasureSteps!.length);
    // Recipients are told once, before the first step; this profile cannot be decrypted, so only those that know the subject
    // by its id are (the email provider needs the email).
    const published = sns.commandCalls(PublishBatchCommand).flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? []);
    const bodies = published.map((e) => JSON.parse(e.Message!) as { recipient: string; type: string; subject: object });
    expect(bodies.map((b) => [b.recipient, b.type, b.subject])).toEqual([['app-service', 'erasure', { subjectId: 'sub-1' }]]);
  });

  it('resumes an erasure after the last recorded step, without erasing those stores again', async () => {
    const done = ['exports', 'analyticsEvents', 'sessions', 'identities', 'consent', 'rightsRequests', 'users'].map((store) => ({
      store,
      action: 'deleted',
      count: 0,
      at: '2026-11-01T00:00:01.000Z',
    }));
    requests.set('req-1', request({ pendingVerification: { emailIndex: 'idx', identityKeys: [] }, erasureSteps: done } as Partial<RightsRequest>));
    dynamo.on(GetCommand, { TableName: 'unit-users' }).resolves({});
    dynamo.on(GetCommand, { TableName: 'unit-subjectKeys' }).resolves({});
    dynamo.on(GetCommand, { TableName: 'unit-loginThrottle' }).resolves({});
    dynamo.on(DeleteCommand).resolves({});
    expect(await runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 2 })).toBe('done');
    // the users item is not deleted again; the stores after it are
    expect(dynamo.commandCalls(DeleteCommand).map((c) => c.args[0].input.TableName)).not.toContain('unit-users');
    expect(dynamo.commandCalls(DeleteCommand).map((c) => c.args[0].input.TableName)).toContain('unit-subjectKeys');
    const stores = requests.get('req-1')!.erasureSteps!.map((s) => s.store);
    expect(new Set(stores).size).toBe(stores.length);
    // The recipients were told before the first recorded step: a resumed erasure does not tell them again.
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(0);
    expect(requests.get('req-1')!.status).toBe('completed');
  });

  it('leaves no key or pseudonym of the erased subject cached in this container, even when the key was shredded elsewhere', async () => {
    const { KmsSubjectKeyring } = require('../../lambdas/adapters/kms-keyring') as typeof import('../../lambdas/adapters/kms-keyring');
    const { KmsPseudonyms } = require('../../lambdas/adapters/kms-pseudonyms') as typeof import('../../lambdas/adapters/kms-pseudonyms');
    const { DynamoDBClient } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
    const keyring = new KmsSubjectKeyring(new KMSClient({}), DynamoDBDocumentClient.from(new DynamoDBClient({})), 'alias/unit-data', 'unit-subjectKeys');
    const pseudonyms = new KmsPseudonyms(new KMSClient({}), 'alias/unit-pseudonym');
    dynamo.on(GetCommand, { TableName: 'unit-subjectKeys' }).resolvesOnce({ Item: { wrappedKey: 'd3JhcHBlZA==' } }).resolves({});
    kms.on(DecryptCommand).resolves({ Plaintext: new Uint8Array(32) });
    await keyring.open('sub-1');
    await pseudonyms.emailIndex('ana@example.com');
    // every step done by an earlier delivery, in another container: this one only verifies and completes
    const done = ['exports', 'analyticsEvents', 'sessions', 'identities', 'consent', 'rightsRequests', 'users', 'subjectKeys', 'loginThrottle', 'audit', 'rightsRequestQueue'];
    requests.set('req-1', request({
      pendingVerification: { emailIndex: 'idx', identityKeys: [] },
      erasureSteps: done.map((store) => ({ store, action: 'deleted', count: 0, at: '2026-11-01T00:00:01.000Z' })),
    } as Partial<RightsRequest>));
    dynamo.on(GetCommand, { TableName: 'unit-users' }).resolves({});
    dynamo.on(GetCommand, { TableName: 'unit-loginThrottle' }).resolves({});

    expect(await runRequestJob({ kind: 'erasure', requestId: 'req-1' }, trail, { receiveCount: 2 })).toBe('done');
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(0);
    await expect(keyring.open('sub-1')).resolves.toBeUndefined();
    const macsBefore = kms.commandCalls(GenerateMacCommand).length;
    await pseudonyms.emailIndex('ana@example.com');
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(macsBefore + 1);
  });
});
