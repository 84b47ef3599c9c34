/**
 * Breach response rules (domain/incidents.ts): the 72-hour clock, the Art. 33 and 34 checklists, the refusal of text shaped
 * like contact details, late notices without reasons, and the scope job's merge and supersession. An in-memory store
 * stands in for the table (the integration test runs the real one).
 */
import {
  IncidentClosedError,
  LateNoticeReasonsError,
  PersonalDataInTextError,
  IncidentTimesError,
  MAX_SCOPE_WINDOW_DAYS,
  authorityChecklist,
  changeIncident,
  incidentCsv,
  incidentView,
  looksLikeContactDetails,
  mergeScopes,
  noticeClock,
  recordIncident,
  runScopeJob,
  startScope,
  subjectChecklist,
  type ComputedStoreScope,
  type Incident,
  type IncidentDeps,
  type IncidentStore,
} from '../../lambdas/domain/incidents';
import { MAX_WINDOW_DAYS, SCAN_TIME_FIELDS } from '../../lambdas/adapters/dynamo-breach-scope';
import { BREACH_SCAN_READS } from '../../lambdas/handlers/incident-data';
import { TABLE_IDS } from '../../lambdas/runtime/resources';
import { inventory } from '../../lambdas/inventory';

const AWARE = '2026-12-01T10:00:00.000Z';

function memoryStore(): IncidentStore & { items: Map<string, Incident>; saved: string[][] } {
  const items = new Map<string, Incident>();
  const saved: string[][] = [];
  return {
    items,
    saved,
    async create(i) {
      items.set(i.incidentId, i);
    },
    async get(id) {
      return items.get(id);
    },
    async list() {
      return [...items.values()];
    },
    async replace(previous, next) {
      if (items.get(previous.incidentId)?.updatedAt !== previous.updatedAt) throw new Error('changed');
      items.set(next.incidentId, next);
    },
    async pseudonyms() {
      return saved.at(-1) ?? [];
    },
    async recordExport() {},
  };
}

function deps(now: string, store = memoryStore()): IncidentDeps & { incidents: ReturnType<typeof memoryStore>; sent: unknown[] } {
  let n = 0;
  const sent: unknown[] = [];
  return {
    incidents: store,
    now: () => new Date(now),
    newId: () => `00000000-0000-4000-8000-00000000000${n++}`,
    enqueueScope: async (job) => {
      sent.push(job);
    },
    sent,
  };
}

const input = {
  awareAt: AWARE,
  detectedAt: '2026-12-01T09:00:00Z',
  stores: ['users'],
  window: { from: '2026-11-30T00:00:00Z', to: '2026-12-01T09:00:00Z' },
  description: 'Backup bucket briefly public',
  nature: ['confidentiality' as const],
};

describe('the 72-hour clock', () => {
  const incident = { awareAt: AWARE, authorityNotice: {} };

  it('runs from awareness to awareness + 72 h, then is overdue', () => {
    expect(noticeClock(incident, new Date('2026-12-02T10:00:00Z'))).toEqual({ deadline: '2026-12-04T10:00:00.000Z', state: 'running', minutesLeft: 48 * 60 });
    expect(noticeClock(incident, new Date('2026-12-04T10:00:00Z')).state).toBe('running');
    expect(noticeClock(incident, new Date('2026-12-04T11:30:00Z'))).toMatchObject({ state: 'overdue', minutesLeft: -90 });
  });

  it('stops at notification, on time or late', () => {
    const later = new Date('2026-12-20T00:00:00Z');
    expect(noticeClock({ awareAt: AWARE, authorityNotice: { notifiedAt: '2026-12-03T10:00:00Z' } }, later)).toMatchObject({ state: 'notified', minutesLeft: 24 * 60 });
    expect(noticeClock({ awareAt: AWARE, authorityNotice: { notifiedAt: '2026-12-05T10:00:00Z' } }, later)).toMatchObject({ state: 'notified-late', minutesLeft: -24 * 60 });
  });
});

