/**
 * The account, consent and rights-request adapters with DynamoDB faked at the SDK edge and a recording audit trail: how
 * each maps a transaction's cancellation reasons to a domain answer, refuses to write without an audit trail, and reads
 * what is (or is not) stored.
 */
import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { AuditTrail, TransactItem } from '../../lambdas/adapters/dynamo-audit';
import { DynamoAccountStore, DynamoSessionStore, DynamoThrottleStore } from '../../lambdas/adapters/dynamo-accounts';
import { DynamoConsentStore } from '../../lambdas/adapters/dynamo-consent';
import { DynamoRecipientOutbox, outboxPut } from '../../lambdas/adapters/dynamo-recipient-outbox';
import { DynamoRightsStore } from '../../lambdas/adapters/dynamo-rights';
import { AccountChangedError, EmailTakenError, type UserRecord } from '../../lambdas/domain/accounts';
import type { AuditNote } from '../../lambdas/domain/audit';
import type { ConsentEvent, ConsentState } from '../../lambdas/domain/consent';
import { EMPTY_COUNTER } from '../../lambdas/domain/login-throttle';
import { InvalidTransitionError, type RightsRequest } from '../../lambdas/domain/rights';
import type { SessionRecord } from '../../lambdas/domain/sessions';

const dynamo = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));

/** Records what an adapter hands to the audit trail; `fail` makes the next transaction fail as DynamoDB would. */
function recordingTrail() {
  const calls: { items: TransactItem[]; notes: (AuditNote | undefined)[] }[] = [];
  const reads: { subjectId: string; fields?: readonly string[] }[] = [];
  const newSubjects: string[] = [];
  let failure: unknown;
  const trail = {
    transact: async (items: TransactItem[], ...notes: (AuditNote | undefined)[]) => {
      calls.push({ items, notes });
      if (failure) {
        const error = failure;
        failure = undefined;
        throw error;
      }
    },
    noteRead: (subjectId: string, fields?: readonly string[]) => reads.push({ subjectId, fields }),
    startsNewSubject: (subjectId: string) => newSubjects.push(subjectId),
  };
  return { trail: trail as unknown as AuditTrail, calls, reads, newSubjects, fail: (error: unknown) => (failure = error) };
}

/** A cancelled transaction whose items failed as `codes` says (one entry per item, 'None' for those that passed). */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.length > 0 ? codes.map((Code) => ({ Code })) : undefined,
  });

const tables = { table: (id: string) => `unit-${id}` };
const user: UserRecord = {
  subjectId: 'sub-1',
  emailIndex: 'idx-1',
  profile: 'sealed-1',
  passwordHash: 'hash-1',
  roles: ['subject'],
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};
const session: SessionRecord = { tokenHash: 'th-1', subjectId: 'sub-1', roles: ['subject'], expiresAt: 2_000_000_000, idleExpiresAt: 2_000_000_000 };

beforeEach(() => dynamo.reset());

