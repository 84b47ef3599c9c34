/**
 * The data map as views people can read: a summary matrix (stores × purposes, each cell saying read / write / delete, the
 * categories and the lawful basis) and focused views of one purpose, one store, one category, one origin (a route, worker,
 * scheduled job, command or AWS log writer) or one recipient, each with only its own flows.
 *
 * Pure functions over a `DataMapModel` (plain JSON, built from the declarations by `lambdas/data-map-model.ts`): the
 * generated docs (docs/data-map.md and docs/data-map/) and the console's `#/map` screen both render these, so they cannot
 * disagree. No imports: the console bundles this module as it is.
 */

export type Access = 'read' | 'write' | 'delete';
export type OriginKind = 'route' | 'function' | 'command' | 'worker' | 'job' | 'aws';
export type LawfulBasisId = 'consent' | 'contract' | 'legal-obligation' | 'legitimate-interest';

export interface PurposeEntry {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly lawfulBasis: LawfulBasisId;
  /** `Art. 6(1)(a)` … */
  readonly article: string;
  readonly required: boolean;
  readonly retention: string;
  readonly recipients: readonly string[];
}

export interface FieldEntry {
  readonly name: string;
  readonly personal: boolean;
  readonly encrypted: boolean;
  /** The categories it holds (the encrypted profile holds several); empty for a field that identifies nobody. */
  readonly categories: readonly string[];
  readonly description: string;
}

export interface StoreEntry {
  readonly id: string;
  readonly kind: 'table' | 'bucket' | 'queue' | 'log-group';
  /** `backend`, or the AWS feature that writes it by itself (S3 server access logging, CloudTrail …). */
  readonly writtenBy: string;
  readonly description: string;
  readonly retention: string;
  readonly encryption: string;
  readonly erasure: { readonly action: 'delete' | 'pseudonymise' | 'keep' | 'shred'; readonly why: string };
  readonly fields: readonly FieldEntry[];
}

export interface OriginEntry {
  readonly id: string;
  readonly kind: OriginKind;
  /** How people read it: `GET /v1/me`, `worker rightsRequestWorker`, `job retention (rate(1 day))`. */
  readonly label: string;
  /** Absent: it serves every purpose (the authorizer, the health check …). */
  readonly purpose?: string;
  readonly callers: readonly string[];
  /** The KMS uses it declares (subject keys, pseudonyms …). */
  readonly crypto: readonly string[];
}

export interface RecipientEntry {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly delivery: string;
  readonly answerWithinDays: number;
  readonly transfer: string;
}

/** An origin touching a store: one declared touch (or the queue a worker consumes, or the log an AWS service writes). */
export interface TouchFlow {
  readonly origin: string;
  readonly store: string;
  readonly access: readonly Access[];
  readonly fields: readonly string[];
  /** Categories of the personal fields named; empty when the touch names none. */
  readonly categories: readonly string[];
  readonly purpose?: string;
  /** `audit`: the audit-trail write every declaration touching personal data gets; `consumes`: a worker's queue. */
  readonly note?: 'audit' | 'consumes';
}

/** Data of a store reaching a recipient for a purpose. */
export interface DisclosureFlow {
  readonly store: string;
  readonly recipient: string;
  readonly purpose: string;
  /** `profile.email`, `subjectId` … */
  readonly fields: readonly string[];
  readonly categories: readonly string[];
}

export interface DataMapModel {
  readonly format: 'forget-me-not/data-map@1';
  readonly purposes: readonly PurposeEntry[];
  readonly stores: readonly StoreEntry[];
  /** Every category some personal field holds, sorted. */
  readonly categories: readonly string[];
  readonly origins: readonly OriginEntry[];
  readonly recipients: readonly RecipientEntry[];
  readonly touches: readonly TouchFlow[];
  readonly disclosures: readonly DisclosureFlow[];
}

export type ViewKind = 'purpose' | 'store' | 'category' | 'origin' | 'recipient';
export const VIEW_KINDS: readonly ViewKind[] = ['purpose', 'store', 'category', 'origin', 'recipient'];