describe('free text', () => {
  it.each([
    'contact alice@example.org for details',
    'alice%40example.org',
    'call +44 20 7946 0958',
    'call 0049 30 1234567',
    'ring 030 12345678',
    'ring 06 12 34 56 78',
  ])('refuses contact details: %s', (text) => {
    expect(looksLikeContactDetails(text)).toBe(true);
  });

  it.each(['on 2026-12-06 at 10:00', 'case INC-2026-0042', 'about 1200 records in 3 tables', 'ticket 123456789', 'version 1.2.3.4'])(
    'accepts ordinary text: %s',
    (text) => {
      expect(looksLikeContactDetails(text)).toBe(false);
    },
  );

  it('refuses a record whose description holds an email, naming the field only', async () => {
    const d = deps('2026-12-01T12:00:00Z');
    const error = await recordIncident(d, { ...input, description: 'reported by bob@example.com' }).catch((e) => e);
    expect(error).toBeInstanceOf(PersonalDataInTextError);
    expect(error.facts).toEqual({ field: 'description' });
    expect(d.incidents.items.size).toBe(0);
  });

  it('refuses a change with a phone number in a notice, naming its path, and keeps the record as it was', async () => {
    const d = deps('2026-12-01T12:00:00Z');
    const incident = await recordIncident(d, input);
    const error = await changeIncident(d, incident.incidentId, { authorityNotice: { measures: 'call +49 30 1234567' } }).catch((e) => e);
    expect(error).toBeInstanceOf(PersonalDataInTextError);
    expect(error.facts).toEqual({ field: 'authorityNotice.measures' });
    expect(d.incidents.items.get(incident.incidentId)).toEqual(incident);
  });
});

