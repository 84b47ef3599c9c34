/**
 * Re-authentication before destructive admin actions (approve or complete a request, lift a legal hold). The API refuses
 * those with 403 `/problems/reauthentication-required` unless the session gave its password and second-factor code within
 * the last few minutes (at sign-in, or through POST /v1/sessions/current/reauthentication); this module asks for them and
 * retries, so a screen only wraps its call.
 *
 * Exports (a stable API other screens build on):
 * - `<ReauthenticationHost />`: mount once, in the app shell, while signed in. It shows the dialog when asked to.
 * - `withReauthentication(action)`: runs `action` (an openapi-fetch call: resolves to `{ data?, error?, response }`). On
 *   `reauthentication-required` it opens the dialog and, once the officer has confirmed, runs `action` once more. Resolves
 *   to the last result: the retry's, or the refusal when the officer cancels. Concurrent callers (a bulk action) share
 *   one dialog.
 * - `askForReauthentication()`: opens the dialog on its own; resolves true once confirmed, false when cancelled (or when
 *   no host is mounted).
 * - `isReauthenticationRequired(error)` and `REAUTHENTICATION_REQUIRED` (the problem type).
 *
 * The dialog is a modal `<dialog>`: the page behind it is inert, Tab and Shift+Tab cycle inside it, Escape cancels, and
 * focus returns to where it was. The password and code live in the form only for the one call; nothing is kept.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from './api';
import { ProblemView } from './problem-view';

export const REAUTHENTICATION_REQUIRED = '/problems/reauthentication-required';

export function isReauthenticationRequired(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === REAUTHENTICATION_REQUIRED;
}

type Ask = () => Promise<boolean>;
let showDialog: Ask | undefined;
let pending: Promise<boolean> | undefined;

export function askForReauthentication(): Promise<boolean> {
  if (!showDialog) return Promise.resolve(false);
  // one dialog for every caller waiting at the same time
  pending ??= showDialog().finally(() => {
    pending = undefined;
  });
  return pending;
}

export async function withReauthentication<T extends { error?: unknown }>(action: () => Promise<T>): Promise<T> {
  const first = await action();
  if (!isReauthenticationRequired(first.error)) return first;
  return (await askForReauthentication()) ? action() : first;
}

const FOCUSABLE = 'input, button, select, textarea, [href], [tabindex]:not([tabindex="-1"])';

/** Keeps Tab inside the dialog, whatever the browser does at the page's edges. */
function trapTab(event: KeyboardEvent, container: HTMLElement) {
  if (event.key !== 'Tab') return;
  const items = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('disabled'));
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

function ReauthenticationDialog({ onDone }: { onDone: (confirmed: boolean) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.focus?.();
  }, []);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await api.POST('/v1/sessions/current/reauthentication', {
      body: { password: String(fields.get('password')), code: String(fields.get('code')).trim() },
    });
    setBusy(false);
    if (data) return onDone(true);
    setProblem(problemOf(error, response));
    // a refused code is used up or wrong either way: the officer types the next one
    (form.elements.namedItem('code') as HTMLInputElement).value = '';
    (form.elements.namedItem('code') as HTMLInputElement).focus();
  };

  return (
    <dialog
      ref={dialog}
      class="reauth"
      aria-labelledby="reauth-title"
      aria-describedby="reauth-why"
      onCancel={(event) => {
        event.preventDefault();
        onDone(false);
      }}
      onKeyDown={(event) => dialog.current && trapTab(event, dialog.current)}
    >
      <form method="dialog" onSubmit={onSubmit}>
        <h2 id="reauth-title">Confirm it is you</h2>
        <p id="reauth-why">
          Approving or completing a request, lifting a legal hold and redriving a dead-letter queue can erase data, hand it
          out or repeat work. Enter your password and
          a new authenticator code; they cover such actions for 5 minutes.
        </p>
        {problem && <ProblemView problem={problem} />}
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required autoFocus />
        </label>
        <label>
          Authenticator code (or a recovery code)
          <input name="code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}|[A-Za-z2-7]{5}-?[A-Za-z2-7]{5}" required />
        </label>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Confirm
          </button>
          <button type="button" class="secondary" onClick={() => onDone(false)}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

export function ReauthenticationHost() {
  const [waiting, setWaiting] = useState<(confirmed: boolean) => void>();
  useEffect(() => {
    showDialog = () => new Promise<boolean>((resolve) => setWaiting(() => resolve));
    return () => {
      showDialog = undefined;
    };
  }, []);
  if (!waiting) return null;
  return (
    <ReauthenticationDialog
      onDone={(confirmed) => {
        setWaiting(undefined);
        waiting(confirmed);
      }}
    />
  );
}
