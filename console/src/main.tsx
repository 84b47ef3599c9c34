/**
 * The privacy console: sign-in, then the inbox of open data-subject requests. State lives in memory only; after
 * IDLE_MINUTES without a key press or click the session token is dropped and the officer signs in again.
 */
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, problemOf, setSessionToken, type AdminRequest, type Problem } from './api';
import { badgeText, byDueDate, daysLeft, urgencyOf } from './deadlines';
import { ProblemView } from './problem-view';
import { ReauthenticationHost } from './reauth';
import { Screens } from './screens';

/** An officer who walks away from an open console is signed out after this long. */
export const IDLE_MINUTES = 15;

function SignIn({ onSignedIn, notice }: { onSignedIn: () => void; notice?: string }) {
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await api.POST('/v1/sessions', {
      body: { email: String(form.get('email')), password: String(form.get('password')), code: String(form.get('code')).trim() },
    });
    if (!data) {
      setBusy(false);
      return setProblem(problemOf(error, response));
    }
    setSessionToken(data.session.token);
    // The console is for the admin role only: a subject's session is ended at once rather than kept in the page.
    const probe = await api.GET('/v1/admin/requests', { params: { query: { overdue: 'true' } } });
    setBusy(false);
    if (probe.response.status === 403) {
      await api.DELETE('/v1/sessions/current');
      setSessionToken(undefined);
      return setProblem({ type: 'about:blank', status: 403, title: 'Not an administrator', detail: 'The privacy console is for accounts with the admin role.' });
    }
    onSignedIn();
  };
  return (
    <main>
      <h1>Sign in</h1>
      {notice && <p role="status">{notice}</p>}
      {problem && <ProblemView problem={problem} />}
      <form class="sign-in" onSubmit={onSubmit}>
        <label>
          Email
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <label>
          Authenticator code (or a recovery code)
          <input name="code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}|[A-Za-z2-7]{5}-?[A-Za-z2-7]{5}" required />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

type Filters = { status: '' | NonNullable<AdminRequest['status']>; type: '' | AdminRequest['type']; overdue: boolean; find: string };

function Inbox() {
  const [requests, setRequests] = useState<AdminRequest[]>();
  const [problem, setProblem] = useState<Problem>();
  const [filters, setFilters] = useState<Filters>({ status: '', type: '', overdue: false, find: '' });
  const now = Date.now();

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
  }, [filters.status, filters.type, filters.overdue]);

  const shown = useMemo(() => {
    const find = filters.find.trim().toLowerCase();
    return (requests ?? [])
      .filter((r) => !find || r.requestId.toLowerCase() === find || r.subjectId.toLowerCase() === find)
      .sort(byDueDate);
  }, [requests, filters.find]);

  return (
    <main>
      <h1>Inbox</h1>
      <form class="filters" role="search" aria-label="Filter requests" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.currentTarget.value as Filters['status'] })}>
            <option value="">Any open</option>
            {['received', 'verified', 'queued', 'in_progress', 'failed'].map((s) => (
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
            <input
              type="checkbox"
              checked={filters.overdue}
              onChange={(e) => setFilters({ ...filters, overdue: e.currentTarget.checked })}
            />{' '}
            Overdue only
          </span>
        </label>
        <label>
          Find by request or subject id
          <input type="search" value={filters.find} onInput={(e) => setFilters({ ...filters, find: e.currentTarget.value })} />
        </label>
      </form>
      {problem && <ProblemView problem={problem} />}
      {requests === undefined && !problem && <p role="status">Loading requests…</p>}
      {requests !== undefined && (
        <table>
          <caption class="muted">
            {shown.length} open {shown.length === 1 ? 'request' : 'requests'}, oldest due first
          </caption>
          <thead>
            <tr>
              <th scope="col">Due</th>
              <th scope="col">Deadline</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Request id</th>
              <th scope="col">Subject id</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const urgency = urgencyOf(r, now);
              return (
                <tr key={r.requestId} data-request-id={r.requestId}>
                  <td>{r.dueAt}</td>
                  <td>
                    <span class={`badge ${urgency}`}>{badgeText(urgency, daysLeft(r.dueAt, now))}</span>
                  </td>
                  <td>{r.type}</td>
                  <td>{r.status.replace('_', ' ')}</td>
                  <td>
                    <code>{r.requestId}</code>
                  </td>
                  <td>
                    <code>{r.subjectId}</code>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </main>
  );
}

function App() {
  const [signedIn, setSignedIn] = useState(false);
  const [notice, setNotice] = useState<string>();
  const idleTimer = useRef<ReturnType<typeof setTimeout>>();

  const signOut = (why?: string) => {
    setSessionToken(undefined);
    setSignedIn(false);
    setNotice(why);
  };

  useEffect(() => {
    if (!signedIn) return;
    const restart = () => {
      clearTimeout(idleTimer.current);
      idleTimer.current = setTimeout(() => signOut(`Signed out after ${IDLE_MINUTES} idle minutes.`), IDLE_MINUTES * 60_000);
    };
    restart();
    const events = ['keydown', 'pointerdown'] as const;
    events.forEach((e) => document.addEventListener(e, restart));
    return () => {
      clearTimeout(idleTimer.current);
      events.forEach((e) => document.removeEventListener(e, restart));
    };
  }, [signedIn]);

  return (
    <>
      <header>
        <p>
          <strong>Forget-Me-Not</strong> privacy console
        </p>
        {signedIn && (
          <button type="button" onClick={() => signOut('Signed out.')}>
            Sign out
          </button>
        )}
      </header>
      {signedIn && <ReauthenticationHost />}
      {signedIn ? <Screens inbox={<Inbox />} /> : <SignIn notice={notice} onSignedIn={() => (setNotice(undefined), setSignedIn(true))} />}
    </>
  );
}

render(<App />, document.getElementById('app')!);
