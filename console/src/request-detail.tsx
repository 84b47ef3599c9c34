/**
 * One request (`#/requests/<id>`): its deadline, one timeline (the request's state changes with their notes and
 * evidence, and the subject's audit entries while it was open), the recipients' acknowledgements when the API reports
 * them, an erasure's receipt, and the actions its state allows: approve (or retry a failed one), reject with a reason the
 * subject reads, extend once by one or two months, complete by hand with evidence of what was done where, download an
 * export. Approve and complete are destructive: they go through `withReauthentication`.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, OPEN_STATUSES, problemOf, type AdminRequest, type AuditEntry, type Problem } from './api';
import { badgeText, daysLeft, urgencyOf } from './deadlines';
import { subjectHref } from './links';
import { ProblemView } from './problem-view';
import { withReauthentication } from './reauth';

const EVIDENCE_ACTIONS = ['deleted', 'corrected', 'exported', 'sent', 'restricted', 'checked-none-held', 'other'] as const;
type EvidenceAction = (typeof EVIDENCE_ACTIONS)[number];
type EvidenceRow = { where: string; action: EvidenceAction; detail: string };

type TimelineItem =
  | { kind: 'state'; at: string; change: AdminRequest['history'][number] }
  | { kind: 'audit'; at: string; entry: AuditEntry };

/**
 * The subject's audit entries from receipt until the request was closed (or now): what was done with their data
 * meanwhile. A completed export stays open-ended: its downloads come after the completion.
 */
async function auditWhileOpen(request: AdminRequest): Promise<AuditEntry[] | Problem> {
  const closed = OPEN_STATUSES.includes(request.status) || request.downloadable ? undefined : request.history.at(-1)?.at;
  const erased = request.subjectId.startsWith('erased#');
  const { data, error, response } = await api.GET('/v1/admin/audit', {
    params: {
      query: {
        ...(erased ? { subjectPseudonym: request.subjectId.slice('erased#'.length) } : { subjectId: request.subjectId }),
        from: request.receivedAt,
        ...(closed ? { to: closed } : {}),
        limit: '100',
      },
    },
  });
  return data ? data.entries : problemOf(error, response);
}

