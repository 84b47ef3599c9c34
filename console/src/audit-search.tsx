/**
 * Audit search: by subject, actor, action and time range, newest first, page by page (the API's opaque cursors); the chain
 * check of the subject searched for; and the whole result set as CSV or JSON, with the chain hashes, for a regulator.
 * Every search, check and export is recorded on the trail by the API.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from './api';
import type { components } from './api-schema';
import { fileNameOf, saveFile } from './download';
import { ProblemView } from './problem-view';

export type AuditEntry = components['schemas']['AuditEntry'];
export type ChainReport = components['schemas']['ChainReport'];
type Action = NonNullable<AuditEntry['action']>;

const ACTIONS: readonly Action[] = [
  'read', 'create', 'update', 'delete', 'login', 'logout', 'export', 'erase',
  'consent.grant', 'consent.withdraw', 'consent.object', 'consent.unobject', 'restriction.start', 'restriction.end',
];

/** The first characters of a pseudonym or hash: enough to tell entries apart on screen; the export has them whole. */
const short = (value: string | undefined) => (value ? `${value.slice(0, 10)}…` : '');

/** What a chain check found, in words, announced to screen readers when it arrives. */
export function ChainResult({ report }: { report: ChainReport }) {
  const range = report.checked > 0 ? ` (entries ${report.firstSeq} to ${report.lastSeq})` : '';
  return report.ok ? (
    <p class="chain ok" role="status">
      Chain intact: {report.checked} {report.checked === 1 ? 'entry' : 'entries'} checked{range}.
      {report.firstSeq !== undefined && report.firstSeq > 1 && ' Older entries have expired by retention.'}
    </p>
  ) : (
    <p class="chain broken" role="status">
      Chain broken at entry {report.firstBreak?.seq}: {report.firstBreak?.reason.replace('-', ' ')}. {report.firstBreak?.detail}.
    </p>
  );
}

/** Runs the chain check of one subject; the button and its result. */
export function VerifyChain({ subjectId }: { subjectId: string }) {
  const [report, setReport] = useState<ChainReport>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await api.GET('/v1/admin/subjects/{subjectId}/audit/verify', { params: { path: { subjectId } } });
    setBusy(false);
    if (data) setReport(data);
    else setProblem(problemOf(error, response));
  };
  return (
    <div class="verify">
      <button type="button" onClick={verify} disabled={busy}>
        Verify chain
      </button>
      {problem && <ProblemView problem={problem} />}
      {report && <ChainResult report={report} />}
    </div>
  );
}

