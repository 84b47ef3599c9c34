/**
 * Operations health (`#/operations`): every queue's and DLQ's counters (never a message), the overdue requests, each
 * scheduled job's last run and outcome, the recipients' state and the alarms (on AWS; locally the API says there are
 * none to see, and so does this screen). A DLQ with messages offers a redrive, which asks for password and code first
 * (re-authentication, `reauth.tsx`) and says how many messages actually moved.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from './api';
import type { components } from './api-schema';
import { ProblemView } from './problem-view';
import { withReauthentication } from './reauth';

type Overview = components['schemas']['OperationsOverview'];
type Redriven = components['schemas']['RedriveResult'];
type Dlq = 'rightsRequestDlq' | 'recipient-app-service-dlq' | 'recipient-email-provider-dlq';

const when = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : '');

function RedriveButton({ dlq, count, onDone }: { dlq: string; count: number; onDone: (result: Redriven | Problem) => void }) {
  const [busy, setBusy] = useState(false);
  const redrive = async () => {
    setBusy(true);
    const { data, error, response } = await withReauthentication(() =>
      api.POST('/v1/admin/operations/queues/{queue}/redrive', { params: { path: { queue: dlq as Dlq } }, body: { max: 100 } }),
    );
    setBusy(false);
    onDone(data ?? problemOf(error, response));
  };
  return (
    <button type="button" onClick={redrive} disabled={busy} aria-label={`Redrive ${count} message${count === 1 ? '' : 's'} from ${dlq}`}>
      Redrive
    </button>
  );
}

export function OperationsScreen() {
  const [view, setView] = useState<Overview>();
  const [problem, setProblem] = useState<Problem>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = async () => {
    setBusy(true);
    const { data, error, response } = await api.GET('/v1/admin/operations');
    setBusy(false);
    if (data) {
      setView(data);
      setProblem(undefined);
    } else setProblem(problemOf(error, response));
  };
  useEffect(() => void load(), []);

  const redriven = (result: Redriven | Problem) => {
    if ('moved' in result) {
      setNotice(
        `${result.moved} message${result.moved === 1 ? '' : 's'} moved from ${result.dlq} back to ${result.queue}` +
          (result.interruptedBy ? ` (stopped: ${result.interruptedBy}; the rest stays in the DLQ)` : '') +
          `; ${result.dlqDepth.visible} still waiting.`,
      );
      setProblem(undefined);
      void load();
    } else setProblem(result);
  };

  return (
    <main class="operations">
      <h1 tabIndex={-1}>Operations</h1>
      <p>
        <button type="button" onClick={load} disabled={busy}>
          Refresh
        </button>{' '}
        {view && <span>As of {when(view.at)}.</span>}
      </p>
      {problem && <ProblemView problem={problem} />}
      <p role="status">{notice}</p>
      {view && (
        <>
          <h2>Queues</h2>
          <table>
            <caption>Messages waiting, in flight and in each dead-letter queue (counts only)</caption>
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col">Carries</th>
                <th scope="col">Waiting</th>
                <th scope="col">In flight</th>
                <th scope="col">Dead-letter queue</th>
                <th scope="col">In DLQ</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {view.queues.map((q) => (
                <tr key={q.queue}>
                  <th scope="row">{q.queue}</th>
                  <td>{q.carries}</td>
                  <td>{q.depth.visible}</td>
                  <td>{q.depth.inFlight}</td>
                  <td>{q.dlq}</td>
                  <td>{q.dlqDepth.visible + q.dlqDepth.inFlight}</td>
                  <td>{q.dlqDepth.visible > 0 ? <RedriveButton dlq={q.dlq} count={q.dlqDepth.visible} onDone={redriven} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>Overdue requests</h2>
          <p>
            {view.overdue.total === 0 ? 'No request is overdue.' : `${view.overdue.total} overdue: `}
            {view.overdue.total > 0 &&
              [
                ...Object.entries(view.overdue.byStatus)
                  .filter(([, n]) => n > 0)
                  .map(([status, n]) => `${n} ${status.replace('_', ' ')}`),
                ...(view.overdue.waitingOnRecipients > 0 ? [`${view.overdue.waitingOnRecipients} waiting on a late recipient`] : []),
              ].join(', ')}{' '}
            {view.overdue.total > 0 && <a href="#/">See them in the inbox.</a>}
          </p>

          <h2>Scheduled jobs</h2>
          <table>
            <caption>The last run of each scheduled job</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Schedule</th>
                <th scope="col">Last run</th>
                <th scope="col">Outcome</th>
                <th scope="col">Counts</th>
              </tr>
            </thead>
            <tbody>
              {view.jobs.map((j) => (
                <tr key={j.job}>
                  <th scope="row">{j.job}</th>
                  <td>{j.schedule}</td>
                  <td>{j.lastRun ? when(j.lastRun.finishedAt) : 'never'}</td>
                  <td class={j.lastRun?.outcome === 'failed' ? 'failed' : undefined}>
                    {j.lastRun ? (j.lastRun.outcome === 'failed' ? `failed (${j.lastRun.error ?? 'error'})` : 'succeeded') : '—'}
                  </td>
                  <td>
                    {Object.entries(j.lastRun?.counts ?? {})
                      .sort(([a], [b]) => a.localeCompare(b))
                      .map(([name, n]) => `${name}: ${n}`)
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>Recipients</h2>
          <table>
            <caption>Requests waiting for each recipient's acknowledgement</caption>
            <thead>
              <tr>
                <th scope="col">Recipient</th>
                <th scope="col">Delivery</th>
                <th scope="col">State</th>
                <th scope="col">Pending</th>
                <th scope="col">Overdue</th>
                <th scope="col">Failed</th>
              </tr>
            </thead>
            <tbody>
              {view.recipients.map((r) => (
                <tr key={r.recipient}>
                  <th scope="row">{r.name}</th>
                  <td>{r.delivery}</td>
                  <td>{r.status}</td>
                  <td>{r.awaiting.pending}</td>
                  <td>{r.awaiting.overdue}</td>
                  <td>{r.awaiting.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>Alarms</h2>
          {view.alarms.available ? (
            view.alarms.alarms.length === 0 ? (
              <p>No alarm found for this stage.</p>
            ) : (
              <table>
                <caption>The stage's alarms, firing first</caption>
                <thead>
                  <tr>
                    <th scope="col">Alarm</th>
                    <th scope="col">State</th>
                    <th scope="col">Since</th>
                    <th scope="col">What to do</th>
                  </tr>
                </thead>
                <tbody>
                  {view.alarms.alarms.map((a) => (
                    <tr key={a.name}>
                      <th scope="row">{a.name}</th>
                      <td>{a.state}</td>
                      <td>{when(a.since)}</td>
                      <td>{a.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          ) : (
            <p>{view.alarms.reason.charAt(0).toUpperCase() + view.alarms.reason.slice(1)}.</p>
          )}
        </>
      )}
    </main>
  );
}
