/**
 * Breach records (domain/incidents.ts) at the edges the main tests leave out: changing the description and the nature
 * (contact details refused in the nature list too, duplicates dropped), a subject notice's time normalised and checked
 * against detection, a notice dated before the breach was detected, the checklist without a description, the scope job's
 * store notes, a save that lost to a newer start, the last-delivery failure only for the job still wanted, the export
 * (audited, pseudonyms last) and a record that is not there. An in-memory store stands in for the table.
 */
import {
  IncidentNotFoundError,
  IncidentTimesError,
  PersonalDataInTextError,
  authorityChecklist,
  changeIncident,
  exportIncident,
  failScopeJob,
  getIncident,
  incidentCsv,
  incidentView,
  mergeScopes,
  recordIncident,
  runScopeJob,
  scopeStillWanted,
  startScope,
  type BreachNature,
  type ComputedStoreScope,
  type Incident,
  type IncidentStore,
  type ScopeJobDeps,
} from '../../lambdas/domain/incidents';

const NOW = '2026-12-01T12:00:00.000Z';

function memoryStore(): IncidentStore & { items: Map<string, Incident>; exported: string[]; writes: (readonly string[])[] } {
  const items = new Map<string, Incident>();
  const exported: string[] = [];
  const writes: (readonly string[])[] = [];
  return {
    items,
    exported,
    writes,
    async create(i) {
      items.set(i.incidentId, i);
    },
    async get(id) {
      return items.get(id);
    },
    async list() {
      return [...items.values()];
    },
    async replace(previous, next, fields) {
      if (items.get(previous.incidentId)?.updatedAt !== previous.updatedAt) throw new Error('changed');
      writes.push(fields);
      items.set(next.incidentId, next);
    },
    async pseudonyms() {
      return ['p-b', 'p-a'];
    },
    async recordExport(incident) {
      exported.push(incident.incidentId);
    },
  };
}

function deps(store = memoryStore()) {
  let n = 0;
  const sent: { incidentId: string; jobId: string }[] = [];
  return {
    incidents: store,
    now: () => new Date(NOW),
    newId: () => `00000000-0000-4000-8000-00000000000${n++}`,
    enqueueScope: async (job: { incidentId: string; jobId: string }) => void sent.push(job),
    sent,
  };
}

const input = {
  awareAt: '2026-12-01T10:00:00Z',
  detectedAt: '2026-12-01T09:00:00Z',
  stores: ['users', 'sessions', 'users'],
  window: { from: '2026-11-30T00:00:00Z', to: '2026-12-01T09:00:00Z' },
  description: 'Backup bucket briefly public',
  nature: ['confidentiality' as const],
};