/** The column of a matrix without a purpose: what serves every purpose. */
export const NO_PURPOSE = '(every purpose)';

export interface MatrixCell {
  readonly access: readonly Access[];
  readonly categories: readonly string[];
  /** For a recipient row: it receives data for this purpose. */
  readonly discloses: boolean;
  /** The column purpose's lawful basis; absent in the every-purpose column. */
  readonly lawfulBasis?: LawfulBasisId;
}

export interface MatrixRow {
  readonly kind: 'store' | 'recipient';
  readonly id: string;
  /** One per column, in column order; undefined where nothing flows. */
  readonly cells: readonly (MatrixCell | undefined)[];
}

export interface Matrix {
  /** Purpose ids, then `NO_PURPOSE` when something serves every purpose. */
  readonly columns: readonly string[];
  readonly rows: readonly MatrixRow[];
}

const ACCESS_ORDER: readonly Access[] = ['read', 'write', 'delete'];

const union = (lists: readonly (readonly string[])[]) => [...new Set(lists.flat())].sort();

/** The summary: a row per store and per recipient, a column per purpose; a store or recipient nothing reaches has no row. */
export function matrix(model: DataMapModel): Matrix {
  const basis = new Map(model.purposes.map((p) => [p.id, p.lawfulBasis]));
  const columns = [...model.purposes.map((p) => p.id), ...(model.touches.some((t) => !t.purpose) ? [NO_PURPOSE] : [])];
  const columnOf = (purpose: string | undefined) => purpose ?? NO_PURPOSE;
  const rows: MatrixRow[] = [];
  for (const store of model.stores) {
    const flows = model.touches.filter((t) => t.store === store.id);
    if (flows.length === 0) continue;
    rows.push({
      kind: 'store',
      id: store.id,
      cells: columns.map((column) => {
        const here = flows.filter((t) => columnOf(t.purpose) === column);
        if (here.length === 0) return undefined;
        const access = ACCESS_ORDER.filter((a) => here.some((t) => t.access.includes(a)));
        return { access, categories: union(here.map((t) => t.categories)), discloses: false, lawfulBasis: basis.get(column) };
      }),
    });
  }
  for (const recipient of model.recipients) {
    const flows = model.disclosures.filter((d) => d.recipient === recipient.id);
    if (flows.length === 0) continue;
    rows.push({
      kind: 'recipient',
      id: recipient.id,
      cells: columns.map((column) => {
        const here = flows.filter((d) => d.purpose === column);
        if (here.length === 0) return undefined;
        return { access: [], categories: union(here.map((d) => d.categories)), discloses: true, lawfulBasis: basis.get(column) };
      }),
    });
  }
  return { columns, rows };
}

export interface FocusedView {
  readonly kind: ViewKind;
  readonly id: string;
  readonly title: string;
  /** Origin → store, ordered by origin then store. */
  readonly touches: readonly TouchFlow[];
  /** Store → recipient. */
  readonly disclosures: readonly DisclosureFlow[];
}

/** A view's id in URLs and anchors: `purpose-newsletter`, `origin-getMe`. */
export const viewAnchor = (kind: ViewKind, id: string) => `${kind}-${id}`;

/** Everything a view can be opened for, in model order: each purpose, store, category, origin and recipient. */
export function viewTargets(model: DataMapModel): Array<{ kind: ViewKind; id: string }> {
  return [
    ...model.purposes.map((p) => ({ kind: 'purpose' as const, id: p.id })),
    ...model.stores.map((s) => ({ kind: 'store' as const, id: s.id })),
    ...model.categories.map((c) => ({ kind: 'category' as const, id: c })),
    ...model.origins.map((o) => ({ kind: 'origin' as const, id: o.id })),
    ...model.recipients.map((r) => ({ kind: 'recipient' as const, id: r.id })),
  ];
}

