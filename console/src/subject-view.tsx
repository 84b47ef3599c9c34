/**
 * The subject view: one subject's consents now and their history with policy versions, restriction and objections, legal
 * hold (placed with a reason, lifted after re-authentication), requests, the profile with every value masked (revealed one
 * field at a time, for a stated purpose, each reveal on the subject's audit trail), and the trail itself with its chain check.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from './api';
import type { components } from './api-schema';
import { AuditTable, VerifyChain, type AuditEntry } from './audit-search';
import { ProblemView } from './problem-view';
import { withReauthentication } from './reauth';
import { auditHref, requestHref, subjectHref } from './links';
import { consentReceiptHref } from './consent-insight';

type Overview = components['schemas']['SubjectOverview'];
type ConsentEvent = components['schemas']['ConsentEvent'];
type RevealPurpose = components['schemas']['RevealFieldRequest']['purpose'];
type ProfileField = components['schemas']['RevealFieldRequest']['field'];

const REVEAL_PURPOSES: ReadonlyArray<{ id: RevealPurpose; text: string }> = [
  { id: 'account', text: 'Check who is asking before acting (account)' },
  { id: 'transparency', text: 'Answer the subject\'s own request (transparency)' },
  { id: 'accountability', text: 'Legal claim or supervisory authority (accountability)' },
];

const FIELD_NAMES: Record<string, string> = {
  email: 'Email',
  displayName: 'Display name',
  givenName: 'Given name',
  familyName: 'Family name',
  locale: 'Locale',
  phone: 'Phone',
  postalAddress: 'Postal address',
};

const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '');
const when = (iso: string | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '');

function FindSubject() {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main>
      <h1 ref={heading} tabIndex={-1}>
        Subjects
      </h1>
      <form
        class="filters"
        role="search"
        aria-label="Find a subject"
        onSubmit={(event) => {
          event.preventDefault();
          const id = String(new FormData(event.currentTarget as HTMLFormElement).get('subjectId')).trim().toLowerCase();
          location.hash = subjectHref(id);
        }}
      >
        <label>
          Subject id
          <input name="subjectId" required pattern="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}" />
        </label>
        <button type="submit">Open</button>
      </form>
    </main>
  );
}

function LegalHold({ view, onChange }: { view: Overview; onChange: () => void }) {
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const subjectId = view.subjectId;

  const place = async (event: Event) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason')).trim();
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await api.PUT('/v1/admin/subjects/{subjectId}/legal-hold', {
      params: { path: { subjectId } },
      body: { reason },
    });
    setBusy(false);
    if (data) onChange();
    else setProblem(problemOf(error, response));
  };
  const lift = async () => {
    setBusy(true);
    setProblem(undefined);
    // Lifting lets retention erase the account again: the API wants a fresh password and code first.
    const { data, error, response } = await withReauthentication(() =>
      api.DELETE('/v1/admin/subjects/{subjectId}/legal-hold', { params: { path: { subjectId } } }),
    );
    setBusy(false);
    if (data) onChange();
    else setProblem(problemOf(error, response));
  };

  return (
    <section aria-labelledby="hold-title">
      <h2 id="hold-title">Legal hold and retention</h2>
      <p>
        Last active {when(view.lastActiveAt)} UTC.
        {view.inactivityNotice && ` Inactivity notice sent ${day(view.inactivityNotice.noticeAt)}; erasure from ${day(view.inactivityNotice.erasureAt)}.`}
      </p>
      {problem && <ProblemView problem={problem} />}
      {view.legalHold ? (
        <>
          <p class="hold" data-hold="on">
            On hold since {when(view.legalHold.at)} UTC: {view.legalHold.reason}
          </p>
          <button type="button" onClick={lift} disabled={busy}>
            Lift hold
          </button>
        </>
      ) : (
        <form class="hold-form" onSubmit={place}>
          <p data-hold="off">No hold: retention applies.</p>
          <label>
            Reason for a hold (case or order reference)
            <input name="reason" required minLength={3} maxLength={500} />
          </label>
          <button type="submit" disabled={busy}>
            Place hold
          </button>
        </form>
      )}
    </section>
  );
}

function Consents({ view }: { view: Overview }) {
  const { purposes, restriction } = view.consents;
  return (
    <section aria-labelledby="consents-title">
      <h2 id="consents-title">Consents now</h2>
      <p data-restriction={restriction.restricted ? 'on' : 'off'}>
        {restriction.restricted
          ? `Processing restricted (Art. 18) since ${when(restriction.since)} UTC: only storage, rights and legal duties continue.`
          : 'Processing is not restricted.'}{' '}
        {view.objections.length > 0 ? `Objections (Art. 21): ${view.objections.join(', ')}.` : 'No standing objection.'}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Purpose</th>
            <th scope="col">Lawful basis</th>
            <th scope="col">Status</th>
            <th scope="col">Policy given on</th>
            <th scope="col">Current policy</th>
            <th scope="col">Decided (UTC)</th>
            <th scope="col">How</th>
            <th scope="col">Proof</th>
          </tr>
        </thead>
        <tbody>
          {purposes.map((p) => (
            <tr key={p.purpose} data-purpose={p.purpose}>
              <th scope="row">{p.purpose}</th>
              <td>{p.lawfulBasis}</td>
              <td>{p.status.replace('-', ' ')}</td>
              <td>{p.grantedPolicyVersion ?? ''}</td>
              <td>{p.currentPolicyVersion}</td>
              <td>{when(p.decidedAt)}</td>
              <td>{p.method ?? ''}</td>
              <td>{p.decidedAt && <a href={consentReceiptHref(view.subjectId, p.purpose)}>Receipt</a>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ConsentHistory({ subjectId }: { subjectId: string }) {
  const [events, setEvents] = useState<ConsentEvent[]>();
  const [next, setNext] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const load = async (cursor?: string) => {
    const { data, error, response } = await api.GET('/v1/admin/subjects/{subjectId}/consents/history', {
      params: { path: { subjectId }, query: { limit: '20', ...(cursor ? { cursor } : {}) } },
    });
    if (!data) return setProblem(problemOf(error, response));
    setEvents((shown) => [...(cursor ? (shown ?? []) : []), ...data.events]);
    setNext(data.next);
  };
  useEffect(() => void load(), [subjectId]);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Consent history</h2>
      {problem && <ProblemView problem={problem} />}
      {events && (
        <table>
          <caption class="muted">Every decision in the ledger, newest first</caption>
          <thead>
            <tr>
              <th scope="col">At (UTC)</th>
              <th scope="col">Topic</th>
              <th scope="col">Decision</th>
              <th scope="col">Policy version</th>
              <th scope="col">How</th>
              <th scope="col">App</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.eventId}>
                <td>{when(e.at)}</td>
                <td>{e.topic}</td>
                <td>{e.action.replaceAll('-', ' ')}</td>
                <td>{e.policyVersion ?? ''}</td>
                <td>{e.method}</td>
                <td>{e.clientId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" class="secondary" onClick={() => load(next)}>
          Show older decisions
        </button>
      )}
    </section>
  );
}

function Requests({ view }: { view: Overview }) {
  return (
    <section aria-labelledby="requests-title">
      <h2 id="requests-title">Requests</h2>
      {view.requests.length === 0 ? (
        <p>No rights requests.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Due</th>
              <th scope="col">Request id</th>
            </tr>
          </thead>
          <tbody>
            {view.requests.map((r) => (
              <tr key={r.requestId}>
                <td>{day(r.receivedAt)}</td>
                <td>{r.type}</td>
                <td>{r.status.replace('_', ' ')}</td>
                <td>{r.dueAt}</td>
                <td>
                  <a href={requestHref(r.requestId)}>
                    <code>{r.requestId}</code>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const shown = (value: unknown) =>
  value === null || value === undefined ? '(empty)' : typeof value === 'object' ? Object.values(value).join(', ') : String(value);

function Profile({ view, onRevealed }: { view: Overview; onRevealed: () => void }) {
  const [revealed, setRevealed] = useState<Partial<Record<string, unknown>>>({});
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const reveal = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const field = String(form.get('field')) as ProfileField;
    const purpose = String(form.get('purpose')) as RevealPurpose;
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await api.POST('/v1/admin/subjects/{subjectId}/reveal', {
      params: { path: { subjectId: view.subjectId } },
      body: { field, purpose },
    });
    setBusy(false);
    if (!data) return setProblem(problemOf(error, response));
    setRevealed((r) => ({ ...r, [data.field]: data.value }));
    onRevealed();
  };
  return (
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <p class="muted">Values are masked. Revealing one is recorded on the subject's audit trail with its purpose (never the value).</p>
      <dl class="profile">
        {view.maskedProfileFields.map((f) => (
          <div key={f} data-field={f}>
            <dt>{FIELD_NAMES[f] ?? f}</dt>
            <dd>{f in revealed ? shown(revealed[f]) : <span aria-label="masked">••••••</span>}</dd>
          </div>
        ))}
      </dl>
      {problem && <ProblemView problem={problem} />}
      <form class="filters" aria-label="Reveal a field" onSubmit={reveal}>
        {/* a label beside (not around) a select: wrapped, its options' text would join the select's name */}
        <div class="field">
          <label for="reveal-field">Field</label>
          <select id="reveal-field" name="field">
            {view.maskedProfileFields.map((f) => (
              <option value={f}>{FIELD_NAMES[f] ?? f}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="reveal-purpose">Purpose</label>
          <select id="reveal-purpose" name="purpose" required>
            {REVEAL_PURPOSES.map((p) => (
              <option value={p.id}>{p.text}</option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy}>
          Reveal
        </button>
      </form>
    </section>
  );
}

function Trail({ subjectId, version }: { subjectId: string; version: number }) {
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [problem, setProblem] = useState<Problem>();
  useEffect(() => {
    void (async () => {
      const { data, error, response } = await api.GET('/v1/admin/audit', { params: { query: { subjectId, limit: '10' } } });
      if (data) setEntries(data.entries);
      else setProblem(problemOf(error, response));
    })();
  }, [subjectId, version]);
  return (
    <section aria-labelledby="trail-title">
      <h2 id="trail-title">Audit trail</h2>
      <VerifyChain subjectId={subjectId} />
      {problem && <ProblemView problem={problem} />}
      {entries && <AuditTable entries={entries} caption="The latest entries about this subject, newest first" />}
      <p>
        <a href={auditHref({ subjectId })}>Search, page through and export this subject's trail</a>
      </p>
    </section>
  );
}

export function SubjectScreen({ subjectId }: { subjectId?: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [view, setView] = useState<Overview>();
  const [problem, setProblem] = useState<Problem>();
  // Bumped after each change, so the trail below shows the entry the change just wrote.
  const [version, setVersion] = useState(0);

  const load = async (id: string) => {
    const { data, error, response } = await api.GET('/v1/admin/subjects/{subjectId}', { params: { path: { subjectId: id } } });
    if (data) {
      setView(data);
      setProblem(undefined);
    } else setProblem(problemOf(error, response));
    setVersion((v) => v + 1);
  };
  useEffect(() => {
    heading.current?.focus();
    if (subjectId) void load(subjectId);
  }, [subjectId]);

  if (!subjectId) return <FindSubject />;
  return (
    <main>
      <h1 ref={heading} tabIndex={-1}>
        Subject <code>{subjectId}</code>
      </h1>
      {problem && <ProblemView problem={problem} />}
      {!view && !problem && <p role="status">Loading the subject…</p>}
      {view && (
        <>
          <LegalHold view={view} onChange={() => load(subjectId)} />
          <Consents view={view} />
          <ConsentHistory subjectId={subjectId} />
          <Requests view={view} />
          <Profile view={view} onRevealed={() => setVersion((v) => v + 1)} />
          <Trail subjectId={subjectId} version={version} />
        </>
      )}
    </main>
  );
}