describe('changing a record', () => {
  it('replaces the description and the nature (without duplicates), and audits the names of the fields changed', async () => {
    const d = deps();
    const incident = await recordIncident(d, input);
    expect(incident.stores).toEqual(['sessions', 'users']);
    const changed = await changeIncident(d, incident.incidentId, {
      description: 'Backup bucket public for two hours',
      nature: ['confidentiality', 'availability', 'confidentiality'],
    });
    expect(changed).toMatchObject({ description: 'Backup bucket public for two hours', nature: ['confidentiality', 'availability'], status: 'open' });
    expect(d.incidents.writes).toEqual([['incidents.description', 'incidents.nature']]);
  });

  it('refuses contact details anywhere in the change, a list included, naming the element', async () => {
    const d = deps();
    const incident = await recordIncident(d, input);
    const error = await changeIncident(d, incident.incidentId, { nature: ['confidentiality', 'call 0049 30 1234567' as BreachNature] }).catch((e) => e);
    expect(error).toBeInstanceOf(PersonalDataInTextError);
    expect(error.facts).toEqual({ field: 'nature.1' });
    expect(d.incidents.items.get(incident.incidentId)).toEqual(incident);
  });

  it("normalises the subjects' notification time to an ISO instant", async () => {
    const d = deps();
    const incident = await recordIncident(d, input);
    const changed = await changeIncident(d, incident.incidentId, { subjectNotice: { highRisk: true, notifiedAt: '2026-12-01T13:00:00+02:00' } });
    expect(changed.subjectNotice).toEqual({ highRisk: true, notifiedAt: '2026-12-01T11:00:00.000Z' });
  });

  it.each(['authorityNotice', 'subjectNotice'] as const)('refuses %s.notifiedAt dated before the breach was detected', async (notice) => {
    const d = deps();
    const incident = await recordIncident(d, input);
    const error = await changeIncident(d, incident.incidentId, { [notice]: { notifiedAt: '2026-12-01T08:59:00Z' } }).catch((e) => e);
    expect(error).toBeInstanceOf(IncidentTimesError);
    expect(error.facts).toEqual({ field: `${notice}.notifiedAt`, rule: 'before detectedAt' });
    expect(d.incidents.items.get(incident.incidentId)).toEqual(incident);
  });

  it('refuses a notice dated in the future beyond a few minutes of clock skew, and accepts one within it', async () => {
    const d = deps();
    const incident = await recordIncident(d, input);
    const error = await changeIncident(d, incident.incidentId, { subjectNotice: { notifiedAt: '2026-12-01T12:06:00Z' } }).catch((e) => e);
    expect(error.facts).toEqual({ field: 'subjectNotice.notifiedAt', rule: 'in the future' });
    await expect(changeIncident(d, incident.incidentId, { subjectNotice: { notifiedAt: '2026-12-01T12:04:00Z' } })).resolves.toBeDefined();
  });

  it('answers not found for a record that is not there, on every use case', async () => {
    const d = deps();
    await expect(getIncident(d, 'nope')).rejects.toBeInstanceOf(IncidentNotFoundError);
    await expect(changeIncident(d, 'nope', { description: 'x' })).rejects.toBeInstanceOf(IncidentNotFoundError);
    await expect(startScope(d, 'nope')).rejects.toBeInstanceOf(IncidentNotFoundError);
    await expect(exportIncident(d, 'nope')).rejects.toBeInstanceOf(IncidentNotFoundError);
    expect(d.sent).toEqual([]);
  });
});

describe('the authority checklist', () => {
  it('does not count the nature of the breach as filled while the description is blank', async () => {
    const d = deps();
    const incident = await recordIncident(d, input);
    const blank = { ...incident, description: '   ' };
    const item = authorityChecklist(blank, new Date(NOW)).items.find((i) => i.field === 'description');
    expect(item?.filled).toBe(false);
    expect(authorityChecklist({ ...incident, nature: [] }, new Date(NOW)).items.find((i) => i.field === 'description')?.filled).toBe(false);
  });
});

describe('the scope job', () => {
  const scope = (store: string, note?: string): ComputedStoreScope => ({
    store,
    kind: 'table',
    categories: ['identifier'],
    subjects: { count: 1, pseudonyms: ['p'], approximate: false },
    held: { enumerated: false, subjects: 1, identifiedBy: 'subjectId', ...(note ? { note } : {}) },
    accessed: { entries: 0, subjects: 0, byOrigin: [] },
  });

  it("keeps a store's note on what it holds, and leaves it out when there is none", () => {
    const { result } = mergeScopes([scope('users', 'counted, not listed'), scope('sessions')]);
    expect(result.stores[0].held).toEqual({ enumerated: false, subjects: 1, identifiedBy: 'subjectId', note: 'counted, not listed' });
    expect(result.stores[1].held).not.toHaveProperty('note');
  });

  it('answers superseded when the save lost to a newer start (the conditional write refused it)', async () => {
    const d = deps();
    const incident = await recordIncident(d, input);
    const started = await startScope(d, incident.incidentId);
    const windows: unknown[] = [];
    const jobDeps: ScopeJobDeps = {
      incidents: { get: d.incidents.get, saveScope: async () => false, failScope: async () => undefined },
      scopeOf: async (store, window) => {
        windows.push(window);
        return scope(store);
      },
    };
    expect(await runScopeJob(jobDeps, { incidentId: incident.incidentId, jobId: started.scope!.jobId })).toBe('superseded');
    // it did compute every store over the incident's window first
    expect(windows).toEqual([incident.window, incident.window]);
  });

  it('records a failed scope on the last delivery only for the job the incident still waits for', async () => {
    const d = deps();
    const incident = await recordIncident(d, input);
    const first = await startScope(d, incident.incidentId);
    const second = await startScope(d, incident.incidentId);
    const failed: string[] = [];
    const jobDeps = { incidents: { get: d.incidents.get, saveScope: async () => true, failScope: async (_i: Incident, jobId: string) => void failed.push(jobId) } };
    await failScopeJob(jobDeps, { incidentId: incident.incidentId, jobId: first.scope!.jobId });
    await failScopeJob(jobDeps, { incidentId: 'gone', jobId: first.scope!.jobId });
    expect(failed).toEqual([]);
    await failScopeJob(jobDeps, { incidentId: incident.incidentId, jobId: second.scope!.jobId });
    expect(failed).toEqual([second.scope!.jobId]);
  });

  it('no longer wants a result once the scope is done or failed, whatever the job id', () => {
    const base = { incidentId: 'i', scope: { status: 'queued' as const, jobId: 'j', requestedAt: NOW } } as Incident;
    expect(scopeStillWanted(base, 'j')).toBe(true);
    expect(scopeStillWanted({ ...base, scope: { ...base.scope!, status: 'done' } }, 'j')).toBe(false);
    expect(scopeStillWanted({ ...base, scope: { ...base.scope!, status: 'failed' } }, 'j')).toBe(false);
    expect(scopeStillWanted({ ...base, scope: undefined }, 'j')).toBe(false);
    expect(scopeStillWanted(undefined, 'j')).toBe(false);
  });
});