export function AuditTable({ entries, caption }: { entries: readonly AuditEntry[]; caption: string }) {
  return (
    <table class="audit">
      <caption class="muted">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">At (UTC)</th>
          <th scope="col">Action</th>
          <th scope="col">Actor</th>
          <th scope="col">Subject</th>
          <th scope="col">Purpose</th>
          <th scope="col">Fields</th>
          <th scope="col">Outcome</th>
          <th scope="col">Origin</th>
          <th scope="col">Seq</th>
          <th scope="col">Hash</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.entryId} data-entry-id={e.entryId}>
            <td>{e.at.replace('T', ' ').slice(0, 19)}</td>
            <td>{e.action}</td>
            <td>
              {e.actorRole} <code title={e.actorId}>{short(e.actorId.replace(/^subject:/, ''))}</code>
            </td>
            <td>
              <code title={e.subjectPseudonym}>{short(e.subjectPseudonym)}</code>
            </td>
            <td>{e.purpose}</td>
            <td>{e.fields.join(', ')}</td>
            <td>{e.outcome}</td>
            <td>{e.origin}</td>
            <td>{e.seq}</td>
            <td>
              <code title={e.hash}>{short(e.hash)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Search = { subjectId?: string; actorSubjectId?: string; action?: Action; from?: string; to?: string };

/** `datetime-local` gives `YYYY-MM-DDTHH:mm` with no zone; the form says UTC, so it is read as UTC. */
function utc(local: string): string | undefined {
  if (!local) return undefined;
  const [date, time = '00:00'] = local.split('T');
  return `${date}T${time.length === 5 ? `${time}:00` : time.slice(0, 8)}.000Z`;
}
const localOf = (iso: string | null) => (iso ? iso.slice(0, 16) : '');

function searchFrom(form: HTMLFormElement): Search {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim() || undefined;
  return {
    subjectId: text('subjectId'),
    actorSubjectId: text('actorSubjectId'),
    action: text('action') as Action | undefined,
    from: utc(text('from') ?? ''),
    to: utc(text('to') ?? ''),
  };
}

const defined = (search: Search) => Object.fromEntries(Object.entries(search).filter(([, v]) => v !== undefined)) as Search;

export function AuditSearch({ initial }: { initial: URLSearchParams }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [search, setSearch] = useState<Search>();
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [next, setNext] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [exported, setExported] = useState<string>();

  const run = async (wanted: Search, cursor?: string) => {
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await api.GET('/v1/admin/audit', {
      params: { query: { ...defined(wanted), limit: '25', ...(cursor ? { cursor } : {}) } },
    });
    setBusy(false);
    if (!data) return setProblem(problemOf(error, response));
    setSearch(wanted);
    setEntries(cursor ? [...(entries ?? []), ...data.entries] : data.entries);
    setNext(data.next);
  };

  useEffect(() => {
    heading.current?.focus();
    // A link from the subject view opens the search already run.
    const subjectId = initial.get('subjectId');
    if (subjectId) void run({ subjectId });
  }, []);

  const download = async (format: 'csv' | 'json') => {
    if (!search) return;
    setProblem(undefined);
    setExported(undefined);
    const { data, error, response } = await api.GET('/v1/admin/audit/export', {
      params: { query: { ...defined(search), format } },
      parseAs: 'text',
    });
    if (data === undefined) {
      // parseAs text leaves a problem document unparsed
      let parsed: unknown = error;
      try {
        parsed = typeof error === 'string' ? JSON.parse(error) : error;
      } catch {
        /* not a problem document: problemOf makes one up */
      }
      return setProblem(problemOf(parsed, response));
    }
    const name = fileNameOf(response, `audit-export.${format}`);
    saveFile(data, name, format === 'csv' ? 'text/csv' : 'application/json');
    setExported(name);
  };

  return (
    <main>
      <h1 ref={heading} tabIndex={-1}>
        Audit trail
      </h1>
      <form
        class="filters"
        role="search"
        aria-label="Search the audit trail"
        onSubmit={(event) => {
          event.preventDefault();
          void run(searchFrom(event.currentTarget as HTMLFormElement));
        }}
      >
        <label>
          Subject id
          <input name="subjectId" defaultValue={initial.get('subjectId') ?? ''} pattern="[0-9a-fA-F-]{36}" />
        </label>
        <label>
          Actor's subject id
          <input name="actorSubjectId" defaultValue={initial.get('actorSubjectId') ?? ''} pattern="[0-9a-fA-F-]{36}" />
        </label>
        <div class="field">
          <label for="audit-action">Action</label>
          <select id="audit-action" name="action" defaultValue={initial.get('action') ?? ''}>
            <option value="">Any</option>
            {ACTIONS.map((a) => (
              <option value={a}>{a}</option>
            ))}
          </select>
        </div>
        <label>
          From (UTC)
          <input name="from" type="datetime-local" defaultValue={localOf(initial.get('from'))} />
        </label>
        <label>
          To (UTC)
          <input name="to" type="datetime-local" defaultValue={localOf(initial.get('to'))} />
        </label>
        <button type="submit" disabled={busy}>
          Search
        </button>
      </form>
      <p class="muted">Without a subject or actor, a search covers at most 31 days (the last 7 when no range is given).</p>
      {problem && <ProblemView problem={problem} />}
      {search && entries && (
        <>
          <div class="actions">
            <button type="button" onClick={() => download('csv')}>
              Download CSV
            </button>
            <button type="button" onClick={() => download('json')}>
              Download JSON
            </button>
            {search.subjectId && <VerifyChain subjectId={search.subjectId} />}
          </div>
          {exported && <p role="status">Saved {exported}: every entry found, with its chain hashes.</p>}
          <AuditTable entries={entries} caption={`${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} shown, newest first`} />
          {next && (
            <button type="button" class="secondary" disabled={busy} onClick={() => run(search, next)}>
              Show older entries
            </button>
          )}
        </>
      )}
    </main>
  );
}