describe('DynamoAccountStore', () => {
  const claims = [{ identityKey: 'email#idx-1', kind: 'email' as const }];

  it('refuses to write personal data without an audit trail', async () => {
    const store = new DynamoAccountStore(db, tables);
    await expect(store.create(user, 'wrapped', claims, session)).rejects.toThrow('personal data written without an audit trail');
    await expect(store.update(user, { ...user, updatedAt: '2026-11-02T00:00:00.000Z' })).rejects.toThrow('without an audit trail');
  });

  it('maps a claim that already exists to EmailTakenError, and any other cancellation to itself', async () => {
    const { trail, fail } = recordingTrail();
    const store = new DynamoAccountStore(db, tables, trail);
    fail(cancelled('ConditionalCheckFailed', 'None', 'None', 'None'));
    await expect(store.create(user, 'wrapped', claims, session)).rejects.toBeInstanceOf(EmailTakenError);
    // the user item itself already existing (a subject id collision) is not an email problem
    const userExists = cancelled('None', 'ConditionalCheckFailed', 'None', 'None');
    fail(userExists);
    await expect(store.create(user, 'wrapped', claims, session)).rejects.toBe(userExists);
    // a cancellation without reasons (throttling, for one) is passed on as it came
    const noReasons = cancelled();
    fail(noReasons);
    await expect(store.create(user, 'wrapped', claims, session)).rejects.toBe(noReasons);
  });

  it('maps an update losing on the new email claim to EmailTakenError and on the account to AccountChangedError', async () => {
    const { trail, calls, fail } = recordingTrail();
    const store = new DynamoAccountStore(db, tables, trail);
    const next = { ...user, emailIndex: 'idx-2', updatedAt: '2026-11-02T00:00:00.000Z' };
    const change = { remove: 'email#idx-1', add: 'email#idx-2' };
    fail(cancelled('ConditionalCheckFailed', 'None', 'None'));
    await expect(store.update(user, next, change)).rejects.toBeInstanceOf(EmailTakenError);
    expect(calls[0].items.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Update', 'Delete']);
    fail(cancelled('None', 'ConditionalCheckFailed', 'None'));
    await expect(store.update(user, next, change)).rejects.toBeInstanceOf(AccountChangedError);
    // the old claim no longer belonging to this subject is a concurrent change too
    fail(cancelled('None', 'None', 'ConditionalCheckFailed'));
    await expect(store.update(user, next, change)).rejects.toBeInstanceOf(AccountChangedError);
    const other = new Error('network');
    fail(other);
    await expect(store.update(user, next)).rejects.toBe(other);
    const throttled = cancelled('None', 'ThrottlingError');
    fail(throttled);
    await expect(store.update(user, next)).rejects.toBe(throttled);
  });

  it('creates an account in one audited transaction: claims first, each item only where none exists', async () => {
    const { trail, calls, newSubjects } = recordingTrail();
    await new DynamoAccountStore(db, tables, trail).create(user, 'wrapped', claims, session);
    // the subject's audit chain cannot exist yet: the trail need not read its head
    expect(newSubjects).toEqual(['sub-1']);
    const [{ items, notes }] = calls;
    expect(items.map((i) => [i.Put!.TableName, i.Put!.ConditionExpression])).toEqual([
      ['unit-identities', 'attribute_not_exists(identityKey)'],
      ['unit-users', 'attribute_not_exists(subjectId)'],
      ['unit-subjectKeys', undefined],
      ['unit-sessions', undefined],
    ]);
    expect(notes).toEqual([{ action: 'create', subjectId: 'sub-1' }]);
  });

  it('updates only the corrected fields, naming no field that neither version has', async () => {
    const { trail, calls } = recordingTrail();
    const { passwordHash: _p, ...withoutPassword } = user;
    const next = { ...withoutPassword, profile: 'sealed-2', updatedAt: '2026-11-02T00:00:00.000Z' };
    await new DynamoAccountStore(db, tables, trail).update(withoutPassword, next, undefined, [], ['users.profile']);
    const [{ items, notes }] = calls;
    expect(items).toHaveLength(1);
    const update = items[0].Update!;
    expect(update.UpdateExpression).not.toContain('REMOVE');
    expect(update.ExpressionAttributeNames).not.toHaveProperty('#passwordHash');
    expect(update.ExpressionAttributeValues).toMatchObject({ ':previous': user.updatedAt, ':profile': 'sealed-2' });
    expect(notes).toEqual([{ action: 'update', subjectId: 'sub-1', fields: ['users.profile'] }]);
  });

  it('notes a read only when the account or claim exists', async () => {
    const { trail, reads } = recordingTrail();
    const store = new DynamoAccountStore(db, tables, trail);
    dynamo.on(GetCommand, { TableName: 'unit-users' }).resolvesOnce({}).resolves({ Item: user });
    dynamo.on(GetCommand, { TableName: 'unit-identities' }).resolvesOnce({}).resolves({ Item: { identityKey: 'email#idx-1', subjectId: 'sub-1' } });
    expect(await store.get('sub-9')).toBeUndefined();
    expect(await store.subjectFor('email#nobody')).toBeUndefined();
    expect(reads).toEqual([]);
    expect(await store.get('sub-1')).toEqual(user);
    expect(await store.subjectFor('email#idx-1')).toBe('sub-1');
    expect(reads.map((r) => r.subjectId)).toEqual(['sub-1', 'sub-1']);
  });
});

describe('DynamoSessionStore', () => {
  it('stamps the activity of a session without a creation time with the current time', async () => {
    const { trail, calls } = recordingTrail();
    const store = new DynamoSessionStore(db, 'unit-sessions', trail, () => 'unit-users');
    const before = new Date().toISOString();
    await store.put(session, { recordActivity: true });
    const update = calls[0].items[1].Update!;
    expect(update.TableName).toBe('unit-users');
    const at = update.ExpressionAttributeValues![':at'] as string;
    expect(at >= before && at <= new Date().toISOString()).toBe(true);
    expect(update.ExpressionAttributeValues![':month']).toMatch(new RegExp(`^${at.slice(0, 7)}#\\d{2}$`));
  });

  it('uses the session creation time for the activity when it has one, and writes no activity unless asked', async () => {
    const { trail, calls } = recordingTrail();
    const store = new DynamoSessionStore(db, 'unit-sessions', trail, () => 'unit-users');
    await store.put({ ...session, createdAt: '2026-10-15T08:00:00.000Z' } as SessionRecord, { recordActivity: true });
    expect(calls[0].items[1].Update!.ExpressionAttributeValues).toEqual({ ':at': '2026-10-15T08:00:00.000Z', ':month': expect.stringMatching(/^2026-10#\d{2}$/) });
    await store.put(session);
    expect(calls[1].items).toHaveLength(1);
  });

  it('refuses to record login activity when built without the users table', async () => {
    const { trail, calls } = recordingTrail();
    const store = new DynamoSessionStore(db, 'unit-sessions', trail);
    await expect(store.put(session, { recordActivity: true })).rejects.toThrow('login activity recorded without the users table');
    expect(calls).toHaveLength(0);
  });

  it('logs out everywhere in transactions of at most 90 sessions, keeping the current one', async () => {
    const { trail, calls } = recordingTrail();
    const store = new DynamoSessionStore(db, 'unit-sessions', trail);
    const items = Array.from({ length: 181 }, (_, i) => ({ ...session, tokenHash: `th-${i}` }));
    dynamo.on(QueryCommand).resolves({ Items: items });
    expect(await store.deleteAllForSubject('sub-1', 'th-0')).toBe(180);
    expect(calls.map((c) => c.items.length)).toEqual([90, 90]);
    expect(calls.flatMap((c) => c.items.map((i) => i.Delete!.Key!.tokenHash))).not.toContain('th-0');
  });
});

describe('DynamoThrottleStore', () => {
  const store = new DynamoThrottleStore(db, 'unit-throttle');
  const next = { failures: 1, windowStart: 100, lockedUntil: 0 };

  it('reports a lost compare-and-set as false, and writes a first failure only where no counter exists', async () => {
    dynamo.on(PutCommand).resolvesOnce({}).rejectsOnce(new ConditionalCheckFailedException({ message: 'changed', $metadata: {} }));
    expect(await store.recordFailure('k', EMPTY_COUNTER, next, 999)).toBe(true);
    expect(dynamo.commandCalls(PutCommand)[0].args[0].input).toMatchObject({ ConditionExpression: 'attribute_not_exists(counterKey)', ExpressionAttributeValues: undefined });
    const expected = { failures: 1, windowStart: 100, lockedUntil: 0 };
    expect(await store.recordFailure('k', expected, { ...next, failures: 2 }, 999)).toBe(false);
    expect(dynamo.commandCalls(PutCommand)[1].args[0].input.ExpressionAttributeValues).toEqual({ ':failures': 1, ':windowStart': 100, ':lockedUntil': 0 });
  });

  it('passes on any other failure', async () => {
    const error = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    dynamo.on(PutCommand).rejects(error);
    await expect(store.recordFailure('k', EMPTY_COUNTER, next, 999)).rejects.toThrow('slow down');
  });

  it('reads a missing counter as the empty one, and a stored one as its three numbers', async () => {
    dynamo.on(GetCommand).resolvesOnce({}).resolves({ Item: { counterKey: 'k', failures: 3, windowStart: 100, lockedUntil: 400, expiresAt: 999 } });
    expect(await store.get('k')).toBe(EMPTY_COUNTER);
    expect(await store.get('k')).toEqual({ failures: 3, windowStart: 100, lockedUntil: 400 });
  });

  it('reads several counters in one consistent BatchGetItem, in the order asked, asking again for unprocessed keys', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { 'unit-throttle': [{ counterKey: 'client#c', failures: 2, windowStart: 50, lockedUntil: 0 }] },
        UnprocessedKeys: { 'unit-throttle': { Keys: [{ counterKey: 'account#a' }] } },
      })
      .resolvesOnce({ Responses: { 'unit-throttle': [] } });
    expect(await store.getMany(['account#a', 'client#c'])).toEqual([EMPTY_COUNTER, { failures: 2, windowStart: 50, lockedUntil: 0 }]);
    const calls = dynamo.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!['unit-throttle']);
    expect(calls).toEqual([
      { Keys: [{ counterKey: 'account#a' }, { counterKey: 'client#c' }], ConsistentRead: true },
      { Keys: [{ counterKey: 'account#a' }], ConsistentRead: true },
    ]);
  });

  it('gives up, with an error, when keys stay unprocessed', async () => {
    dynamo.on(BatchGetCommand).resolves({ UnprocessedKeys: { 'unit-throttle': { Keys: [{ counterKey: 'k' }] } } });
    await expect(store.getMany(['k'])).rejects.toThrow(/unprocessed after 5 attempts/);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(5);
  });
});