describe('the export', () => {
  it('audits the export and returns the view with its clock, the pseudonyms and when it was made', async () => {
    const d = deps();
    const incident = await recordIncident(d, input);
    const exported = await exportIncident(d, incident.incidentId);
    expect(d.incidents.exported).toEqual([incident.incidentId]);
    expect(exported.exportedAt).toBe(NOW);
    expect(exported.pseudonyms).toEqual(['p-b', 'p-a']);
    expect(exported.view.clock).toEqual({ deadline: '2026-12-04T10:00:00.000Z', state: 'running', minutesLeft: 70 * 60 });
  });

  it('leaves absent values out of the CSV, quotes line breaks, and numbers the elements of lists of objects', async () => {
    const d = deps();
    const incident = await recordIncident(d, { ...input, description: 'line one\nline two' });
    const withUnset: Incident = {
      ...incident,
      authorityNotice: { reference: undefined, approxRecords: 12 },
      scope: {
        status: 'done',
        jobId: 'j',
        requestedAt: NOW,
        result: {
          categories: ['contact'],
          subjects: { count: 1, approximate: false },
          stores: [
            { store: 'users', kind: 'table', categories: ['contact'], held: { enumerated: true, subjects: 1, identifiedBy: 'subjectId' }, accessed: { entries: 0, subjects: 0, byOrigin: [] } },
          ],
        },
      },
    };
    const lines = incidentCsv(incidentView(withUnset, new Date(NOW)), []).split('\r\n');
    expect(lines.some((l) => l.startsWith('authorityNotice.reference'))).toBe(false);
    expect(lines).toContain('authorityNotice.approxRecords,12');
    expect(lines).toContain('description,"line one\nline two"');
    expect(lines).toContain('scope.result.stores.0.store,users');
    expect(lines).toContain('scope.result.stores.0.held.subjects,1');
    expect(lines).toContain('scope.result.categories,contact');
    // lists of objects are numbered; an empty list of scalars is an empty value
    expect(lines).toContain('scope.result.stores.0.accessed.byOrigin,');
  });
});

describe('the CSV export opened in a spreadsheet', () => {
  it('neutralises free text that a spreadsheet would run as a formula, and leaves negative numbers alone', async () => {
    const incident = await recordIncident(deps(), { ...input, description: '=HYPERLINK("http://evil.example","x")' });
    // long past the 72 hours: minutesLeft is negative
    const csv = incidentCsv(incidentView(incident, new Date('2030-01-01T00:00:00.000Z')), []);
    expect(csv).toContain(`description,"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toMatch(/clock\.minutesLeft,-\d+\r\n/);
  });
});
