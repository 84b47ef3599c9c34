/**
 * The edges of recording a recipient's ack (domain/recipient-acks.ts) that the main tests leave out: a signature of the
 * wrong length next to a right one, an ack for a request type no recipient acknowledges, an early ack (before the worker
 * recorded the recipient) from a recipient that is waited for or that owes the request nothing, a failure without a
 * reason, which webhook-ids are kept for replay detection, and what happens when the request keeps changing under the
 * ack (gives up after a bounded number of re-reads) or the store fails outright (no retry). Also the DLQ path's retries
 * and the administrators' overview. An in-memory request store stands in for the table.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { messageId } from '../../lambdas/domain/recipient-events';
import { canMove, InvalidTransitionError, type RightsRequest } from '../../lambdas/domain/rights';
import {
  ACK_TOLERANCE_SECONDS,
  AckForbiddenError,
  AckUnauthenticatedError,
  acknowledge,
  allAcknowledged,
  DELIVERY_FAILED_REASON,
  pendingProgress,
  recipientsOverview,
  recordDeliveryFailure,
  subjectNote,
  verifyAckSignature,
  withPending,
  type AckDeps,
  type RecipientProgress,
} from '../../lambdas/domain/recipient-acks';
import { recipients as declarations, type RecipientId } from '../../lambdas/recipients';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const now = new Date('2026-12-06T10:00:00Z');
const requestId = '6f1c9e0e-1111-4222-8333-444455556666';

const headersOf = (id: string, rawBody: string, at = now) => ({
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
  'webhook-signature': new Webhook(secret).sign(id, at, rawBody),
});

function baseRequest(overrides: Partial<RightsRequest> = {}): RightsRequest {
  return {
    requestId,
    subjectId: 'sub-1',
    type: 'erasure',
    status: 'in_progress',
    mode: 'automatic',
    receivedAt: '2026-12-06T09:00:00.000Z',
    createdAt: '2026-12-06T09:00:00.000Z',
    dueAt: '2027-01-06',
    originalDueAt: '2027-01-06',
    history: [],
    updatedAt: '2026-12-06T09:30:00.000Z',
    ...overrides,
  };
}

/** The message id the worker sent this recipient for the request. */
const sentTo = (recipient: RecipientId, type: 'erasure' | 'export' = 'erasure') => messageId({ kind: 'rights-request', id: requestId }, recipient, type);

