/**
 * The inbox: open requests, oldest due first, each with its deadline badge. Filters by status, type, overdue and legal
 * hold; find by request id, subject id or email (the email is looked up on the server through the blind index, in a POST
 * body, so it never lands in a URL or an access log); bulk approve or reject with a result per request; CSV of the rows
 * shown. A request id opens its detail (`#/requests/<id>`).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, OPEN_STATUSES, problemOf, type InboxRequest, type Problem } from './api';
import { toCsv, downloadText } from './csv';
import { badgeText, byDueDate, daysLeft, urgencyOf } from './deadlines';
import { requestHref, subjectHref } from './links';
import { ProblemView } from './problem-view';
import { withReauthentication } from './reauth';

type Filters = {
  status: '' | NonNullable<InboxRequest['status']>;
  type: '' | InboxRequest['type'];
  overdue: boolean;
  legalHold: boolean;
  find: string;
};

/** Kept while the page lives, so coming back from a request finds the inbox as it was left. */
let remembered: Filters = { status: '', type: '', overdue: false, legalHold: false, find: '' };

type BulkResult = { requestId: string; outcome: string; ok: boolean };

export function Inbox() {
  const [requests, setRequests] = useState<InboxRequest[]>();
  const [problem, setProblem] = useState<Problem>();
  const [filters, setFiltersState] = useState<Filters>(remembered);
  // the subject an email lookup found: the table then shows that subject's requests
  const [foundSubject, setFoundSubject] = useState<string>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [results, setResults] = useState<BulkResult[]>();
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const now = Date.now();

  const setFilters = (next: Filters) => {
    remembered = next;
    setFiltersState(next);
  };

  useEffect(() => {
    let current = true;
    void (async () => {
      const { data, error, response } = await api.GET('/v1/admin/requests', {
        params: {
          query: {
            ...(filters.status ? { status: filters.status } : {}),
            ...(filters.type ? { type: filters.type } : {}),
            ...(filters.overdue ? { overdue: 'true' as const } : {}),
          },
        },
      });
      if (!current) return;
      if (data) {
        setRequests(data.requests);
        setProblem(undefined);
      } else setProblem(problemOf(error, response));
    })();
    return () => {
      current = false;
    };
  }, [filters.status, filters.type, filters.overdue, reload]);

  const shown = useMemo(() => {
    const find = filters.find.trim().toLowerCase();
    const byEmail = find.includes('@');
    return (requests ?? [])
      .filter((r) => !filters.legalHold || r.legalHold)
      .filter((r) => {
        if (!find) return true;
        if (byEmail) return foundSubject !== undefined && r.subjectId === foundSubject;
        return r.requestId.toLowerCase() === find || r.subjectId.toLowerCase() === find;
      })
      .sort(byDueDate);
  }, [requests, filters.find, filters.legalHold, foundSubject]);

  const lookUpEmail = async (event: Event) => {
    event.preventDefault();
    const find = filters.find.trim();
    if (!find.includes('@')) return;
    setFoundSubject(undefined);
    const { data, error, response } = await api.POST('/v1/admin/subjects/lookup', { body: { email: find } });
    if (data) {
      setFoundSubject(data.subjectId);
      setProblem(undefined);
    } else setProblem(problemOf(error, response));
  };

  const toggle = (requestId: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(requestId);
    else next.delete(requestId);
    setSelected(next);
  };
  const visibleSelection = shown.filter((r) => selected.has(r.requestId)).map((r) => r.requestId);

  /** One call per selected request, one after the other; each result is kept, success or problem. */
  const bulk = async (action: 'approve' | 'reject', reason?: string) => {
    setBusy(true);
    setResults(undefined);
    const outcomes: BulkResult[] = [];
    for (const requestId of visibleSelection) {
      const params = { path: { requestId } };
      const answer =
        action === 'approve'
          ? await withReauthentication(() => api.POST('/v1/admin/requests/{requestId}/approve', { params }))
          : await api.POST('/v1/admin/requests/{requestId}/reject', { params, body: { reason: reason ?? '' } });
      outcomes.push(
        answer.data
          ? { requestId, ok: true, outcome: action === 'approve' ? `approved (now ${answer.data.status})` : 'rejected' }
          : { requestId, ok: false, outcome: problemOf(answer.error, answer.response).title },
      );
    }
    setResults(outcomes);
    setSelected(new Set());
    setBusy(false);
    setReload((n) => n + 1);
  };

  const onBulkReject = (event: Event) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '').trim();
    void bulk('reject', reason);
  };

  const downloadCsv = () => {
    const rows = shown.map((r) => {
      const urgency = urgencyOf(r, now);
      return [r.requestId, r.subjectId, r.type, r.status, r.receivedAt, r.dueAt, badgeText(urgency, daysLeft(r.dueAt, now)), r.legalHold ? 'yes' : 'no'];
    });
    const header = ['requestId', 'subjectId', 'type', 'status', 'receivedAt', 'dueAt', 'deadline', 'legalHold'];
    downloadText(`requests-${new Date(now).toISOString().slice(0, 10)}.csv`, toCsv(header, rows));
  };

  const find = filters.find.trim();
  return (
    <main>
      <h1 tabIndex={-1}>Inbox</h1>
      <form class="filters" role="search" aria-label="Filter requests" onSubmit={lookUpEmail}>
        <label>
          Status
          <select value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.currentTarget.value as Filters['status'] })}>
            <option value="">Any open</option>
            {OPEN_STATUSES.map((s) => (
              <option value={s}>{s.replace('_', ' ')}</option>
            ))}
          </select>
        </label>
        <label>
          Type
          <select value={filters.type} onChange={(e) => setFilters({ ...filters, type: e.currentTarget.value as Filters['type'] })}>
            <option value="">Any</option>
            {['access', 'export', 'rectification', 'erasure'].map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          <span>
            <input type="checkbox" checked={filters.overdue} onChange={(e) => setFilters({ ...filters, overdue: e.currentTarget.checked })} />{' '}
            Overdue only
          </span>
        </label>
        <label>
          <span>
            <input type="checkbox" checked={filters.legalHold} onChange={(e) => setFilters({ ...filters, legalHold: e.currentTarget.checked })} />{' '}
            Legal hold only
          </span>
        </label>
        <label>
          Find by request id, subject id or email
          <input
            type="search"
            value={filters.find}
            onInput={(e) => {
              setFoundSubject(undefined);
              setFilters({ ...filters, find: e.currentTarget.value });
            }}
          />
        </label>
        <button type="submit" disabled={!find.includes('@')}>
          Look up email
        </button>
      </form>
      {find.includes('@') && foundSubject === undefined && !problem && (
        <p class="muted">Press Enter or "Look up email": the address is looked up on the server and not kept.</p>
      )}
      {foundSubject && (
        <p role="status">
          Subject{' '}
          <a href={subjectHref(foundSubject)}>
            <code>{foundSubject}</code>
          </a>{' '}
          has {shown.length} open {shown.length === 1 ? 'request' : 'requests'} here.
        </p>
      )}
      {problem && <ProblemView problem={problem} />}
      {requests === undefined && !problem && <p role="status">Loading requests…</p>}
      {requests !== undefined && (
        <>
          <div class="toolbar">
            <button type="button" disabled={busy || visibleSelection.length === 0} onClick={() => void bulk('approve')}>
              Approve selected ({visibleSelection.length})
            </button>
            <form class="inline" onSubmit={onBulkReject}>
              <label>
                Reason for rejecting (shown to each subject)
                <input name="reason" minLength={3} maxLength={500} required />
              </label>
              <button type="submit" disabled={busy || visibleSelection.length === 0}>
                Reject selected ({visibleSelection.length})
              </button>
            </form>
            <button type="button" class="secondary" onClick={downloadCsv}>
              Download CSV of this view
            </button>
          </div>
          {results && (
            <section aria-labelledby="bulk-results">
              <h2 id="bulk-results">Result per request</h2>
              <div role="status">
                <ul class="results">
                  {results.map((r) => (
                    <li key={r.requestId} class={r.ok ? 'ok' : 'failed'} data-request-id={r.requestId}>
                      <code>{r.requestId}</code>: {r.outcome}
                    </li>
                  ))}
                </ul>
              </div>
            </section>
          )}
          <table>
            <caption class="muted">
              {shown.length} open {shown.length === 1 ? 'request' : 'requests'}, oldest due first
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">Select</span>
                </th>
                <th scope="col">Due</th>
                <th scope="col">Deadline</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Request id</th>
                <th scope="col">Subject id</th>
                <th scope="col">Hold</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => {
                const urgency = urgencyOf(r, now);
                return (
                  <tr key={r.requestId} data-request-id={r.requestId}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select request ${r.requestId}`}
                        checked={selected.has(r.requestId)}
                        onChange={(e) => toggle(r.requestId, e.currentTarget.checked)}
                      />
                    </td>
                    <td>{r.dueAt}</td>
                    <td>
                      <span class={`badge ${urgency}`}>{badgeText(urgency, daysLeft(r.dueAt, now))}</span>
                    </td>
                    <td>{r.type}</td>
                    <td>{r.status.replace('_', ' ')}</td>
                    <td>
                      <a href={requestHref(r.requestId)}>
                        <code>{r.requestId}</code>
                      </a>
                    </td>
                    <td>
                      <a href={subjectHref(r.subjectId)}>
                        <code>{r.subjectId}</code>
                      </a>
                    </td>
                    <td>{r.legalHold ? 'Legal hold' : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