function Timeline({ request, audit }: { request: AdminRequest; audit: AuditEntry[] | Problem | undefined }) {
  const items: TimelineItem[] = [
    ...request.history.map((change) => ({ kind: 'state' as const, at: change.at, change })),
    ...(Array.isArray(audit) ? audit.map((entry) => ({ kind: 'audit' as const, at: entry.at, entry })) : []),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section aria-labelledby="timeline">
      <h2 id="timeline">Timeline</h2>
      {audit && !Array.isArray(audit) && <ProblemView problem={audit} />}
      <ol class="timeline">
        {items.map((item) =>
          item.kind === 'state' ? (
            <li class="state">
              <time dateTime={item.at}>{item.at.replace('T', ' ').slice(0, 19)}</time> <strong>{item.change.status.replace('_', ' ')}</strong> by{' '}
              {item.change.by}
              {item.change.note && <span>: {item.change.note}</span>}
              {item.change.evidence && (
                <ul>
                  {item.change.evidence.map((e) => (
                    <li>
                      {e.where}: {e.action}
                      {e.detail ? ` (${e.detail})` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ) : (
            <li class="audit">
              <time dateTime={item.at}>{item.at.replace('T', ' ').slice(0, 19)}</time> audit: {item.entry.action} by {item.entry.actorRole} via{' '}
              <code>{item.entry.origin}</code> {item.entry.outcome === 'failure' ? '(failed)' : ''}
              {item.entry.fields.length > 0 && <span class="muted"> {item.entry.fields.join(', ')}</span>}
            </li>
          ),
        )}
      </ol>
    </section>
  );
}

/** A request's `recipients` field (their acknowledgements), shown as the API gives it, if the API gives it. */
function Recipients({ request }: { request: AdminRequest }) {
  const recipients = (request as AdminRequest & { recipients?: Record<string, unknown> | unknown[] }).recipients;
  if (!recipients) return null;
  const entries = Array.isArray(recipients) ? recipients.map((r, i) => [String(i + 1), r] as const) : Object.entries(recipients);
  return (
    <section aria-labelledby="recipients">
      <h2 id="recipients">Recipients</h2>
      <ul>
        {entries.map(([name, value]) => (
          <li>
            <strong>{name}</strong>: <code>{JSON.stringify(value)}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Receipt({ receipt }: { receipt: NonNullable<AdminRequest['receipt']> }) {
  return (
    <section aria-labelledby="receipt">
      <h2 id="receipt">Erasure receipt</h2>
      <p>
        Completed {receipt.completedAt}. Verification: <strong>{receipt.verification.ok ? 'passed' : 'FAILED'}</strong> (
        {receipt.verification.storesChecked.length} stores checked). Backups age out by {receipt.backupsAgeOutBy}.
      </p>
      <table>
        <caption class="muted">What was done where</caption>
        <thead>
          <tr>
            <th scope="col">Store</th>
            <th scope="col">Action</th>
            <th scope="col">Items</th>
          </tr>
        </thead>
        <tbody>
          {receipt.steps.map((s) => (
            <tr>
              <td>{s.store}</td>
              <td>{s.action}</td>
              <td>{s.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{receipt.note}</p>
    </section>
  );
}

export function RequestDetail({ requestId }: { requestId: string }) {
  const [request, setRequest] = useState<AdminRequest>();
  const [audit, setAudit] = useState<AuditEntry[] | Problem>();
  const [problem, setProblem] = useState<Problem>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<{ url: string; format: string; expiresAt: string }>();
  const [evidence, setEvidence] = useState<EvidenceRow[]>([{ where: '', action: 'corrected', detail: '' }]);
  const now = Date.now();

  const load = async () => {
    const { data, error, response } = await api.GET('/v1/admin/requests/{requestId}', { params: { path: { requestId } } });
    if (!data) return setProblem(problemOf(error, response));
    setRequest(data);
    setAudit(await auditWhileOpen(data));
  };
  useEffect(() => {
    void load();
  }, [requestId]);

  /** Runs one action; on success says so and reloads, on refusal shows the problem's title and detail. */
  const act = async (what: string, call: () => Promise<{ data?: unknown; error?: unknown; response: Response }>) => {
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    const { data, error, response } = await call();
    setBusy(false);
    if (!data) return setProblem(problemOf(error, response));
    await load();
    setDone(what);
  };
  const params = { path: { requestId } };
  const fieldsOf = (event: Event) => {
    event.preventDefault();
    return new FormData(event.currentTarget as HTMLFormElement);
  };

  if (!request) {
    return (
      <main>
        <p>
          <a href="#/">Back to the inbox</a>
        </p>
        <h1 tabIndex={-1}>Request</h1>
        {problem ? <ProblemView problem={problem} /> : <p role="status">Loading the request…</p>}
      </main>
    );
  }
  const open = OPEN_STATUSES.includes(request.status);
  const erased = request.subjectId.startsWith('erased#');
  const urgency = urgencyOf(request, now);
  const canApprove = ['received', 'verified', 'failed'].includes(request.status) && request.type !== 'rectification';

  return (
    <main>
      <p>
        <a href="#/">Back to the inbox</a>
      </p>
      <h1 tabIndex={-1}>
        {request.type[0].toUpperCase() + request.type.slice(1)} request <code>{request.requestId}</code>
      </h1>
      <dl class="facts">
        <dt>Status</dt>
        <dd>{request.status.replace('_', ' ')}</dd>
        <dt>Subject</dt>
        <dd>
          {/* An erased subject's request keeps only a pseudonym: there is no subject to open. */}
          {erased ? (
            <code>{request.subjectId}</code>
          ) : (
            <a href={subjectHref(request.subjectId)}>
              <code>{request.subjectId}</code>
            </a>
          )}
        </dd>
        <dt>Received</dt>
        <dd>{request.receivedAt}</dd>
        <dt>Due</dt>
        <dd>
          {request.dueAt}{' '}
          {open && <span class={`badge ${urgency}`}>{badgeText(urgency, daysLeft(request.dueAt, now))}</span>}
          {request.extension && (
            <span class="muted">
              {' '}
              (extended by {request.extension.months} {request.extension.months === 1 ? 'month' : 'months'} from {request.originalDueAt}:{' '}
              {request.extension.reason})
            </span>
          )}
        </dd>
        {request.fields && (
          <>
            <dt>Fields</dt>
            <dd>{request.fields.join(', ')}</dd>
          </>
        )}
      </dl>
      {done && <p role="status" class="done">{done}</p>}
      {problem && <ProblemView problem={problem} />}

      {open && (
        <section aria-labelledby="actions">
          <h2 id="actions">Actions</h2>
          {canApprove && (
            <p>
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void act(request.status === 'failed' ? 'Queued again for the workers.' : 'Approved: queued for the workers.', () =>
                    withReauthentication(() => api.POST('/v1/admin/requests/{requestId}/approve', { params })),
                  )
                }
              >
                {request.status === 'failed' ? 'Retry' : 'Approve'}
              </button>
            </p>
          )}
          <form
            class="action"
            aria-labelledby="reject-title"
            onSubmit={(e) => {
              const reason = String(fieldsOf(e).get('reason')).trim();
              void act('Rejected.', () => api.POST('/v1/admin/requests/{requestId}/reject', { params, body: { reason } }));
            }}
          >
            <h3 id="reject-title">Reject</h3>
            <label>
              Reason (shown to the subject)
              <textarea name="reason" minLength={3} maxLength={500} required />
            </label>
            <button type="submit" disabled={busy}>
              Reject
            </button>
          </form>
          {!request.extension && (
            <form
              class="action"
              aria-labelledby="extend-title"
              onSubmit={(e) => {
                const fields = fieldsOf(e);
                const months = fields.get('months') === '2' ? 2 : 1;
                const reason = String(fields.get('reason')).trim();
                void act('Deadline extended.', () => api.POST('/v1/admin/requests/{requestId}/extend', { params, body: { months, reason } }));
              }}
            >
              <h3 id="extend-title">Extend the deadline (once, within the first month: Art. 12(3))</h3>
              <fieldset>
                <legend>By</legend>
                <label class="choice">
                  <input type="radio" name="months" value="1" checked /> one month
                </label>
                <label class="choice">
                  <input type="radio" name="months" value="2" /> two months
                </label>
              </fieldset>
              <label>
                Reason for extending (shown to the subject)
                <textarea name="reason" minLength={3} maxLength={500} required />
              </label>
              <button type="submit" disabled={busy}>
                Extend
              </button>
            </form>
          )}
          <form
            class="action"
            aria-labelledby="complete-title"
            onSubmit={(e) => {
              const note = String(fieldsOf(e).get('note')).trim();
              const lines = evidence.map((row) => ({
                where: row.where.trim(),
                action: row.action,
                ...(row.detail.trim() ? { detail: row.detail.trim() } : {}),
              }));
              void act('Completed by hand.', () =>
                withReauthentication(() => api.POST('/v1/admin/requests/{requestId}/complete', { params, body: { note, evidence: lines } })),
              );
            }}
          >
            <h3 id="complete-title">Complete by hand</h3>
            <label>
              Note (shown to the subject)
              <textarea name="note" minLength={3} maxLength={1000} required />
            </label>
            <fieldset>
              <legend>Evidence: what was done where (at least one system)</legend>
              {evidence.map((row, i) => (
                <div class="evidence-row">
                  <label>
                    System {i + 1}
                    <input
                      value={row.where}
                      maxLength={100}
                      required
                      onInput={(ev) => setEvidence(evidence.map((r, j) => (j === i ? { ...r, where: ev.currentTarget.value } : r)))}
                    />
                  </label>
                  <label>
                    Action in system {i + 1}
                    <select
                      value={row.action}
                      onChange={(ev) => setEvidence(evidence.map((r, j) => (j === i ? { ...r, action: ev.currentTarget.value as EvidenceAction } : r)))}
                    >
                      {EVIDENCE_ACTIONS.map((a) => (
                        <option value={a}>{a.replace(/-/g, ' ')}</option>
                      ))}
                    </select>
                  </label>
                  <label>
                    Reference or detail in system {i + 1} (optional)
                    <input
                      value={row.detail}
                      maxLength={500}
                      onInput={(ev) => setEvidence(evidence.map((r, j) => (j === i ? { ...r, detail: ev.currentTarget.value } : r)))}
                    />
                  </label>
                </div>
              ))}
              <button
                type="button"
                class="secondary"
                disabled={evidence.length >= 20}
                onClick={() => setEvidence([...evidence, { where: '', action: 'corrected', detail: '' }])}
              >
                Add a system
              </button>
            </fieldset>
            <button type="submit" disabled={busy}>
              Complete
            </button>
          </form>
        </section>
      )}

      {request.downloadable && (
        <section aria-labelledby="export">
          <h2 id="export">Export</h2>
          <p>
            {(['json', 'csv'] as const).map((format) => (
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() =>
                  void act(`Download link for the ${format.toUpperCase()} export made (recorded on the subject's audit trail).`, async () => {
                    const answer = await api.GET('/v1/admin/requests/{requestId}/download', { params: { ...params, query: { format } } });
                    if (answer.data) setLink(answer.data);
                    return answer;
                  })
                }
              >
                Get the {format.toUpperCase()} export
              </button>
            ))}
          </p>
          {link && (
            <p>
              <a href={link.url} download>
                Download the {link.format.toUpperCase()} export
              </a>{' '}
              <span class="muted">(link valid until {link.expiresAt})</span>
            </p>
          )}
        </section>
      )}

      {request.receipt && <Receipt receipt={request.receipt} />}
      <Recipients request={request} />
      <Timeline request={request} audit={audit} />
    </main>
  );
}