describe('recording and changing', () => {
  it('refuses impossible times', async () => {
    const d = deps('2026-12-01T12:00:00Z');
    await expect(recordIncident(d, { ...input, detectedAt: '2026-12-01T11:00:00Z' })).rejects.toBeInstanceOf(IncidentTimesError);
    await expect(recordIncident(d, { ...input, window: { from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' } })).rejects.toBeInstanceOf(IncidentTimesError);
    await expect(recordIncident(d, { ...input, awareAt: '2026-12-02T00:00:00Z' })).rejects.toBeInstanceOf(IncidentTimesError);
  });

  it('refuses a window longer than the scope walks (the breach-scope bound), and accepts one of exactly that length', async () => {
    expect(MAX_SCOPE_WINDOW_DAYS).toBe(MAX_WINDOW_DAYS);
    const d = deps('2026-12-01T12:00:00Z');
    const error = await recordIncident(d, { ...input, window: { from: '2025-10-27T00:00:00Z', to: '2026-12-01T09:00:00Z' } }).catch((e) => e);
    expect(error).toBeInstanceOf(IncidentTimesError);
    expect(error.facts).toEqual({ field: 'window', rule: 'longer than 400 days' });
    await expect(recordIncident(d, { ...input, window: { from: '2025-10-28T00:00:00Z', to: '2026-12-01T09:00:00Z' } })).resolves.toBeDefined();
  });

  it('asks for the reasons of a late notice (Art. 33(1)), and accepts it with them', async () => {
    const d = deps('2026-12-06T12:00:00Z');
    const incident = await recordIncident(d, input);
    const late = { notifiedAt: '2026-12-05T10:00:00Z' };
    await expect(changeIncident(d, incident.incidentId, { authorityNotice: late })).rejects.toBeInstanceOf(LateNoticeReasonsError);
    const changed = await changeIncident(d, incident.incidentId, { authorityNotice: { ...late, delayReasons: 'Forensics took four days' } });
    expect(changed.authorityNotice).toEqual({ notifiedAt: '2026-12-05T10:00:00.000Z', delayReasons: 'Forensics took four days' });
    expect(changed.updatedAt > incident.updatedAt).toBe(true);
  });

  it('merges notices field by field (information in phases, Art. 33(4))', async () => {
    const d = deps('2026-12-01T12:00:00Z');
    const incident = await recordIncident(d, input);
    await changeIncident(d, incident.incidentId, { authorityNotice: { consequences: 'Possible phishing', furtherInformationToFollow: true } });
    const next = await changeIncident(d, incident.incidentId, { authorityNotice: { measures: 'Bucket closed, keys rotated' } });
    expect(next.authorityNotice).toEqual({ consequences: 'Possible phishing', furtherInformationToFollow: true, measures: 'Bucket closed, keys rotated' });
  });

  it('lets a closed incident only be reopened', async () => {
    const d = deps('2026-12-01T12:00:00Z');
    const incident = await recordIncident(d, input);
    await changeIncident(d, incident.incidentId, { status: 'closed' });
    await expect(changeIncident(d, incident.incidentId, { description: 'More' })).rejects.toBeInstanceOf(IncidentClosedError);
    await expect(startScope(d, incident.incidentId)).rejects.toBeInstanceOf(IncidentClosedError);
    expect((await changeIncident(d, incident.incidentId, { status: 'open' })).status).toBe('open');
  });
});

describe('checklists', () => {
  const base: Incident = {
    incidentId: 'i',
    awareAt: AWARE,
    detectedAt: AWARE,
    stores: ['users'],
    window: { from: AWARE, to: AWARE },
    description: 'x',
    nature: ['confidentiality'],
    status: 'open',
    authorityNotice: {},
    subjectNotice: {},
    createdAt: AWARE,
    updatedAt: AWARE,
  };
  const filled = (c: { items: readonly { field: string; filled: boolean }[] }) => c.items.filter((i) => i.filled).map((i) => i.field);

  it('shows which Art. 33(3) points are filled, the delay reasons only once late', () => {
    const early = authorityChecklist(base, new Date('2026-12-02T00:00:00Z'));
    expect(early.items.map((i) => i.field)).not.toContain('delayReasons');
    expect(filled(early)).toEqual(['description']);
    expect(early.complete).toBe(false);
    const late = authorityChecklist(base, new Date('2026-12-10T00:00:00Z'));
    expect(late.items.map((i) => i.field)).toContain('delayReasons');
  });

  it('counts the scope as the categories and numbers, and is complete once every point is there', () => {
    const done: Incident = {
      ...base,
      scope: { status: 'done', jobId: 'j', requestedAt: AWARE, result: { categories: ['contact'], subjects: { count: 2, approximate: false }, stores: [] } },
      authorityNotice: { approxRecords: 10, dpoContactIncluded: true, consequences: 'c', measures: 'm', notifiedAt: '2026-12-02T00:00:00Z' },
    };
    expect(authorityChecklist(done, new Date('2026-12-02T00:00:00Z')).complete).toBe(true);
  });

  it('asks for the Art. 34(2) points, or for an exemption\'s reason and (disproportionate effort) the public communication', () => {
    expect(subjectChecklist(base).items.map((i) => i.field)).toEqual(['highRisk', 'plainDescription', 'dpoContactIncluded', 'consequences', 'measures', 'notifiedAt']);
    expect(subjectChecklist({ ...base, subjectNotice: { highRisk: false } })).toEqual({ items: [expect.objectContaining({ field: 'highRisk', filled: true })], complete: true });
    const exempt = subjectChecklist({ ...base, subjectNotice: { highRisk: true, exemption: 'disproportionate-effort', exemptionReason: 'No contact data' } });
    expect(exempt.items.map((i) => i.field)).toEqual(['highRisk', 'exemption', 'exemptionReason', 'publicCommunication']);
    expect(exempt.complete).toBe(false);
  });
});

describe('the scope job', () => {
  const storeScope = (store: string, pseudonyms: string[], extra = 0): ComputedStoreScope => ({
    store,
    kind: 'table',
    categories: [store === 'users' ? 'contact' : 'consent'],
    subjects: { count: pseudonyms.length + extra, pseudonyms, approximate: extra > 0 },
    held: { enumerated: true, subjects: pseudonyms.length + extra, identifiedBy: 'subject' },
    accessed: { entries: 1, subjects: 1, byOrigin: [] },
  });

  it('unites categories and pseudonyms over the stores and adds what a store counts without pseudonyms', () => {
    const { result, pseudonyms } = mergeScopes([storeScope('users', ['b', 'a']), storeScope('consent', ['a', 'c'], 3)]);
    expect(pseudonyms).toEqual(['a', 'b', 'c']);
    expect(result.subjects).toEqual({ count: 6, approximate: true });
    expect(result.categories).toEqual(['consent', 'contact']);
    expect(result.stores.map((s) => s.store)).toEqual(['users', 'consent']);
  });

  it('stores the result of the job the incident waits for, and drops a superseded one', async () => {
    const d = deps('2026-12-01T12:00:00Z');
    const incident = await recordIncident(d, input);
    const first = await startScope(d, incident.incidentId);
    const second = await startScope(d, incident.incidentId);
    const saves: string[] = [];
    const jobDeps = {
      incidents: {
        get: d.incidents.get,
        saveScope: async (_i: Incident, jobId: string) => {
          saves.push(jobId);
          return true;
        },
        failScope: async () => {},
      },
      scopeOf: async (store: string) => storeScope(store, ['p']),
    };
    expect(await runScopeJob(jobDeps, { incidentId: incident.incidentId, jobId: first.scope!.jobId })).toBe('superseded');
    expect(await runScopeJob(jobDeps, { incidentId: incident.incidentId, jobId: second.scope!.jobId })).toBe('done');
    expect(saves).toEqual([second.scope!.jobId]);
    expect(d.sent).toEqual([
      { incidentId: incident.incidentId, jobId: first.scope!.jobId },
      { incidentId: incident.incidentId, jobId: second.scope!.jobId },
    ]);
  });
});

describe('export', () => {
  it('flattens the record into field,value rows, quoting as RFC 4180 asks, pseudonyms last', async () => {
    const d = deps('2026-12-01T12:00:00Z');
    const incident = await recordIncident(d, { ...input, description: 'Bucket "backups", public' });
    const csv = incidentCsv(incidentView(incident, new Date('2026-12-01T12:00:00Z')), ['abc']);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('field,value');
    expect(lines).toContain('description,"Bucket ""backups"", public"');
    expect(lines).toContain('stores,users');
    expect(lines).toContain('clock.deadline,2026-12-04T10:00:00.000Z');
    expect(lines.at(-1)).toBe('scope.pseudonym,abc');
  });
});

describe('what the scope job declares', () => {
  it('reads, in every table but the audit trail and the incidents, the key and the times the scan projects', () => {
    // a table with no personal field (the jobs' run records) is about no one, so there is nothing to scan for
    const aboutSomeone = (id: (typeof TABLE_IDS)[number]) => Object.values(inventory[id].fields).some((d) => d.personal);
    expect(BREACH_SCAN_READS.map((t) => t.store).sort()).toEqual(TABLE_IDS.filter((id) => id !== 'audit' && id !== 'incidents' && aboutSomeone(id)).sort());
    expect(BREACH_SCAN_READS.map((t) => t.store)).not.toContain('jobRuns');
    for (const touch of BREACH_SCAN_READS) {
      expect(touch.access).toEqual(['read']);
      // the times declared are among those the adapter projects (it projects only what the store declares)
      for (const field of (touch.fields as readonly string[]).slice(1)) expect(SCAN_TIME_FIELDS).toContain(field);
    }
  });
});