describe('DynamoConsentStore', () => {
  const event: ConsentEvent = {
    subjectId: 'sub-1',
    topic: 'analytics',
    seq: 2,
    action: 'grant',
    policyVersion: '2026-01-01',
    at: '2026-11-28T12:00:00.000Z',
    method: 'settings',
  } as ConsentEvent;
  const previous: ConsentState = { topic: 'analytics', seq: 1, lastAction: 'withdraw', policyVersion: '2026-01-01', at: '2026-11-27T12:00:00.000Z', method: 'settings' };

  it('refuses to write consent or the newsletter preference without an audit trail', async () => {
    const store = new DynamoConsentStore(db, 'unit-consent');
    await expect(store.append(event, previous)).rejects.toThrow('consent written without an audit trail');
    await expect(store.setNewsletter('sub-1', true, event.at)).rejects.toThrow('preference written without an audit trail');
  });

  it('answers conflict when the projection moved on, and passes other failures on', async () => {
    const { trail, calls, fail } = recordingTrail();
    const store = new DynamoConsentStore(db, 'unit-consent', trail);
    fail(cancelled('None', 'ConditionalCheckFailed'));
    expect(await store.append(event, previous)).toBe('conflict');
    expect(calls[0].items[1].Put).toMatchObject({ ConditionExpression: 'seq = :expected', ExpressionAttributeValues: { ':expected': 1 } });
    const error = new Error('network');
    fail(error);
    await expect(store.append(event, previous)).rejects.toBe(error);
    expect(await store.append({ ...event, seq: 1 }, undefined)).toBe('ok');
    expect(calls[2].items[1].Put!.ConditionExpression).toBe('attribute_not_exists(sk)');
    expect(calls[2].notes[0]).toEqual({ action: 'consent.grant', subjectId: 'sub-1', fields: ['consent.analytics'] });
    // the figures' counters move in the same transaction: out of the withdrawn bucket, into the granted one, and the day's grants
    const counters = calls[0].items.filter((i) => i.Update).map((i) => [i.Update!.Key!.sk, i.Update!.ExpressionAttributeValues![':delta']]);
    expect(counters).toEqual([
      ['n#analytics#withdrawn#2026-01-01#-', -1],
      ['n#analytics#granted#2026-01-01#-', 1],
      ['d#2026-11-28#analytics#grant', 1],
    ]);
  });

  it('pages history, and reads an empty page as no events', async () => {
    const { trail, reads } = recordingTrail();
    const store = new DynamoConsentStore(db, 'unit-consent', trail);
    dynamo.on(QueryCommand).resolvesOnce({ Items: [{ ...event, sk: 'event#x' }], LastEvaluatedKey: { subjectId: 'sub-1', sk: 'event#x' } }).resolvesOnce({});
    const first = await store.history('sub-1', 1);
    expect(first).toEqual({ events: [event], next: 'event#x' });
    expect(await store.history('sub-1', 1, first.next)).toEqual({ events: [], next: undefined });
    expect(dynamo.commandCalls(QueryCommand)[1].args[0].input.ExclusiveStartKey).toEqual({ subjectId: 'sub-1', sk: 'event#x' });
    expect(reads).toEqual([
      { subjectId: 'sub-1', fields: ['consent.history'] },
      { subjectId: 'sub-1', fields: ['consent.history'] },
    ]);
  });

  it('reads the newsletter preference as not subscribed until it is set, and writes it with its audit entry', async () => {
    const { trail, calls, reads } = recordingTrail();
    const store = new DynamoConsentStore(db, 'unit-consent', trail);
    dynamo.on(GetCommand).resolvesOnce({}).resolvesOnce({ Item: { subjectId: 'sub-1', sk: 'pref#newsletter', subscribed: true, at: event.at } });
    expect(await store.newsletter('sub-1')).toEqual({ subscribed: false, at: undefined });
    expect(await store.newsletter('sub-1')).toEqual({ subscribed: true, at: event.at });
    expect(reads).toHaveLength(2);
    await store.setNewsletter('sub-1', false, event.at);
    expect(calls[0]).toEqual({
      items: [{ Put: { TableName: 'unit-consent', Item: { subjectId: 'sub-1', sk: 'pref#newsletter', subscribed: false, at: event.at } } }],
      notes: [{ action: 'update', subjectId: 'sub-1', fields: ['consent.subscribed'] }],
    });
  });
});

