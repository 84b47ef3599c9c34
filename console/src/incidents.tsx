/**
 * Breach response (`#/incidents`, `#/incidents/<id>`): the register of breaches with each one's 72-hour clock, a form to
 * record a new one, and one incident's page: its scope (computed by the API in the background; this screen polls), the
 * Art. 33 notice and Art. 34 communication with which points are filled, status, and the export (JSON, CSV, or print).
 *
 * Free text here is the officer's: the API refuses text shaped like an email address or a phone number, and this screen
 * shows that refusal like any other. Every read, change and export is recorded on the audit trail by the API.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from './api';
import type { components } from './api-schema';
import { fileNameOf, saveFile } from './download';
import { ProblemView } from './problem-view';

type Incident = components['schemas']['Incident'];
type NewIncident = components['schemas']['NewIncident'];
type Change = components['schemas']['IncidentChange'];
type Checklist = Incident['checklists']['authority'];

/** The stores an officer most often names; typed against the API's list, so a renamed store fails the console's typecheck. */
const STORES = [
  'users',
  'subjectKeys',
  'identities',
  'sessions',
  'loginThrottle',
  'consent',
  'analyticsEvents',
  'rightsRequests',
  'audit',
  'exports',
] as const satisfies readonly NewIncident['stores'][number][];
const NATURES = ['confidentiality', 'integrity', 'availability'] as const satisfies readonly NewIncident['nature'][number][];
const EXEMPTIONS = {
  unintelligible: 'Art. 34(3)(a): data unintelligible (e.g. encrypted, key not exposed)',
  'subsequent-measures': 'Art. 34(3)(b): subsequent measures remove the high risk',
  'disproportionate-effort': 'Art. 34(3)(c): disproportionate effort, public communication instead',
} as const;

