/**
 * Consent insight: the figures per purpose and policy version (granted, lapsing today, expired, needing re-consent,
 * withdrawn, objected), how many consents rest on an outdated policy version, subjects restricted, and grants and
 * withdrawals per day over a chosen range as a chart with its table; both as CSV. And the proof-of-consent receipt of one
 * subject's decision, printable. The figures name no subject; the receipt's read is recorded on the subject's chain.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from './api';
import type { components } from './api-schema';
import { downloadText, toCsv } from './csv';
import { ProblemView } from './problem-view';
import { subjectHref } from './links';

export type ConsentStats = components['schemas']['ConsentStats'];
export type ConsentReceipt = components['schemas']['ConsentReceipt'];

export const consentHref = '#/consent';
export const consentReceiptHref = (subjectId: string, purpose: string) =>
  `#/consent/receipt/${encodeURIComponent(subjectId)}/${encodeURIComponent(purpose)}`;

const DAY = 86_400_000;
const dayBefore = (day: string, days: number) => new Date(Date.parse(day) - days * DAY).toISOString().slice(0, 10);

/** Every day of the range, oldest first, with the grants and withdrawals of `purpose` (or of every purpose). */
export function dailySeries(stats: ConsentStats, purpose: string): { day: string; grants: number; withdrawals: number }[] {
  const days: { day: string; grants: number; withdrawals: number }[] = [];
  for (let t = Date.parse(stats.from); t <= Date.parse(stats.to); t += DAY) days.push({ day: new Date(t).toISOString().slice(0, 10), grants: 0, withdrawals: 0 });
  const byDay = new Map(days.map((d) => [d.day, d]));
  for (const row of stats.days) {
    const day = byDay.get(row.day);
    if (!day || (purpose !== 'all' && row.topic !== purpose)) continue;
    if (row.action === 'grant') day.grants += row.count;
    if (row.action === 'withdraw') day.withdrawals += row.count;
  }
  return days;
}

/** Grants and withdrawals per day as bars (inline SVG, no library); the table after it carries the same numbers. */
function DayChart({ series, label }: { series: ReturnType<typeof dailySeries>; label: string }) {
  const width = 720;
  const height = 200;
  const left = 36;
  const bottom = 24;
  const top = 10;
  const max = Math.max(1, ...series.flatMap((d) => [d.grants, d.withdrawals]));
  const step = (width - left) / Math.max(1, series.length);
  const bar = Math.max(1, step / 2 - 1);
  const y = (n: number) => top + (height - bottom - top) * (1 - n / max);
  const ticks = [0, Math.round(max / 2), max];
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="chart-title chart-desc">
      <title id="chart-title">{label}</title>
      <desc id="chart-desc">
        Bars per day from {series[0]?.day} to {series[series.length - 1]?.day}: grants in blue, withdrawals in orange. The table
        below holds the same numbers.
      </desc>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={left} x2={width} y1={y(t)} y2={y(t)} class="grid" />
          <text x={left - 4} y={y(t) + 4} text-anchor="end">
            {t}
          </text>
        </g>
      ))}
      {series.map((d, i) => (
        <g key={d.day}>
          <rect class="grants" x={left + i * step} y={y(d.grants)} width={bar} height={height - bottom - y(d.grants)} />
          <rect class="withdrawals" x={left + i * step + bar} y={y(d.withdrawals)} width={bar} height={height - bottom - y(d.withdrawals)} />
        </g>
      ))}
      <text x={left} y={height - 6}>
        {series[0]?.day}
      </text>
      <text x={width} y={height - 6} text-anchor="end">
        {series[series.length - 1]?.day}
      </text>
    </svg>
  );
}

const COLUMNS = [
  ['granted', 'Granted'],
  ['lapsingToday', 'Lapsing today'],
  ['expired', 'Expired'],
  ['needsReconsent', 'Needs re-consent'],
  ['withdrawn', 'Withdrawn'],
  ['objected', 'Objected'],
  ['objectionWithdrawn', 'Objection withdrawn'],
] as const;

function figuresCsv(stats: ConsentStats): string {
  const rows = stats.purposes.flatMap((p) =>
    p.versions.map((v) => [p.purpose, p.lawfulBasis, v.version, v.current ? 'current' : 'outdated', ...COLUMNS.map(([key]) => String(v[key]))]),
  );
  return toCsv(['purpose', 'lawfulBasis', 'policyVersion', 'version', ...COLUMNS.map(([key]) => key)], rows);
}

