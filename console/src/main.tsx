/**
 * The privacy console: sign-in, then the inbox of open data-subject requests, each request's detail, the subject view and
 * the audit search (screens.tsx). State lives in memory only; after IDLE_MINUTES without a key press or click, or when
 * the API answers 401 to the session (expired, ended elsewhere), the token is dropped and the officer signs in again.
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, onSessionEnded, problemOf, setSessionToken, type Problem } from './api';
import { Inbox } from './inbox';
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
    onSessionEnded((problem) => signOut(`Your session has ended (${problem.title}). Sign in again.`));
    return () => onSessionEnded(undefined);
  }, [signedIn]);

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