const shortTime = (iso: string) => iso.replace('T', ' ').slice(0, 16) + ' UTC';
/** `datetime-local` inputs speak the browser's local time; the API speaks UTC ISO 8601. */
const fromLocal = (value: string) => (value ? new Date(value).toISOString() : undefined);
const toLocal = (iso: string | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const text = (form: FormData, name: string) => {
  const value = String(form.get(name) ?? '').trim();
  return value === '' ? undefined : value;
};
const count = (form: FormData, name: string) => {
  const value = text(form, name);
  return value === undefined ? undefined : Number(value);
};
/**
 * The forms are uncontrolled (`defaultValue`): a re-render (a refusal, a save) must not put back what the officer changed.
 */
/** Leaves out what the form left empty, so a partial notice does not clear what an earlier phase filled. */
const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

function hoursAndMinutes(minutes: number): string {
  const m = Math.abs(minutes);
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The 72-hour clock as a badge: time left, overdue, or how the notice went. */
export function ClockBadge({ clock }: { clock: Incident['clock'] }) {
  const [cls, words] =
    clock.state === 'running'
      ? [clock.minutesLeft < 12 * 60 ? 'due-soon' : 'on-time', `${hoursAndMinutes(clock.minutesLeft)} left`]
      : clock.state === 'overdue'
        ? ['overdue', `Overdue by ${hoursAndMinutes(clock.minutesLeft)}`]
        : clock.state === 'notified'
          ? ['on-time', 'Authority notified in time']
          : ['overdue', `Authority notified ${hoursAndMinutes(clock.minutesLeft)} late`];
  return (
    <span class={`badge ${cls}`}>
      <span class="visually-hidden">72-hour clock: </span>
      {words}
    </span>
  );
}

function ChecklistView({ id, title, checklist }: { id: string; title: string; checklist: Checklist }) {
  const filled = checklist.items.filter((i) => i.filled).length;
  return (
    <div>
      <h3 id={id}>
        {title}: {filled} of {checklist.items.length} {checklist.complete ? '(complete)' : ''}
      </h3>
      <ul class="checklist" aria-labelledby={id}>
        {checklist.items.map((item) => (
          <li class={item.filled ? 'filled' : 'missing'}>
            <span aria-hidden="true">{item.filled ? '✔' : '○'}</span> <span class="visually-hidden">{item.filled ? 'Filled:' : 'Missing:'}</span>{' '}
            {item.label} <span class="muted">(Art. {item.article})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A scope still queued this long after it was asked for is probably lost (its job was never sent, or waits in the DLQ):
 * a scope takes seconds. The officer may then start it again; the new job supersedes the old one, whose result, should
 * it come after all, is dropped.
 */
export const SCOPE_STALLED_AFTER_MS = 5 * 60_000;

function scopeStalled(scope: Incident['scope'], now = Date.now()): boolean {
  return scope?.status === 'queued' && now - Date.parse(scope.requestedAt) > SCOPE_STALLED_AFTER_MS;
}

/** Ask again every second at first, then every five: a scope that takes longer is big, or stuck. */
function pollDelay(scope: Incident['scope']): number | undefined {
  if (scope?.status !== 'queued') return undefined;
  return Date.now() - Date.parse(scope.requestedAt) < 60_000 ? 1000 : 5000;
}

function ScopeView({ scope }: { scope: NonNullable<Incident['scope']> }) {
  if (scopeStalled(scope)) {
    return (
      <p role="status">
        No result since {shortTime(scope.requestedAt)}. A scope takes seconds: its job was probably lost, or fails and is being retried (see the
        rights-request DLQ on the Operations screen). Start it again below.
      </p>
    );
  }
  if (scope.status === 'queued') return <p role="status">Computing the scope (requested {shortTime(scope.requestedAt)})…</p>;
  if (scope.status === 'failed' || !scope.result) return <p role="status">The scope job failed; start it again. Its message is in the rights-request DLQ.</p>;
  const { result } = scope;
  return (
    <div>
      <dl class="facts">
        <dt>Subjects concerned</dt>
        <dd>
          {result.subjects.count} {result.subjects.approximate ? '(approximate: a store counts keys that are not audit pseudonyms)' : ''}
        </dd>
        <dt>Categories</dt>
        <dd>{result.categories.join(', ') || 'none'}</dd>
        <dt>Computed</dt>
        <dd>{scope.finishedAt ? shortTime(scope.finishedAt) : ''}</dd>
      </dl>
      {result.stores.map((store) => (
        <table>
          <caption>
            <code>{store.store}</code> ({store.kind}): {store.held.enumerated ? `${store.held.subjects} subjects held in the window` : store.held.note}; {store.accessed.entries}{' '}
            accesses to {store.accessed.subjects} subjects
          </caption>
          <thead>
            <tr>
              <th scope="col">Origin</th>
              <th scope="col">Entries</th>
              <th scope="col">Subjects</th>
              <th scope="col">Actions</th>
              <th scope="col">Categories</th>
            </tr>
          </thead>
          <tbody>
            {store.accessed.byOrigin.map((o) => (
              <tr>
                <td>
                  <code>{o.origin}</code>
                  {o.declared ? '' : ' (undeclared)'}
                </td>
                <td>{o.entries}</td>
                <td>{o.subjects}</td>
                <td>{o.actions.join(', ')}</td>
                <td>{o.categories.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      <p class="muted">The subjects' audit pseudonyms are in the export.</p>
    </div>
  );
}

function TextField({ name, label, value, area = true }: { name: string; label: string; value?: string; area?: boolean }) {
  return (
    <label class="field">
      {label}
      {area ? <textarea name={name} defaultValue={value ?? ''} /> : <input name={name} defaultValue={value ?? ''} />}
    </label>
  );
}

export function IncidentDetail({ incidentId }: { incidentId: string }) {
  const [incident, setIncident] = useState<Incident>();
  const [problem, setProblem] = useState<Problem>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const poll = useRef<ReturnType<typeof setTimeout>>();
  const params = { path: { incidentId } };

  const load = async () => {
    const { data, error, response } = await api.GET('/v1/admin/incidents/{incidentId}', { params });
    if (!data) return setProblem(problemOf(error, response));
    setIncident(data);
    // the scope runs in the background: ask again until it is done
    const delay = pollDelay(data.scope);
    if (delay) poll.current = setTimeout(() => void load(), delay);
  };
  useEffect(() => {
    void load();
    return () => clearTimeout(poll.current);
  }, [incidentId]);

  const act = async (what: string, call: () => Promise<{ data?: Incident; error?: unknown; response: Response }>) => {
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    const { data, error, response } = await call();
    setBusy(false);
    if (!data) return setProblem(problemOf(error, response));
    setIncident(data);
    setDone(what);
    clearTimeout(poll.current);
    const delay = pollDelay(data.scope);
    if (delay) poll.current = setTimeout(() => void load(), delay);
  };
  const change = (what: string, body: Change) => act(what, () => api.PATCH('/v1/admin/incidents/{incidentId}', { params, body }));

  const download = async (format: 'json' | 'csv') => {
    setProblem(undefined);
    const { data, error, response } = await api.GET('/v1/admin/incidents/{incidentId}/export', { params: { ...params, query: { format } }, parseAs: 'text' });
    if (data === undefined) {
      let parsed: unknown = error;
      try {
        parsed = typeof error === 'string' ? JSON.parse(error) : error;
      } catch {
        /* not a problem document */
      }
      return setProblem(problemOf(parsed, response));
    }
    const name = fileNameOf(response, `incident-${incidentId}.${format}`);
    saveFile(data, name, format === 'csv' ? 'text/csv' : 'application/json');
    setDone(`Exported ${name}`);
  };

  const back = (
    <p class="no-print">
      <a href="#/incidents">Back to the incidents</a>
    </p>
  );
  if (!incident) {
    return (
      <main>
        {back}
        <h1 tabIndex={-1}>Incident</h1>
        {problem ? <ProblemView problem={problem} /> : <p role="status">Loading the incident…</p>}
      </main>
    );
  }
  const a = incident.authorityNotice;
  const s = incident.subjectNotice;
  const open = incident.status === 'open';
  const late = incident.clock.state === 'overdue' || incident.clock.state === 'notified-late';

  const saveAuthority = (event: Event) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    void change('Authority notice saved', {
      authorityNotice: defined({
        natureDetail: text(f, 'natureDetail'),
        approxSubjects: count(f, 'approxSubjects'),
        approxRecords: count(f, 'approxRecords'),
        dpoContactIncluded: f.get('dpoContactIncluded') === 'on',
        consequences: text(f, 'consequences'),
        measures: text(f, 'measures'),
        furtherInformationToFollow: f.get('furtherInformationToFollow') === 'on',
        notifiedAt: fromLocal(String(f.get('notifiedAt') ?? '')),
        delayReasons: text(f, 'delayReasons'),
        reference: text(f, 'reference'),
      }),
    });
  };
  const saveSubjects = (event: Event) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const risk = String(f.get('highRisk') ?? '');
    const exemption = String(f.get('exemption') ?? '');
    void change('Subject communication saved', {
      subjectNotice: defined({
        highRisk: risk === '' ? undefined : risk === 'yes',
        plainDescription: text(f, 'plainDescription'),
        dpoContactIncluded: f.get('subjectDpo') === 'on',
        consequences: text(f, 'subjectConsequences'),
        measures: text(f, 'subjectMeasures'),
        notifiedAt: fromLocal(String(f.get('subjectNotifiedAt') ?? '')),
        exemption: exemption === '' ? undefined : (exemption as keyof typeof EXEMPTIONS),
        exemptionReason: text(f, 'exemptionReason'),
        publicCommunication: text(f, 'publicCommunication'),
      }),
    });
  };

  return (
    <main>
      {back}
      <h1 tabIndex={-1}>
        Incident <code>{incident.incidentId}</code>
      </h1>
      <dl class="facts">
        <dt>Notice to the authority</dt>
        <dd>
          <ClockBadge clock={incident.clock} /> deadline {shortTime(incident.clock.deadline)} (aware {shortTime(incident.awareAt)} + 72 h)
        </dd>
        <dt>Status</dt>
        <dd>{incident.status}</dd>
        <dt>Detected</dt>
        <dd>{shortTime(incident.detectedAt)}</dd>
        <dt>Affected stores</dt>
        <dd>{incident.stores.join(', ')}</dd>
        <dt>Window</dt>
        <dd>
          {shortTime(incident.window.from)} to {shortTime(incident.window.to)}
        </dd>
        <dt>Nature</dt>
        <dd>{incident.nature.join(', ')}</dd>
        <dt>Description</dt>
        <dd>{incident.description}</dd>
      </dl>
      {problem && <ProblemView problem={problem} />}
      {done && (
        <p class="done" role="status">
          {done}
        </p>
      )}
      <div class="actions no-print">
        <button type="button" disabled={busy} onClick={() => download('json')}>
          Export JSON
        </button>
        <button type="button" disabled={busy} onClick={() => download('csv')}>
          Export CSV
        </button>
        <button type="button" class="secondary" onClick={() => print()}>
          Print
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => change(open ? 'Incident closed' : 'Incident reopened', { status: open ? 'closed' : 'open' })}>
          {open ? 'Close the incident' : 'Reopen the incident'}
        </button>
      </div>

      <section aria-labelledby="scope">
        <h2 id="scope">Scope</h2>
        {incident.scope ? <ScopeView scope={incident.scope} /> : <p>Not computed yet.</p>}
        {open && (incident.scope?.status !== 'queued' || scopeStalled(incident.scope)) && (
          <button type="button" class="no-print" disabled={busy} onClick={() => act('Scope started', () => api.POST('/v1/admin/incidents/{incidentId}/scope', { params }))}>
            {incident.scope ? 'Compute the scope again' : 'Compute the scope'}
          </button>
        )}
      </section>

      <section aria-labelledby="checklists">
        <h2 id="checklists">Checklists</h2>
        <ChecklistView id="authority-checklist" title="Notice to the supervisory authority (Art. 33)" checklist={incident.checklists.authority} />
        <ChecklistView id="subject-checklist" title="Communication to the data subjects (Art. 34)" checklist={incident.checklists.subjects} />
      </section>

      {open && (
        <>
          <form class="action no-print" onSubmit={saveAuthority} aria-labelledby="authority-form">
            <h3 id="authority-form">Notice to the supervisory authority</h3>
            <p class="muted">No email addresses or phone numbers: the record holds pseudonyms only. The DPO contact is the one in the record of processing.</p>
            <TextField name="natureDetail" label="Categories of data and of subjects (33(3)(a))" value={a.natureDetail} />
            <label class="field">
              Approximate number of subjects (33(3)(a))
              <input name="approxSubjects" type="number" min={0} defaultValue={String(a.approxSubjects ?? incident.scope?.result?.subjects.count ?? '')} />
            </label>
            <label class="field">
              Approximate number of records (33(3)(a))
              <input name="approxRecords" type="number" min={0} defaultValue={String(a.approxRecords ?? '')} />
            </label>
            <label class="choice">
              <input name="dpoContactIncluded" type="checkbox" defaultChecked={a.dpoContactIncluded === true} /> The notice gives the DPO's contact (33(3)(b))
            </label>
            <TextField name="consequences" label="Likely consequences (33(3)(c))" value={a.consequences} />
            <TextField name="measures" label="Measures taken or proposed (33(3)(d))" value={a.measures} />
            <label class="choice">
              <input name="furtherInformationToFollow" type="checkbox" defaultChecked={a.furtherInformationToFollow === true} /> More information to follow (33(4))
            </label>
            <label class="field">
              Authority notified at (your local time)
              <input name="notifiedAt" type="datetime-local" defaultValue={toLocal(a.notifiedAt)} />
            </label>
            <TextField name="delayReasons" label={`Reasons for the delay (33(1))${late ? ', required: past 72 hours' : ', if notified after 72 hours'}`} value={a.delayReasons} />
            <TextField name="reference" label="Authority's case reference" value={a.reference} area={false} />
            <button type="submit" disabled={busy}>
              Save the authority notice
            </button>
          </form>

          <form class="action no-print" onSubmit={saveSubjects} aria-labelledby="subjects-form">
            <h3 id="subjects-form">Communication to the data subjects</h3>
            <label class="field">
              Likely high risk to the subjects (34(1))
              <select name="highRisk">
                <option value="" selected={s.highRisk === undefined}>
                  Not assessed
                </option>
                <option value="yes" selected={s.highRisk === true}>
                  Yes: tell them, or record an exemption
                </option>
                <option value="no" selected={s.highRisk === false}>
                  No
                </option>
              </select>
            </label>
            <TextField name="plainDescription" label="The breach in plain language (34(2))" value={s.plainDescription} />
            <label class="choice">
              <input name="subjectDpo" type="checkbox" defaultChecked={s.dpoContactIncluded === true} /> Gives the DPO's contact
            </label>
            <TextField name="subjectConsequences" label="Likely consequences" value={s.consequences} />
            <TextField name="subjectMeasures" label="Measures taken or proposed" value={s.measures} />
            <label class="field">
              Subjects told at (your local time)
              <input name="subjectNotifiedAt" type="datetime-local" defaultValue={toLocal(s.notifiedAt)} />
            </label>
            <label class="field">
              Exemption (34(3))
              <select name="exemption">
                <option value="" selected={!s.exemption}>
                  None: each subject is told
                </option>
                {Object.entries(EXEMPTIONS).map(([value, label]) => (
                  <option value={value} selected={s.exemption === value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <TextField name="exemptionReason" label="Why the exemption applies" value={s.exemptionReason} />
            <TextField name="publicCommunication" label="Public communication made instead (34(3)(c))" value={s.publicCommunication} />
            <button type="submit" disabled={busy}>
              Save the subject communication
            </button>
          </form>
        </>
      )}
    </main>
  );
}

export function IncidentList() {
  const [incidents, setIncidents] = useState<Incident[]>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void (async () => {
      const { data, error, response } = await api.GET('/v1/admin/incidents');
      if (!data) return setProblem(problemOf(error, response));
      setIncidents(data.incidents);
    })();
  }, []);

  const record = async (event: Event) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const body: NewIncident = {
      awareAt: fromLocal(String(f.get('awareAt') ?? '')) ?? '',
      detectedAt: fromLocal(String(f.get('detectedAt') ?? '')) ?? '',
      stores: f.getAll('stores').map(String) as NewIncident['stores'],
      window: { from: fromLocal(String(f.get('from') ?? '')) ?? '', to: fromLocal(String(f.get('to') ?? '')) ?? '' },
      description: String(f.get('description') ?? ''),
      nature: f.getAll('nature').map(String) as NewIncident['nature'],
    };
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await api.POST('/v1/admin/incidents', { body });
    setBusy(false);
    if (!data) return setProblem(problemOf(error, response));
    location.hash = `#/incidents/${data.incidentId}`;
  };
  const now = toLocal(new Date().toISOString());

  return (
    <main>
      <h1 tabIndex={-1}>Incidents</h1>
      <p class="muted">Personal-data breaches (Arts. 33 and 34): the authority is told within 72 hours of awareness.</p>
      {problem && <ProblemView problem={problem} />}
      {!incidents && !problem && <p role="status">Loading the incidents…</p>}
      {incidents && incidents.length === 0 && <p>No incident recorded.</p>}
      {incidents && incidents.length > 0 && (
        <table>
          <caption class="visually-hidden">Recorded incidents, newest awareness first</caption>
          <thead>
            <tr>
              <th scope="col">Aware since</th>
              <th scope="col">Stores</th>
              <th scope="col">Status</th>
              <th scope="col">72-hour clock</th>
              <th scope="col">Checklists</th>
            </tr>
          </thead>
          <tbody>
            {incidents.map((i) => (
              <tr>
                <td>
                  <a href={`#/incidents/${i.incidentId}`}>{shortTime(i.awareAt)}</a>
                </td>
                <td>{i.stores.join(', ')}</td>
                <td>{i.status}</td>
                <td>
                  <ClockBadge clock={i.clock} />
                </td>
                <td>
                  Authority {i.checklists.authority.complete ? 'complete' : 'incomplete'}, subjects {i.checklists.subjects.complete ? 'complete' : 'incomplete'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <form class="action" onSubmit={record} aria-labelledby="record-incident">
        <h2 id="record-incident">Record a breach</h2>
        <p class="muted">No email addresses or phone numbers: the record holds pseudonyms only. Times are your local time.</p>
        <label class="field">
          Aware since (the 72 hours run from here)
          <input name="awareAt" type="datetime-local" required defaultValue={now} />
        </label>
        <label class="field">
          Detected at
          <input name="detectedAt" type="datetime-local" required defaultValue={now} />
        </label>
        <fieldset>
          <legend>Affected stores</legend>
          {STORES.map((store) => (
            <label class="choice">
              <input type="checkbox" name="stores" value={store} /> {store}
            </label>
          ))}
        </fieldset>
        <label class="field">
          Window from
          <input name="from" type="datetime-local" required />
        </label>
        <label class="field">
          Window to
          <input name="to" type="datetime-local" required defaultValue={now} />
        </label>
        <fieldset>
          <legend>Nature</legend>
          {NATURES.map((nature) => (
            <label class="choice">
              <input type="checkbox" name="nature" value={nature} /> {nature}
            </label>
          ))}
        </fieldset>
        <label class="field">
          What happened
          <textarea name="description" required />
        </label>
        <button type="submit" disabled={busy}>
          Record the breach
        </button>
      </form>
    </main>
  );
}

/** `#/incidents` lists them; `#/incidents/<id>` is one. */
export function IncidentsScreen({ incidentId }: { incidentId?: string }) {
  return incidentId ? <IncidentDetail incidentId={incidentId} /> : <IncidentList />;
}
