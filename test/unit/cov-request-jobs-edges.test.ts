/**
 * The rights worker's use case (domain/request-jobs.ts) when other writers change the request under it: an ack landing
 * while an erasure step, the recipients' entries or the final move is written (re-read and carried on, nothing lost),
 * another worker recording a step first or the request leaving `in_progress` (the job fails rather than overwrite), a
 * store that fails outright (no retry) or keeps losing (bounded re-reads). Also an erasure of an account already gone,
 * whose recipients are told by subject id only. Every port is an in-memory fake; the table's conditional writes are
 * modelled by comparing `updatedAt`.
 */
import { ERASURE_ORDER } from '../../lambdas/erasure-plan';
import type { AuditNote } from '../../lambdas/domain/audit';
import type { RecipientEvent } from '../../lambdas/domain/recipient-events';
import { pendingProgress } from '../../lambdas/domain/recipient-acks';
import { runRequestJob, type RequestJobDeps, type SubjectDataPort } from '../../lambdas/domain/request-jobs';
import { canMove, InvalidTransitionError, type RightsRequest, type RightsStore } from '../../lambdas/domain/rights';
import type { RecipientId } from '../../lambdas/recipients';

const NOW = new Date('2026-11-02T10:00:00.000Z');
/** A time after anything the worker writes: what a concurrent writer stamps. */
const LATER = (n = 1) => new Date(NOW.getTime() + n * 1000).toISOString();

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
  };
}

let stored: RightsRequest;
let reads: number;
/** Runs before each `replace` is applied: may change `stored` (a concurrent writer) or throw (the table failing). */
let beforeReplace: ((fields: readonly string[], note: AuditNote | undefined) => void) | undefined;
/** Runs before each `transition` is applied. */
let beforeTransition: ((to: RightsRequest['status']) => void) | undefined;
let published: RecipientEvent[];
let toldRecipients: RecipientId[];
let flushed: string[];

const apply = (previous: RightsRequest, next: RightsRequest) => {
  if (previous.updatedAt !== stored.updatedAt || previous.status !== stored.status) throw new InvalidTransitionError(previous.status, next.status);
  stored = structuredClone(next);
};

const requests: RightsStore = {
  create: async () => {
    throw new Error('not used by the worker');
  },
  listForSubject: async () => [],
  get: async () => {
    reads++;
    return structuredClone(stored);
  },
  replace: async (previous, next, fields, note) => {
    beforeReplace?.(fields, note);
    apply(previous, next);
  },
  transition: async (previous, to, change, at, extra = {}) => {
    beforeTransition?.(to);
    if (!canMove(previous.status, to)) throw new InvalidTransitionError(previous.status, to);
    const next: RightsRequest = { ...previous, ...extra, status: to, history: [...previous.history, { status: to, at: at.toISOString(), ...change }], updatedAt: at.toISOString() };
    apply(previous, next);
    return next;
  },
};

const profile = jest.fn();
const data: SubjectDataPort = {
  user: async () => undefined,
  profile,
  identities: async () => [],
  sessions: async () => [],
  consentItems: async () => [],
  requests: async () => [],
  analyticsEvents: async () => [],
  auditEntries: async () => [],
  putExport: async (requestId) => ({ json: `exports/${requestId}/export.json`, csv: `exports/${requestId}/export.csv` }),
  eraseExports: async () => 0,
  eraseAnalytics: async () => 0,
  eraseSessions: async () => 0,
  eraseIdentities: async () => 0,
  pseudonymiseConsent: async () => 0,
  pseudonymiseRequests: async () => 0,
  eraseThrottle: async () => 0,
  eraseUser: async () => 0,
  shredKey: async () => 0,
  leftovers: async () => [],
};

const deps: RequestJobDeps = {
  requests,
  retentionOf: async () => undefined,
  data,
  audit: {
    record: async () => undefined,
    flushReads: async (outcome) => void flushed.push(outcome),
  },
  pseudonymOf: async () => 'pseudo',
  forgetCached: () => undefined,
  now: () => NOW,
  recipients: {
    publish: async (event) => {
      published.push(event);
      return toldRecipients;
    },
  },
  awaits: () => true,
  lastReceive: 5,
};

const run = (kind: 'erasure' | 'export') => runRequestJob(deps, { kind, requestId: 'req-1' }, { receiveCount: 1 });
const acked = (recipient: RecipientId, type: RightsRequest['type'] = 'erasure') => ({
  ...pendingProgress(recipient, request({ type })),
  status: 'done' as const,
  at: LATER(),
});
const isStep = (note: AuditNote | undefined) => note?.action === 'erase';

beforeEach(() => {
  stored = request();
  reads = 0;
  beforeReplace = undefined;
  beforeTransition = undefined;
  published = [];
  toldRecipients = ['app-service'];
  flushed = [];
  profile.mockReset();
});

