/**
 * The data map (`#/map`): first the summary matrix (stores and recipients × purposes: read / write / delete, the categories
 * and the lawful basis), then, by fragment, a focused view of one purpose, store, category, origin or recipient with only its
 * flows (`#/map/purpose/newsletter`). The model is docs/data-map.json, generated from the declarations by `npm run datadocs`
 * and bundled here (about 11 KiB gzipped): it describes the code that is deployed, so no API call is needed to read it. The
 * views are the same functions the generated docs render (lambdas/domain/data-map-views.ts).
 */
import { Fragment, type ComponentChildren } from 'preact';
import generated from '../../docs/data-map.json';
import {
  NO_PURPOSE,
  VIEW_KINDS,
  accessLetters,
  focusedView,
  matrix,
  storeSummary,
  titleOf,
  viewTargets,
  type Access,
  type DataMapModel,
  type DisclosureFlow,
  type FocusedView,
  type TouchFlow,
  type ViewKind,
} from '../../lambdas/domain/data-map-views';

const model = generated as unknown as DataMapModel;

export const mapHref = (kind?: ViewKind, id?: string) => (kind && id ? `#/map/${kind}/${encodeURIComponent(id)}` : '#/map');

const KIND_NAMES: Record<ViewKind, string> = { purpose: 'Purpose', store: 'Store', category: 'Category', origin: 'Origin', recipient: 'Recipient' };

/** The view a fragment's parts name (`['map', 'purpose', 'account']`), or the summary. */
export function mapTargetOf(parts: readonly string[]): { kind: ViewKind; id: string } | undefined {
  const kind = parts[1] as ViewKind;
  if (!VIEW_KINDS.includes(kind) || !parts[2]) return undefined;
  return { kind, id: decodeURIComponent(parts[2]) };
}

const ViewLink = ({ kind, id, children }: { kind: ViewKind; id: string; children?: ComponentChildren }) => (
  <a href={mapHref(kind, id)}>{children ?? (kind === 'origin' || kind === 'purpose' || kind === 'recipient' ? titleOf(model, kind, id) : id)}</a>
);

/** `r w` on screen, the words for screen readers. */
function AccessText({ access }: { access: readonly Access[] }) {
  return (
    <>
      <span aria-hidden="true">{accessLetters(access)}</span>
      <span class="visually-hidden">{access.join(', ')}</span>
    </>
  );
}