/** The title people read for one thing of the model. */
export function titleOf(model: DataMapModel, kind: ViewKind, id: string): string {
  switch (kind) {
    case 'purpose':
      return model.purposes.find((p) => p.id === id)?.title ?? id;
    case 'origin':
      return model.origins.find((o) => o.id === id)?.label ?? id;
    case 'recipient':
      return model.recipients.find((r) => r.id === id)?.name ?? id;
    default:
      return id;
  }
}

/**
 * One thing and only its flows. A purpose: what its origins touch and what its recipients receive for it. A store: who
 * touches it and who receives from it. A category: the flows that carry it. An origin: its touches. A recipient: what it
 * receives. Undefined for an id the model does not hold.
 */
export function focusedView(model: DataMapModel, kind: ViewKind, id: string): FocusedView | undefined {
  const exists = viewTargets(model).some((t) => t.kind === kind && t.id === id);
  if (!exists) return undefined;
  const pick = (touch: (t: TouchFlow) => boolean, disclosure: (d: DisclosureFlow) => boolean): FocusedView => ({
    kind,
    id,
    title: titleOf(model, kind, id),
    touches: model.touches.filter(touch),
    disclosures: model.disclosures.filter(disclosure),
  });
  switch (kind) {
    case 'purpose':
      return pick((t) => t.purpose === id, (d) => d.purpose === id);
    case 'store':
      return pick((t) => t.store === id, (d) => d.store === id);
    case 'category':
      return pick((t) => t.categories.includes(id), (d) => d.categories.includes(id));
    case 'origin':
      return pick((t) => t.origin === id, () => false);
    case 'recipient':
      return pick(() => false, (d) => d.recipient === id);
  }
}

/** `r w d` letters for a list of accesses, in a fixed order. */
export const accessLetters = (access: readonly Access[]) =>
  ACCESS_ORDER.filter((a) => access.includes(a))
    .map((a) => a[0])
    .join(' ');

/** The columns of a focused view, left to right: origins, stores, recipients it involves (each once, in model order). */
export function viewColumns(model: DataMapModel, view: FocusedView): { origins: string[]; stores: string[]; recipients: string[] } {
  const origins = new Set(view.touches.map((t) => t.origin));
  const stores = new Set([...view.touches.map((t) => t.store), ...view.disclosures.map((d) => d.store)]);
  const recipients = new Set(view.disclosures.map((d) => d.recipient));
  return {
    origins: model.origins.filter((o) => origins.has(o.id)).map((o) => o.id),
    stores: model.stores.filter((s) => stores.has(s.id)).map((s) => s.id),
    recipients: model.recipients.filter((r) => recipients.has(r.id)).map((r) => r.id),
  };
}

/** A focused view's flows into one store, merged: what is done to it, which categories, and by whom (each origin once). */
export interface StoreSummaryRow {
  readonly store: string;
  readonly access: readonly Access[];
  readonly categories: readonly string[];
  readonly origins: ReadonlyArray<{ readonly origin: string; readonly access: readonly Access[] }>;
}

/**
 * The flows of a view grouped by store, in model order: one row per store instead of one per touch, so a purpose with forty
 * touches reads as a dozen rows. Audit entries are left to their own line (`auditWriters`).
 */
export function storeSummary(model: DataMapModel, view: FocusedView): StoreSummaryRow[] {
  const touches = view.touches.filter((t) => t.note !== 'audit');
  return model.stores
    .filter((s) => touches.some((t) => t.store === s.id))
    .map((s) => {
      const here = touches.filter((t) => t.store === s.id);
      const origins = [...new Set(here.map((t) => t.origin))].map((origin) => ({
        origin,
        access: ACCESS_ORDER.filter((a) => here.some((t) => t.origin === origin && t.access.includes(a))),
      }));
      return {
        store: s.id,
        access: ACCESS_ORDER.filter((a) => here.some((t) => t.access.includes(a))),
        categories: view.kind === 'category' ? [view.id] : union(here.map((t) => t.categories)),
        origins,
      };
    });
}

/** The origins whose audit entries a view's flows include (named in one line rather than a row each). */
export const auditWriters = (view: FocusedView) => [...new Set(view.touches.filter((t) => t.note === 'audit').map((t) => t.origin))];