describe('an erasure of an account already gone', () => {
  it('tells the recipients by subject id only (the email went with the profile), without trying to open a profile', async () => {
    expect(await run('erasure')).toBe('done');
    expect(published).toEqual([
      { type: 'erasure', source: { kind: 'rights-request', id: 'req-1' }, at: '2026-11-01T00:00:00.000Z', subject: { subjectId: 'sub-1' }, identifiersLost: true },
    ]);
    expect(profile).not.toHaveBeenCalled();
    expect(stored.erasureSteps!.map((s) => s.store)).toEqual(ERASURE_ORDER);
    expect(stored).toMatchObject({ status: 'awaiting_recipients', subjectId: 'erased#pseudo', recipients: { 'app-service': { status: 'pending' } } });
  });
});

describe('an erasure of an account still there', () => {
  it('tells the recipients by subject id and email, read from the profile before anything is deleted', async () => {
    const user = { subjectId: 'sub-1', emailIndex: 'idx', profile: 'sealed', roles: ['subject'], createdAt: '2026-10-01T00:00:00.000Z', updatedAt: '2026-10-01T00:00:00.000Z' };
    profile.mockResolvedValue({ profile: { email: 'ana@example.com', displayName: 'Ana' }, sources: {} });
    toldRecipients = ['app-service', 'email-provider'];
    expect(await runRequestJob({ ...deps, data: { ...data, user: async () => user } }, { kind: 'erasure', requestId: 'req-1' }, { receiveCount: 1 })).toBe('done');
    expect(published.map((e) => [e.subject, e.identifiersLost])).toEqual([[{ subjectId: 'sub-1', email: 'ana@example.com' }, undefined]]);
    expect(Object.keys(stored.recipients!).sort()).toEqual(['app-service', 'email-provider']);
    expect(stored.pendingVerification).toBeUndefined();
  });
});

describe('the last delivery', () => {
  it('leaves the request in progress when the failure is an injected fault, and still fails the job', async () => {
    const faulty: RequestJobDeps = {
      ...deps,
      afterErasureStep: () => {
        throw new Error('injected crash');
      },
      isInjectedFault: (error) => error instanceof Error && error.message === 'injected crash',
    };
    await expect(runRequestJob(faulty, { kind: 'erasure', requestId: 'req-1' }, { receiveCount: 5 })).rejects.toThrow('injected crash');
    expect(stored.status).toBe('in_progress');
    // the step before the crash is recorded: the redelivery resumes after it
    expect(stored.erasureSteps!.map((s) => s.store)).toEqual([ERASURE_ORDER[0]]);
    expect(flushed).toEqual(['failure']);
  });
});

describe('recording an erasure step while others write', () => {
  it('re-reads and records the step on the request when an ack landed meanwhile, keeping the ack, and completes on it', async () => {
    let interfered = false;
    beforeReplace = (_fields, note) => {
      if (!isStep(note) || interfered) return;
      interfered = true;
      // the first step's write loses to the app service's ack (it changes only the recipients)
      stored = { ...stored, recipients: { 'app-service': acked('app-service') }, updatedAt: LATER() };
    };
    expect(await run('erasure')).toBe('done');
    expect(interfered).toBe(true);
    expect(stored.erasureSteps!.map((s) => s.store)).toEqual(ERASURE_ORDER);
    expect(stored.recipients!['app-service']).toMatchObject({ status: 'done' });
    // the ack was the last one owed: the worker's own move completes the request
    expect(stored.status).toBe('completed');
    expect(stored.receipt).toMatchObject({ requestId: 'req-1', verification: { ok: true } });
  });

  it('fails the job, without recording its step, when another worker recorded a step first', async () => {
    const theirs = { store: 'exports' as const, action: 'deleted' as const, count: 0, at: LATER() };
    beforeReplace = (_fields, note) => {
      if (isStep(note) && !stored.erasureSteps) stored = { ...stored, erasureSteps: [theirs], updatedAt: LATER() };
    };
    await expect(run('erasure')).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(stored.erasureSteps).toEqual([theirs]);
    expect(flushed).toEqual(['failure']);
  });

  it('fails the job when the request left in_progress meanwhile (marked failed by an earlier delivery)', async () => {
    beforeReplace = (_fields, note) => {
      if (isStep(note) && stored.status === 'in_progress') stored = { ...stored, status: 'failed', updatedAt: LATER() };
    };
    await expect(run('erasure')).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(stored.status).toBe('failed');
    expect(stored.erasureSteps).toBeUndefined();
  });

  it('does not re-read when the store fails outright: the error goes to the caller (and the message is retried)', async () => {
    beforeReplace = (_fields, note) => {
      if (isStep(note)) throw new Error('table unavailable');
    };
    await expect(run('erasure')).rejects.toThrow('table unavailable');
    // the one read of the job itself, none for the step
    expect(reads).toBe(1);
    expect(stored.erasureSteps).toBeUndefined();
  });

  it('gives up after a bounded number of re-reads when every step write loses', async () => {
    let n = 0;
    beforeReplace = (_fields, note) => {
      if (isStep(note)) stored = { ...stored, updatedAt: LATER(++n) };
    };
    await expect(run('erasure')).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(n).toBe(5);
    // one read by the job, four re-reads by the step's attempts
    expect(reads).toBe(1 + 4);
    expect(stored.erasureSteps).toBeUndefined();
  });
});