const daysCsv = (stats: ConsentStats) => toCsv(['day', 'topic', 'action', 'count'], stats.days.map((d) => [d.day, d.topic, d.action, String(d.count)]));

/** The screen: a range, the figures, the chart and its table, and the downloads. */
export function ConsentInsight() {
  const today = new Date().toISOString().slice(0, 10);
  const [range, setRange] = useState({ from: dayBefore(today, 29), to: today });
  const [stats, setStats] = useState<ConsentStats>();
  const [problem, setProblem] = useState<Problem>();
  const [purpose, setPurpose] = useState('all');
  useEffect(() => {
    let current = true;
    setProblem(undefined);
    void api.GET('/v1/admin/consent-stats', { params: { query: range } }).then(({ data, error, response }) => {
      if (!current) return;
      if (data) setStats(data);
      else setProblem(problemOf(error, response));
    });
    return () => {
      current = false;
    };
  }, [range.from, range.to]);
  const submit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    setRange({ from: String(data.get('from')), to: String(data.get('to')) });
  };
  const series = stats ? dailySeries(stats, purpose) : [];
  const chartLabel = `Grants and withdrawals per day, ${purpose === 'all' ? 'all purposes' : purpose}`;
  return (
    <main>
      <h1 tabIndex={-1}>Consent insight</h1>
      <p class="muted">
        Subjects per purpose and policy version, from counters every decision moves in its own transaction: exact, and no
        subject is named. Expiry is counted by UTC day.
      </p>
      <form class="toolbar" onSubmit={submit} aria-label="Range of days">
        <label>
          From (UTC day)
          <input type="date" name="from" defaultValue={range.from} required />
        </label>
        <label>
          To (UTC day)
          <input type="date" name="to" defaultValue={range.to} required />
        </label>
        <button type="submit">Show</button>
      </form>
      {problem && <ProblemView problem={problem} />}
      {stats && (
        <>
          <section aria-labelledby="figures-title">
            <h2 id="figures-title">Figures now</h2>
            <ul data-outdated>
              {stats.purposes
                .filter((p) => p.lawfulBasis === 'consent')
                .map((p) => (
                  <li key={p.purpose} data-purpose={p.purpose}>
                    {p.purpose}: <strong>{p.onOutdatedVersion}</strong> {p.onOutdatedVersion === 1 ? 'consent rests' : 'consents rest'} on
                    a policy version older than {p.currentVersion}.
                  </li>
                ))}
              <li data-restricted={stats.restricted}>
                <strong>{stats.restricted}</strong> {stats.restricted === 1 ? 'subject has' : 'subjects have'} restricted processing
                (Art. 18): it stops every optional purpose while it lasts.
              </li>
            </ul>
            <table class="figures">
              <caption class="muted">Expiry counted against {stats.today} (UTC).</caption>
              <thead>
                <tr>
                  <th scope="col">Purpose</th>
                  <th scope="col">Policy version</th>
                  {COLUMNS.map(([key, title]) => (
                    <th scope="col" key={key}>
                      {title}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {stats.purposes.flatMap((p) =>
                  p.versions.map((v) => (
                    <tr key={`${p.purpose}#${v.version}`} data-purpose={p.purpose} data-version={v.version}>
                      <th scope="row">{p.purpose}</th>
                      <td>
                        {v.version} {v.current ? '(current)' : '(outdated)'}
                      </td>
                      {COLUMNS.map(([key]) => (
                        <td key={key} data-figure={key}>
                          {v[key]}
                        </td>
                      ))}
                    </tr>
                  )),
                )}
              </tbody>
            </table>
            <div class="actions">
              <button type="button" class="secondary" onClick={() => downloadText(`consent-figures-${stats.today}.csv`, figuresCsv(stats))}>
                Download figures (CSV)
              </button>
              <button type="button" class="secondary" onClick={() => downloadText(`consent-days-${stats.from}-${stats.to}.csv`, daysCsv(stats))}>
                Download decisions per day (CSV)
              </button>
            </div>
          </section>
          <section aria-labelledby="days-title">
            <h2 id="days-title">
              Decisions per day, {stats.from} to {stats.to}
            </h2>
            <label class="field">
              Purpose
              <select value={purpose} onChange={(e) => setPurpose((e.currentTarget as HTMLSelectElement).value)}>
                <option value="all">All purposes</option>
                {stats.purposes
                  .filter((p) => p.lawfulBasis === 'consent')
                  .map((p) => (
                    <option key={p.purpose} value={p.purpose}>
                      {p.purpose}
                    </option>
                  ))}
              </select>
            </label>
            <DayChart series={series} label={chartLabel} />
            <p class="muted legend">
              <span class="key grants" aria-hidden="true" /> Grants <span class="key withdrawals" aria-hidden="true" /> Withdrawals
            </p>
            <details>
              <summary>The chart as a table</summary>
              <table class="days">
                <caption class="muted">{chartLabel}</caption>
                <thead>
                  <tr>
                    <th scope="col">Day (UTC)</th>
                    <th scope="col">Grants</th>
                    <th scope="col">Withdrawals</th>
                  </tr>
                </thead>
                <tbody>
                  {series.map((d) => (
                    <tr key={d.day} data-day={d.day}>
                      <th scope="row">{d.day}</th>
                      <td>{d.grants}</td>
                      <td>{d.withdrawals}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </section>
        </>
      )}
    </main>
  );
}

const when = (iso?: string) => (iso ? `${iso.replace('T', ' ').slice(0, 19)} UTC` : '');

/** One decision's proof (Art. 7(1)), laid out to be printed: the print style hides the console around it. */
export function ConsentReceiptView({ subjectId, purpose }: { subjectId: string; purpose: string }) {
  const [receipt, setReceipt] = useState<ConsentReceipt>();
  const [problem, setProblem] = useState<Problem>();
  useEffect(() => {
    void api
      .GET('/v1/admin/subjects/{subjectId}/consents/{purpose}/receipt', { params: { path: { subjectId, purpose: purpose as ConsentReceipt['purpose'] } } })
      .then(({ data, error, response }) => (data ? setReceipt(data) : setProblem(problemOf(error, response))));
  }, [subjectId, purpose]);
  return (
    <main>
      <article class="receipt">
        <h1 tabIndex={-1}>Proof of consent</h1>
        <p class="no-print actions">
          <a href={subjectHref(subjectId)}>Back to the subject</a>
          <button type="button" onClick={() => print()} disabled={!receipt}>
            Print
          </button>
        </p>
        {problem && <ProblemView problem={problem} />}
        {receipt && (
          <dl class="facts">
            <dt>Subject</dt>
            <dd>
              <code>{receipt.subjectId}</code>
            </dd>
            <dt>Purpose</dt>
            <dd>
              {receipt.purposeTitle} (<code>{receipt.purpose}</code>), lawful basis {receipt.lawfulBasis}
            </dd>
            <dt>Decision</dt>
            <dd data-action={receipt.event.action}>{receipt.event.action.replace('-', ' ')}</dd>
            <dt>Status now</dt>
            <dd>{receipt.status.replace('-', ' ')}</dd>
            <dt>Made at</dt>
            <dd>{when(receipt.event.at)}</dd>
            <dt>Method</dt>
            <dd>{receipt.event.method}</dd>
            <dt>App (client id)</dt>
            <dd>{receipt.event.clientId}</dd>
            <dt>Valid until</dt>
            <dd>{receipt.event.validUntil ? when(receipt.event.validUntil) : 'Does not lapse'}</dd>
            <dt>Policy version</dt>
            <dd>
              {receipt.event.policyVersion} (current: {receipt.currentPolicyVersion})
            </dd>
            <dt>Policy text hash (SHA-256)</dt>
            <dd>
              <code class="hash">{receipt.event.policyHash}</code>
            </dd>
            <dt>Policy text</dt>
            <dd>{receipt.policyTextMatches ? `“${receipt.policyText}”` : 'Not the text shown today: the hash identifies the text it was made on.'}</dd>
            <dt>Ledger event</dt>
            <dd>
              <code data-event-id>{receipt.event.eventId}</code>, number {receipt.event.seq} of this purpose's decisions
            </dd>
            <dt>Receipt issued</dt>
            <dd>{when(receipt.issuedAt)}</dd>
          </dl>
        )}
      </article>
    </main>
  );
}