function Summary() {
  const m = matrix(model);
  const purposeOf = (id: string) => model.purposes.find((p) => p.id === id);
  return (
    <>
      <p>
        What each purpose does to each store, and what each recipient receives for it: <strong>r</strong> read, <strong>w</strong>{' '}
        write, <strong>d</strong> delete, then the categories of personal data and the purpose’s lawful basis. Follow a purpose,
        store or recipient to see only its flows. Generated from the same declarations as the code, the RoPA and docs/data-map.md.
      </p>
      <div class="map-scroll">
        <table class="map-matrix">
          <caption>Stores and recipients by purpose</caption>
          <thead>
            <tr>
              <th scope="col">Store or recipient</th>
              {m.columns.map((column) => (
                <th scope="col" key={column}>
                  {column === NO_PURPOSE ? (
                    'Every purpose'
                  ) : (
                    <>
                      <ViewLink kind="purpose" id={column}>
                        {column}
                      </ViewLink>
                      <br />
                      <span class="muted">{purposeOf(column)?.lawfulBasis}</span>
                    </>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.rows.map((row) => (
              <tr key={`${row.kind}-${row.id}`}>
                <th scope="row">
                  {row.kind === 'recipient' && <span aria-hidden="true">→ </span>}
                  <ViewLink kind={row.kind} id={row.id} />
                  {row.kind === 'recipient' && <span class="visually-hidden"> (recipient)</span>}
                </th>
                {row.cells.map((cell, i) => (
                  <td key={m.columns[i]}>
                    {cell && (
                      <>
                        <strong>{cell.discloses ? 'receives' : <AccessText access={cell.access} />}</strong>
                        <br />
                        <span class="small">{cell.categories.join(', ') || 'no personal fields'}</span>
                        {cell.lawfulBasis && (
                          <>
                            <br />
                            <em class="small">{cell.lawfulBasis}</em>
                          </>
                        )}
                      </>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section aria-labelledby="map-index">
        <h2 id="map-index">Focused views</h2>
        {(['category', 'recipient', 'origin'] as const).map((kind) => (
          <details key={kind}>
            <summary>{kind === 'category' ? 'Categories' : kind === 'recipient' ? 'Recipients' : 'Origins: routes, workers, jobs, commands, AWS logs'}</summary>
            <ul class="map-index">
              {viewTargets(model)
                .filter((t) => t.kind === kind)
                .map((t) => (
                  <li key={t.id}>
                    <ViewLink kind={kind} id={t.id} />
                  </li>
                ))}
            </ul>
          </details>
        ))}
      </section>
    </>
  );
}

function Facts({ view }: { view: FocusedView }) {
  const rows: Array<[string, ComponentChildren]> = [];
  if (view.kind === 'purpose') {
    const p = model.purposes.find((x) => x.id === view.id)!;
    rows.push(
      ['Description', p.description],
      ['Lawful basis', `${p.lawfulBasis}, ${p.article}${p.required ? ' (required for the service)' : ' (optional)'}`],
      ['Retention', p.retention],
      ['Recipients', p.recipients.length > 0 ? p.recipients.map((r, i) => <Fragment key={r}>{i > 0 && ', '}<ViewLink kind="recipient" id={r} /></Fragment>) : 'none beyond AWS, the processor hosting every store'],
    );
  } else if (view.kind === 'store') {
    const s = model.stores.find((x) => x.id === view.id)!;
    rows.push(
      ['Description', s.description],
      ['Kind', `${s.kind}, written by ${s.writtenBy === 'backend' ? 'the backend' : s.writtenBy}`],
      ['Retention', s.retention],
      ['Encryption at rest', s.encryption],
      ['At erasure', <><strong>{s.erasure.action}</strong>. {s.erasure.why}</>],
    );
  } else if (view.kind === 'origin') {
    const o = model.origins.find((x) => x.id === view.id)!;
    rows.push(['Kind', o.kind], ['Purpose', o.purpose ? <ViewLink kind="purpose" id={o.purpose} /> : 'none of its own: it serves every purpose']);
    if (o.callers.length > 0) rows.push(['Called by', o.callers.join(', ')]);
  } else if (view.kind === 'recipient') {
    const r = model.recipients.find((x) => x.id === view.id)!;
    rows.push(['Kind', r.kind], ['Told by', r.delivery], ['Answers within', `${r.answerWithinDays} days`], ['Transfer', r.transfer]);
  } else {
    const stores = model.stores.filter((s) => s.fields.some((f) => f.categories.includes(view.id)));
    rows.push(['Held in', stores.map((s, i) => <Fragment key={s.id}>{i > 0 && ', '}<ViewLink kind="store" id={s.id} /></Fragment>)]);
  }
  return (
    <dl class="facts">
      {rows.map(([term, value]) => (
        <Fragment key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function FieldsTable({ storeId }: { storeId: string }) {
  const s = model.stores.find((x) => x.id === storeId)!;
  return (
    <table>
      <caption>Fields of {storeId}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Personal</th>
          <th scope="col">Categories</th>
          <th scope="col">Encrypted per subject</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {s.fields.map((f) => (
          <tr key={f.name}>
            <th scope="row">{f.name}</th>
            <td>{f.personal ? 'yes' : 'no'}</td>
            <td>{f.categories.join(', ') || '—'}</td>
            <td>{f.encrypted ? 'yes' : 'no'}</td>
            <td class="small">{f.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TouchesTable({ touches, showPurpose }: { touches: readonly TouchFlow[]; showPurpose: boolean }) {
  return (
    <table>
      <caption>Origins → stores</caption>
      <thead>
        <tr>
          <th scope="col">Origin</th>
          <th scope="col">Access</th>
          <th scope="col">Store</th>
          <th scope="col">Categories</th>
          <th scope="col">Fields</th>
          {showPurpose && <th scope="col">Purpose</th>}
        </tr>
      </thead>
      <tbody>
        {touches.map((t, i) => (
          <tr key={i}>
            <th scope="row">
              <ViewLink kind="origin" id={t.origin} />
            </th>
            <td>
              <AccessText access={t.access} />
              {t.note === 'audit' ? ' (audit entry)' : t.note === 'consumes' ? ' (consumes)' : ''}
            </td>
            <td>
              <ViewLink kind="store" id={t.store} />
            </td>
            <td>{t.categories.join(', ') || '—'}</td>
            <td class="small">{t.fields.join(', ')}</td>
            {showPurpose && <td>{t.purpose ? <ViewLink kind="purpose" id={t.purpose}>{t.purpose}</ViewLink> : 'every purpose'}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DisclosuresTable({ disclosures }: { disclosures: readonly DisclosureFlow[] }) {
  return (
    <table>
      <caption>Stores → recipients</caption>
      <thead>
        <tr>
          <th scope="col">Store</th>
          <th scope="col">Fields</th>
          <th scope="col">Categories</th>
          <th scope="col">Recipient</th>
          <th scope="col">Purpose</th>
        </tr>
      </thead>
      <tbody>
        {disclosures.map((d, i) => (
          <tr key={i}>
            <th scope="row">
              <ViewLink kind="store" id={d.store} />
            </th>
            <td>{d.fields.join(', ')}</td>
            <td>{d.categories.join(', ')}</td>
            <td>
              <ViewLink kind="recipient" id={d.recipient} />
            </td>
            <td>
              <ViewLink kind="purpose" id={d.purpose}>
                {d.purpose}
              </ViewLink>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A purpose's or category's flows, one row per store: what is done to it and by which origins. */
function StoreSummaryTable({ view }: { view: FocusedView }) {
  return (
    <table>
      <caption>Stores, and the origins that touch them</caption>
      <thead>
        <tr>
          <th scope="col">Store</th>
          <th scope="col">Access</th>
          <th scope="col">Categories</th>
          <th scope="col">By</th>
        </tr>
      </thead>
      <tbody>
        {storeSummary(model, view).map((row) => (
          <tr key={row.store}>
            <th scope="row">
              <ViewLink kind="store" id={row.store} />
            </th>
            <td>
              <AccessText access={row.access} />
            </td>
            <td>{row.categories.join(', ') || '—'}</td>
            <td class="small">
              {row.origins.map((o, i) => (
                <Fragment key={o.origin}>
                  {i > 0 && ', '}
                  <ViewLink kind="origin" id={o.origin}>
                    {o.origin}
                  </ViewLink>{' '}
                  (<AccessText access={o.access} />)
                </Fragment>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Focused({ view }: { view: FocusedView }) {
  // The audit entry every origin writes would double most tables: only an origin's own view lists it as a row.
  const audit = view.kind === 'origin' ? [] : view.touches.filter((t) => t.note === 'audit');
  const touches = view.touches.filter((t) => !audit.includes(t));
  const writers = [...new Set(audit.map((t) => t.origin))];
  return (
    <>
      <Facts view={view} />
      {view.kind === 'store' && (
        <section aria-label="Fields">
          <FieldsTable storeId={view.id} />
        </section>
      )}
      {touches.length > 0 && (view.kind === 'purpose' || view.kind === 'category') && (
        <section aria-label="Origins to stores">
          <StoreSummaryTable view={view} />
          <details>
            <summary>Every flow ({touches.length})</summary>
            <TouchesTable touches={touches} showPurpose={view.kind !== 'purpose'} />
          </details>
        </section>
      )}
      {touches.length > 0 && view.kind !== 'purpose' && view.kind !== 'category' && (
        <section aria-label="Origins to stores">
          <TouchesTable touches={touches} showPurpose={view.kind !== 'origin'} />
        </section>
      )}
      {writers.length > 0 && (
        <p>
          Audit entries (pseudonyms and field names) written to <ViewLink kind="store" id="audit" /> by{' '}
          {writers.map((o, i) => (
            <Fragment key={o}>
              {i > 0 && ', '}
              <ViewLink kind="origin" id={o}>
                {o}
              </ViewLink>
            </Fragment>
          ))}
          .
        </p>
      )}
      {view.disclosures.length > 0 && (
        <section aria-label="Stores to recipients">
          <DisclosuresTable disclosures={view.disclosures} />
        </section>
      )}
      {touches.length === 0 && writers.length === 0 && view.disclosures.length === 0 && <p>No declared flow.</p>}
    </>
  );
}

export function DataMapScreen({ target }: { target?: { kind: ViewKind; id: string } }) {
  const view = target ? focusedView(model, target.kind, target.id) : undefined;
  return (
    <main class="data-map">
      {target && (
        <p>
          <a href={mapHref()}>← Data map summary</a>
        </p>
      )}
      <h1 tabIndex={-1}>{!target ? 'Data map' : view ? `${KIND_NAMES[view.kind]}: ${view.title}` : 'Not on the map'}</h1>
      {!target ? <Summary /> : view ? <Focused view={view} /> : <p>The map holds no {target.kind} “{target.id}”.</p>}
    </main>
  );
}