describe('recording the recipients told while others write', () => {
  beforeEach(() => {
    stored = request({ type: 'export', status: 'queued' });
    toldRecipients = ['app-service', 'email-provider'];
  });

  it('adds only the entries still missing after an early ack landed, and then waits for the rest', async () => {
    let interfered = false;
    beforeReplace = (fields) => {
      if (interfered || !fields.includes('rightsRequests.recipients')) return;
      interfered = true;
      stored = { ...stored, recipients: { 'app-service': acked('app-service', 'export') }, updatedAt: LATER() };
    };
    expect(await run('export')).toBe('done');
    expect(interfered).toBe(true);
    expect(stored.recipients!['app-service']).toMatchObject({ status: 'done', action: 'provide-part' });
    expect(stored.recipients!['email-provider']).toMatchObject({ status: 'pending', action: 'provide-part' });
    expect(stored).toMatchObject({ status: 'awaiting_recipients', exportKeys: { json: 'exports/req-1/export.json' } });
  });

  it('fails the job when the request is no longer in progress by then', async () => {
    beforeReplace = (fields) => {
      if (fields.includes('rightsRequests.recipients') && stored.status === 'in_progress') stored = { ...stored, status: 'failed', updatedAt: LATER() };
    };
    await expect(run('export')).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(stored.recipients).toBeUndefined();
    expect(stored.exportKeys).toBeUndefined();
  });

  it('gives up after a bounded number of re-reads when every write of the entries loses', async () => {
    let n = 0;
    beforeReplace = (fields) => {
      if (fields.includes('rightsRequests.recipients')) stored = { ...stored, updatedAt: LATER(++n) };
    };
    await expect(run('export')).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(n).toBe(5);
    expect(stored.recipients).toBeUndefined();
  });

  it('does not re-read when the store fails outright while recording the entries', async () => {
    beforeReplace = (fields) => {
      if (fields.includes('rightsRequests.recipients')) throw new Error('table unavailable');
    };
    await expect(run('export')).rejects.toThrow('table unavailable');
    expect(reads).toBe(1);
    expect(stored.recipients).toBeUndefined();
  });

  it('completes at once when the deployment waits for none of the recipients told (they are still told)', async () => {
    const none = { ...deps, awaits: () => false };
    expect(await runRequestJob(none, { kind: 'export', requestId: 'req-1' }, { receiveCount: 1 })).toBe('done');
    expect(published).toHaveLength(1);
    expect(stored.recipients).toBeUndefined();
    expect(stored.status).toBe('completed');
  });

  it('records every recipient the deployment waits for, and only those', async () => {
    const only = { ...deps, awaits: (r: RecipientId) => r === 'email-provider' };
    expect(await runRequestJob(only, { kind: 'export', requestId: 'req-1' }, { receiveCount: 1 })).toBe('done');
    expect(Object.keys(stored.recipients!)).toEqual(['email-provider']);
  });
});

describe('the final move while others write', () => {
  it('re-reads and completes when the last ack landed just before the move to awaiting_recipients', async () => {
    stored = request({ type: 'export', status: 'in_progress' });
    let interfered = false;
    beforeTransition = (to) => {
      if (interfered || to !== 'awaiting_recipients') return;
      interfered = true;
      stored = { ...stored, recipients: { 'app-service': acked('app-service', 'export') }, updatedAt: LATER() };
    };
    expect(await run('export')).toBe('done');
    expect(interfered).toBe(true);
    expect(stored.status).toBe('completed');
    expect(stored.history.map((h) => h.status)).toEqual(['completed']);
  });

  it('does not re-read when the store fails outright at the final move', async () => {
    stored = request({ type: 'export', status: 'in_progress' });
    beforeTransition = () => {
      throw new Error('table unavailable');
    };
    await expect(run('export')).rejects.toThrow('table unavailable');
    expect(reads).toBe(1);
    expect(stored.status).toBe('in_progress');
  });

  it('gives up after a bounded number of re-reads when every move loses, leaving the request in progress', async () => {
    stored = request({ type: 'export', status: 'in_progress' });
    let n = 0;
    beforeTransition = () => {
      stored = { ...stored, updatedAt: LATER(++n) };
    };
    await expect(run('export')).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(n).toBe(5);
    expect(stored.status).toBe('in_progress');
  });
});