describe('DynamoRightsStore', () => {
  const request: RightsRequest = {
    requestId: 'req-1',
    subjectId: 'sub-1',
    type: 'erasure',
    status: 'in_progress',
    mode: 'automatic',
    receivedAt: '2026-11-01T00:00:00.000Z',
    createdAt: '2026-11-01T00:00:00.000Z',
    dueAt: '2026-12-01',
    originalDueAt: '2026-12-01',
    history: [{ status: 'in_progress', at: '2026-11-01T00:00:00.000Z', by: 'worker' }],
    updatedAt: '2026-11-01T00:00:00.000Z',
  } as RightsRequest;
  const now = new Date('2026-11-02T00:00:00.000Z');

  it('refuses to write without an audit trail', async () => {
    await expect(new DynamoRightsStore(db, 'unit-requests').create(request)).rejects.toThrow('rights request written without an audit trail');
  });

  it('files a request only under a request id not taken, with its audit entry and the events telling the subject', async () => {
    const { trail, calls } = recordingTrail();
    await new DynamoRightsStore(db, 'unit-requests', trail, () => 'unit-consent').create(request);
    expect(calls[0].items[0].Put).toMatchObject({ TableName: 'unit-requests', ConditionExpression: 'attribute_not_exists(requestId)' });
    expect(calls[0].items[1].Put).toMatchObject({
      TableName: 'unit-consent',
      Item: { subjectId: 'sub-1', sk: 'outbox#subject-events#req-1#0', outbox: expect.stringMatching(/^pending#\d{2}$/), subjectEvents: [{ status: 'in_progress', eventId: 'req-1:0' }] },
    });
    expect(calls[0].notes).toEqual([{ action: 'create', subjectId: 'sub-1', fields: ['rightsRequests.type', 'rightsRequests.status'] }]);
  });

  it('turns a lost race into InvalidTransitionError and passes other failures on', async () => {
    const { trail, fail } = recordingTrail();
    const store = new DynamoRightsStore(db, 'unit-requests', trail, () => 'unit-consent');
    fail(cancelled('ConditionalCheckFailed', 'None', 'None'));
    await expect(store.transition(request, 'completed', { by: 'worker' }, now)).rejects.toBeInstanceOf(InvalidTransitionError);
    const error = new Error('network');
    fail(error);
    await expect(store.transition(request, 'completed', { by: 'worker' }, now)).rejects.toBe(error);
  });

  it('refuses a move the state machine forbids before writing anything', async () => {
    const { trail, calls } = recordingTrail();
    const store = new DynamoRightsStore(db, 'unit-requests', trail);
    await expect(store.transition({ ...request, status: 'completed' }, 'in_progress', { by: 'worker' }, now)).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(calls).toHaveLength(0);
  });

  it('keeps the history when a request stays in its status, and sets no end date for an unfinished one', async () => {
    const { trail } = recordingTrail();
    const store = new DynamoRightsStore(db, 'unit-requests', trail);
    const next = await store.transition(request, 'in_progress', { by: 'worker' }, now, { erasureSteps: [] });
    expect(next.history).toBe(request.history);
    expect(next).not.toHaveProperty('expiresAt');
    expect(next.updatedAt).toBe(now.toISOString());
  });

  it('audits a change to an erased subject\'s request under the pseudonym only', async () => {
    const { trail, calls } = recordingTrail();
    const store = new DynamoRightsStore(db, 'unit-requests', trail, () => 'unit-consent');
    const erased = { ...request, subjectId: 'erased#pseudo-1', status: 'queued' as const };
    const next = await store.transition(erased, 'rejected', { by: 'admin', note: 'duplicate' }, now);
    expect(calls[0].notes).toEqual([{ action: 'update', subjectPseudonym: 'pseudo-1', fields: ['rightsRequests.status'] }]);
    expect(next.expiresAt).toEqual(expect.any(Number));
    expect(JSON.stringify(calls[0].notes)).not.toContain('sub-1');
  });

  it('falls back to the index item when a listed request vanished before its re-read, and notes no read of nothing', async () => {
    const { trail, reads } = recordingTrail();
    const store = new DynamoRightsStore(db, 'unit-requests', trail);
    dynamo.on(QueryCommand).resolvesOnce({ Items: [request, { ...request, requestId: 'req-2' }] }).resolvesOnce({ Items: [] });
    dynamo.on(GetCommand, { Key: { requestId: 'req-1' } }).resolves({ Item: { ...request, status: 'completed' } });
    dynamo.on(GetCommand, { Key: { requestId: 'req-2' } }).resolves({});
    const listed = await store.listForSubject('sub-1');
    expect(listed.map((r) => [r.requestId, r.status])).toEqual([
      ['req-1', 'completed'],
      ['req-2', 'in_progress'],
    ]);
    expect(reads).toHaveLength(1);
    expect(await store.listForSubject('sub-2')).toEqual([]);
    expect(reads).toHaveLength(1);
  });

  it('notes no read of an erased subject\'s request', async () => {
    const { trail, reads } = recordingTrail();
    const store = new DynamoRightsStore(db, 'unit-requests', trail);
    dynamo.on(GetCommand).resolves({ Item: { ...request, subjectId: 'erased#pseudo-1' } });
    expect((await store.get('req-1'))?.subjectId).toBe('erased#pseudo-1');
    expect(reads).toEqual([]);
  });
});

describe('DynamoRecipientOutbox (sharded)', () => {
  const pending = (subjectId: string, at: string) => ({ subjectId, sk: `outbox#consent#${at}#consent.withdrawn`, at, recipientEvent: { type: 'consent.withdrawn', at } });

  it('writes an outbox item on its subject\'s shard of `pending`', () => {
    const put = outboxPut('unit-consent', { subjectId: 's-1', type: 'consent.withdrawn', at: '2026-12-06T10:00:00.000Z', source: { kind: 'consent', id: 'e-1' } } as never);
    expect(put.Put.Item.outbox).toMatch(/^pending#\d{2}$/);
  });

  it('reads every shard and hands out the oldest first, at most the limit', async () => {
    const byShard: Record<string, ReturnType<typeof pending>[]> = {
      'pending#00': [pending('a', '2026-12-06T10:00:02.000Z'), pending('a', '2026-12-06T10:00:05.000Z')],
      'pending#01': [pending('b', '2026-12-06T10:00:01.000Z')],
      'pending#02': [],
    };
    dynamo.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({ Items: byShard[input.ExpressionAttributeValues[':pending']] }));
    const outbox = new DynamoRecipientOutbox(db, 'unit-consent', 3);
    const oldest = await outbox.pending(2);
    expect(oldest.map((p) => ('event' in p ? [p.event.subjectId, p.event.at] : [p.subjectId, p.at]))).toEqual([
      ['b', '2026-12-06T10:00:01.000Z'],
      ['a', '2026-12-06T10:00:02.000Z'],
    ]);
    const asked = dynamo.commandCalls(QueryCommand).map((c) => [c.args[0].input.ExpressionAttributeValues![':pending'], c.args[0].input.Limit]);
    expect(asked).toEqual([
      ['pending#00', 2],
      ['pending#01', 2],
      ['pending#02', 2],
    ]);
  });
});