describe('verifyAckSignature with several signatures', () => {
  const rawBody = '{"outcome":"done"}';

  it('skips a v1 signature of the wrong length and a signature of another scheme, and accepts the right one beside them', () => {
    const good = headersOf('ack_1', rawBody);
    const short = `v1,${Buffer.from('too short').toString('base64')}`;
    const headers = { ...good, 'webhook-signature': `${short} v2,whatever ${good['webhook-signature']}` };
    expect(() => verifyAckSignature([secret], headers, rawBody, now)).not.toThrow();
  });

  it('refuses when the only v1 signature has the wrong length (it is never compared)', () => {
    const headers = { ...headersOf('ack_1', rawBody), 'webhook-signature': `v1,${Buffer.from('sixteen bytes!!!').toString('base64')}` };
    let error: unknown;
    try {
      verifyAckSignature([secret], headers, rawBody, now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AckUnauthenticatedError);
    expect((error as AckUnauthenticatedError).why).toBe('signature');
  });
});

describe('acknowledge: edges, over an in-memory store', () => {
  let stored: RightsRequest;
  /** `conflict`: every write loses to another writer; `down`: the store fails outright. */
  let failure: 'none' | 'conflict' | 'down';
  let reads: number;
  const refused: unknown[] = [];
  const replaced: { fields: readonly string[]; note: unknown }[] = [];

  const store = {
    get: async (_id: string) => {
      reads++;
      return structuredClone(stored);
    },
    replace: async (previous: RightsRequest, next: RightsRequest, fields: readonly string[], note?: unknown) => {
      if (failure === 'down') throw new Error('table unavailable');
      if (failure === 'conflict' || previous.updatedAt !== stored.updatedAt) throw new InvalidTransitionError(previous.status, next.status);
      replaced.push({ fields, note });
      stored = structuredClone(next);
    },
    transition: async (previous: RightsRequest, to: RightsRequest['status'], change: { by: string; note?: string }, at: Date, extra: Partial<RightsRequest> = {}) => {
      if (!canMove(previous.status, to)) throw new InvalidTransitionError(previous.status, to);
      const next = { ...previous, ...extra, status: to, history: [...previous.history, { status: to, at: at.toISOString(), ...change }], updatedAt: at.toISOString() };
      await store.replace(previous, next, []);
      return next;
    },
  };
  const deps = (over: Partial<AckDeps> = {}): AckDeps => ({
    requests: store,
    secretsOf: async () => [secret],
    partExists: async () => true,
    uploadFor: async (key: string) => ({ url: `https://upload.example/${key}`, headers: {}, expiresAt: now.toISOString() }),
    auditRefused: async (note) => void refused.push(note),
    awaits: () => true,
    now: () => now,
    ...over,
  });
  const ack = (
    recipient: RecipientId,
    id: string,
    body: Partial<{ messageId: string; action: 'delete' | 'provide-part'; outcome: 'done' | 'nothing_found' | 'failed'; reason: string; counts: Record<string, number> }> = {},
  ) => {
    const full = { messageId: sentTo(recipient), requestId, action: 'delete' as const, outcome: 'done' as const, ...body };
    const rawBody = JSON.stringify(full);
    return { recipientId: recipient, rawBody, body: full, headers: headersOf(id, rawBody) };
  };

  beforeEach(() => {
    stored = baseRequest();
    failure = 'none';
    reads = 0;
    refused.length = 0;
    replaced.length = 0;
  });

  it.each(['rectification', 'access'] as const)('refuses (403) an ack naming a %s request, which no recipient acknowledges, and audits it', async (type) => {
    stored = baseRequest({ type });
    const before = structuredClone(stored);
    await expect(acknowledge(deps(), ack('app-service', 'a1'))).rejects.toBeInstanceOf(AckForbiddenError);
    expect(stored).toEqual(before);
    expect(refused).toEqual([{ action: 'recipient.ack', fields: ['rightsRequests.recipients'], outcome: 'failure' }]);
  });

  it('refuses an early export ack from a recipient declared to hold nothing of its own (it owes no part)', async () => {
    const declaration = declarations['email-provider'] as { duties: unknown };
    const duties = declaration.duties;
    declaration.duties = { ...(duties as object), export: 'nothing-held' };
    try {
      stored = baseRequest({ type: 'export' });
      const early = ack('email-provider', 'e1', { messageId: sentTo('email-provider', 'export'), action: 'provide-part', outcome: 'nothing_found' });
      await expect(acknowledge(deps(), early)).rejects.toBeInstanceOf(AckForbiddenError);
      expect(stored.recipients).toBeUndefined();
      expect(refused).toHaveLength(1);
    } finally {
      declaration.duties = duties;
    }
  });

  it('records an early ack of a recipient the deployment waits for as a plain entry (not marked unawaited), by the subject id', async () => {
    // the worker has not recorded any recipient yet: the ack arrives first
    const answer = await acknowledge(deps(), ack('app-service', 'a1', { counts: { records: 3 } }));
    expect(answer).toEqual({ recipient: 'app-service', requestId, status: 'done', duplicate: false, requestStatus: 'in_progress' });
    const entry = stored.recipients!['app-service']!;
    expect(entry).not.toHaveProperty('awaited');
    expect(entry).toMatchObject({ messageId: sentTo('app-service'), action: 'delete', status: 'done', counts: { records: 3 }, at: now.toISOString() });
    // its deadline is the one the message names: receipt + the recipient's answerWithinDays
    expect(entry.answerBy).toBe('2026-12-13');
    // the audit entry names the subject by id while the subject is not erased yet
    expect(replaced[0]).toEqual({ fields: ['rightsRequests.recipients'], note: { action: 'recipient.ack', fields: ['rightsRequests.recipients'], subjectId: 'sub-1' } });
  });

  it('keeps a failure without a reason as an empty reason, and drops counts sent with a failure', async () => {
    const failed = ack('app-service', 'f1', { outcome: 'failed', counts: { records: 1 } });
    expect(await acknowledge(deps(), failed)).toMatchObject({ status: 'failed', duplicate: false });
    expect(stored.recipients!['app-service']).toMatchObject({ status: 'failed', reason: '' });
    expect(stored.recipients!['app-service']).not.toHaveProperty('counts');
  });

  it('after a failure, records the later success with a new id, keeping recent webhook-ids and dropping those past the replay window', async () => {
    const windowMs = 2 * ACK_TOLERANCE_SECONDS * 1000;
    const recent = new Date(now.getTime() - windowMs + 1000).toISOString();
    const old = new Date(now.getTime() - windowMs - 1000).toISOString();
    const failedEntry: RecipientProgress = {
      ...pendingProgress('app-service', stored),
      status: 'failed',
      reason: 'database timeout',
      ackIds: [
        { id: 'old', at: old },
        { id: 'recent', at: recent },
      ],
    };
    stored = baseRequest({ recipients: { 'app-service': failedEntry } });
    // an id seen before the window is no replay any more
    const answer = await acknowledge(deps(), ack('app-service', 'old', { outcome: 'done' }));
    expect(answer).toMatchObject({ status: 'done', duplicate: false });
    const entry = stored.recipients!['app-service']!;
    expect(entry.ackIds).toEqual([
      { id: 'recent', at: recent },
      { id: 'old', at: now.toISOString() },
    ]);
    // the failure's reason goes once the recipient succeeded
    expect(entry.reason).toBeUndefined();
  });

  it('answers a second failure of a failed recipient as a duplicate, changing nothing', async () => {
    stored = baseRequest({ recipients: { 'app-service': { ...pendingProgress('app-service', stored), status: 'failed', reason: 'first' } } });
    const before = structuredClone(stored);
    expect(await acknowledge(deps(), ack('app-service', 'f2', { outcome: 'failed', reason: 'second' }))).toEqual({
      recipient: 'app-service',
      requestId,
      status: 'failed',
      duplicate: true,
      requestStatus: 'in_progress',
    });
    expect(stored).toEqual(before);
  });

  it('names an erased subject by pseudonym in the ack\'s audit entry', async () => {
    stored = baseRequest({ subjectId: 'erased#pseudo' });
    await acknowledge(deps(), ack('app-service', 'a1'));
    expect(replaced[0].note).toEqual({ action: 'recipient.ack', fields: ['rightsRequests.recipients'], subjectPseudonym: 'pseudo' });
  });

  it('gives up after a bounded number of re-reads when every write loses to another writer, and does not audit it as refused', async () => {
    failure = 'conflict';
    await expect(acknowledge(deps(), ack('app-service', 'a1'))).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(reads).toBe(8);
    expect(stored.recipients).toBeUndefined();
    expect(refused).toEqual([]);
  });

  it('does not retry when the store fails outright, and passes the error on', async () => {
    failure = 'down';
    await expect(acknowledge(deps(), ack('app-service', 'a1'))).rejects.toThrow('table unavailable');
    expect(reads).toBe(1);
    expect(refused).toEqual([]);
  });
});

describe('allAcknowledged and withPending', () => {
  const done: RecipientProgress = { messageId: 'evt_a', action: 'delete', answerBy: '2026-12-10', status: 'done' };

  it('does not count an entry that is there but undefined as acknowledged', () => {
    expect(allAcknowledged({ 'app-service': done, 'email-provider': undefined })).toBe(false);
    expect(allAcknowledged({ 'app-service': done })).toBe(true);
  });

  it('adds pending entries only for recipients the request does not hold yet, and nothing when it holds them all', () => {
    const request = baseRequest({ recipients: { 'app-service': done } });
    expect(withPending(request, ['app-service'])).toBeUndefined();
    const added = withPending(request, ['app-service', 'email-provider'])!;
    expect(added['app-service']).toBe(done);
    expect(added['email-provider']).toMatchObject({ status: 'pending', action: 'delete', messageId: sentTo('email-provider'), answerBy: '2026-12-20' });
    expect(pendingProgress('app-service', baseRequest({ type: 'export' }))).toMatchObject({ action: 'provide-part', messageId: sentTo('app-service', 'export') });
  });

  it('names the subject in a note by id, or by pseudonym once erased', () => {
    expect(subjectNote(baseRequest(), { action: 'update', fields: [] })).toEqual({ action: 'update', fields: [], subjectId: 'sub-1' });
    expect(subjectNote(baseRequest({ subjectId: 'erased#p1' }), { action: 'update', fields: [] })).toEqual({ action: 'update', fields: [], subjectPseudonym: 'p1' });
  });
});

describe('recordDeliveryFailure: retries and refusals', () => {
  const message = JSON.stringify({ type: 'erasure', source: { kind: 'rights-request', id: requestId } });
  let stored: RightsRequest;
  let conflicts: number;
  let reads: number;
  const store = {
    get: async () => {
      reads++;
      return structuredClone(stored);
    },
    replace: async (_previous: RightsRequest, next: RightsRequest) => {
      if (conflicts > 0) {
        conflicts--;
        throw new InvalidTransitionError('awaiting_recipients', 'awaiting_recipients');
      }
      stored = structuredClone(next);
    },
  };

  beforeEach(() => {
    conflicts = 0;
    reads = 0;
    stored = baseRequest({ status: 'awaiting_recipients', recipients: { 'email-provider': pendingProgress('email-provider', baseRequest()) } });
  });

  it('re-reads the request and tries again when another writer changed it', async () => {
    conflicts = 2;
    expect(await recordDeliveryFailure({ requests: store, now: () => now }, 'email-provider', message)).toBe(true);
    expect(reads).toBe(3);
    expect(stored.recipients!['email-provider']).toMatchObject({ status: 'failed', reason: DELIVERY_FAILED_REASON, at: now.toISOString() });
  });

  it('gives up after a bounded number of tries, leaving the recipient pending', async () => {
    conflicts = 100;
    await expect(recordDeliveryFailure({ requests: store, now: () => now }, 'email-provider', message)).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(reads).toBe(8);
    expect(stored.recipients!['email-provider']!.status).toBe('pending');
  });

  it.each([
    ['a message about something else', JSON.stringify({ type: 'erasure', source: { kind: 'consent', id: requestId } })],
    ['a message without a request id', JSON.stringify({ type: 'erasure', source: { kind: 'rights-request' } })],
    ['a rectification message (not waited for)', JSON.stringify({ type: 'rectification', source: { kind: 'rights-request', id: requestId } })],
  ])('leaves the request alone for %s', async (_name, body) => {
    expect(await recordDeliveryFailure({ requests: store, now: () => now }, 'email-provider', body)).toBe(false);
    expect(reads).toBe(0);
  });

  it('leaves alone a request that does not wait for the recipient', async () => {
    expect(await recordDeliveryFailure({ requests: store, now: () => now }, 'app-service', message)).toBe(false);
    expect(stored.recipients!['email-provider']!.status).toBe('pending');
  });
});

describe('recipientsOverview', () => {
  const entry = (status: RecipientProgress['status'], answerBy = '2026-12-10'): RecipientProgress => ({ messageId: 'evt', action: 'delete', answerBy, status });

  it('counts per recipient the pending, overdue and failed entries, and calls it failing, overdue or ok', () => {
    const awaiting = [
      { recipients: { 'app-service': entry('pending'), 'email-provider': entry('failed') } },
      { recipients: { 'app-service': entry('pending', '2026-12-01'), 'email-provider': entry('done') } },
      { recipients: { 'app-service': entry('nothing_found') } },
      {},
    ];
    const overview = recipientsOverview(awaiting, '2026-12-06');
    expect(overview.map((o) => [o.recipient, o.status, o.awaiting])).toEqual([
      ['app-service', 'overdue', { pending: 1, overdue: 1, failed: 0 }],
      ['email-provider', 'failing', { pending: 0, overdue: 0, failed: 1 }],
    ]);
    expect(overview[0]).toMatchObject({ delivery: 'queue', kind: 'own-service', answerWithinDays: 7 });
    expect(recipientsOverview([{ recipients: { 'app-service': entry('pending') } }], '2026-12-06')[0].status).toBe('ok');
  });
});
