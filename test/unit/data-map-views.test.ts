import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ropa } from '../../lambdas/data-docs';
import { dataMapModel, awsWriterOriginId } from '../../lambdas/data-map-model';
import { VIEW_PAGES, dataMapPages } from '../../lambdas/data-map-pages';
import {
  NO_PURPOSE,
  accessLetters,
  focusedView,
  matrix,
  storeSummary,
  viewAnchor,
  viewColumns,
  viewTargets,
  type ViewKind,
} from '../../lambdas/domain/data-map-views';
import { ERASURE_PLAN } from '../../lambdas/erasure-plan';
import { AWS_LOG_STORE_IDS, awsWriterOf, inventory, type StoreId } from '../../lambdas/inventory';
import { PURPOSE_IDS, purposeOf } from '../../lambdas/purposes';
import { RECIPIENT_IDS, parseDataRef, recipientOf } from '../../lambdas/recipients';
import { authorizerFunction, createAdminCommand, routes, workers, type DataTouch } from '../../lambdas/routes';
import { schedules } from '../../lambdas/schedules';
import { ROOT } from '../../scripts/generate-data-docs';

const model = dataMapModel();
const pages = dataMapPages(model);

/** Every declaration that touches data, straight from the tables (not through the model): what must show somewhere. */
const declarations: Array<{ id: string; purpose?: string; personalData: readonly DataTouch[] }> = [
  ...routes,
  authorizerFunction,
  createAdminCommand,
  ...workers,
  ...schedules,
];

/** The section of a rendered page under one view's anchor, up to the next section. */
function section(kind: ViewKind, id: string): string {
  const page = pages[`data-map/${VIEW_PAGES[kind]}`];
  const start = page.indexOf(`<a id="${viewAnchor(kind, id)}"></a>`);
  expect(start).toBeGreaterThan(0);
  const next = page.indexOf('\n## ', start);
  return page.slice(start, next < 0 ? undefined : next);
}

const storeLink = (store: string) => `[\`${store}\`](stores.md#store-${store})`;

describe('the data map model: every declared flow appears in a focused view', () => {
  it('gives every declaration one origin, with unique ids, and every declared touch a flow in its origin’s and its purpose’s view', () => {
    expect(new Set(model.origins.map((o) => o.id)).size).toBe(model.origins.length);
    let checked = 0;
    for (const declaration of declarations) {
      const own = focusedView(model, 'origin', declaration.id);
      expect(own).toBeDefined();
      const byPurpose = declaration.purpose ? focusedView(model, 'purpose', declaration.purpose)! : undefined;
      for (const touch of declaration.personalData) {
        const matches = (t: { origin: string; store: string; access: readonly string[]; fields: readonly string[] }) =>
          t.origin === declaration.id &&
          t.store === touch.store &&
          touch.access.every((a) => t.access.includes(a)) &&
          (touch.fields as readonly string[]).every((f) => t.fields.includes(f));
        expect(own!.touches.filter(matches)).not.toHaveLength(0);
        if (byPurpose) expect(byPurpose.touches.filter(matches)).not.toHaveLength(0);
        expect(focusedView(model, 'store', touch.store)!.touches.filter(matches)).not.toHaveLength(0);
        // rendered: the origin's section has a row naming the store with the access letters
        expect(section('origin', declaration.id)).toContain(`| ${accessLetters(touch.access)}`);
        expect(section('origin', declaration.id)).toContain(storeLink(touch.store));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(routes.length);
  });

  it('shows each worker reading the queue it consumes, and each AWS log with the service writing it', () => {
    for (const worker of workers) {
      const view = focusedView(model, 'origin', worker.id)!;
      expect(view.touches.some((t) => t.note === 'consumes' && t.access.includes('read'))).toBe(true);
    }
    for (const store of AWS_LOG_STORE_IDS) {
      const view = focusedView(model, 'store', store)!;
      expect(view.touches).toEqual([expect.objectContaining({ origin: awsWriterOriginId(store), access: ['write'], purpose: awsWriterOf(store)!.purpose })]);
    }
  });

  it('shows every field each recipient receives, per purpose, in its view, its purpose’s view and the store’s view', () => {
    for (const id of RECIPIENT_IDS) {
      const view = focusedView(model, 'recipient', id)!;
      for (const { purpose, data } of recipientOf(id).receives) {
        for (const ref of data) {
          const { store } = parseDataRef(ref);
          const field = ref.slice(store.length + 1);
          const matches = (d: { recipient: string; purpose: string; store: string; fields: readonly string[] }) =>
            d.recipient === id && d.purpose === purpose && d.store === store && d.fields.includes(field);
          expect(view.disclosures.filter(matches)).toHaveLength(1);
          expect(focusedView(model, 'purpose', purpose)!.disclosures.filter(matches)).toHaveLength(1);
          expect(focusedView(model, 'store', store)!.disclosures.filter(matches)).toHaveLength(1);
          expect(section('recipient', id)).toContain(field);
        }
      }
    }
  });

  it('shows each purpose with every store the record of processing names for it, and its recipients', () => {
    for (const activity of ropa().activities) {
      const view = focusedView(model, 'purpose', activity.purpose)!;
      const columns = viewColumns(model, view);
      expect(columns.stores).toEqual(expect.arrayContaining(activity.stores));
      expect(columns.recipients).toEqual(expect.arrayContaining(activity.recipients.map((r) => r.id)));
      for (const store of activity.stores) expect(section('purpose', activity.purpose)).toContain(storeLink(store));
    }
  });

  it('puts every flow in some view: none is outside all of them', () => {
    const views = viewTargets(model).map((t) => focusedView(model, t.kind, t.id)!);
    for (const touch of model.touches) expect(views.some((v) => v.touches.includes(touch))).toBe(true);
    for (const disclosure of model.disclosures) expect(views.some((v) => v.disclosures.includes(disclosure))).toBe(true);
    expect(focusedView(model, 'purpose', 'no-such-purpose')).toBeUndefined();
  });

  it('describes every store with its fields, categories, retention and what erasure does', () => {
    for (const store of Object.keys(inventory) as StoreId[]) {
      const text = section('store', store);
      expect(text).toContain(`At erasure: **${ERASURE_PLAN[store].action}**`);
      for (const field of Object.keys(inventory[store].fields)) expect(text).toContain(`| ${field} |`);
      const entry = model.stores.find((s) => s.id === store)!;
      expect(entry.retention).toBe(inventory[store].retention);
      for (const category of entry.fields.flatMap((f) => f.categories)) expect(text).toContain(`category-${category}`);
    }
  });
});

describe('a view grouped by store', () => {
  it('names every origin of the view’s flows (audit entries aside) in its store’s row, with its access', () => {
    for (const target of viewTargets(model)) {
      const view = focusedView(model, target.kind, target.id)!;
      const rows = storeSummary(model, view);
      for (const touch of view.touches.filter((t) => t.note !== 'audit')) {
        const row = rows.find((r) => r.store === touch.store)!;
        const origin = row.origins.find((o) => o.origin === touch.origin)!;
        for (const access of touch.access) expect(origin.access).toContain(access);
      }
    }
  });
});

describe('the summary matrix', () => {
  const m = matrix(model);

  it('has a column per purpose (with its lawful basis in each cell) and one for what serves every purpose', () => {
    expect(m.columns).toEqual([...PURPOSE_IDS, NO_PURPOSE]);
    for (const row of m.rows) {
      row.cells.forEach((cell, i) => {
        if (cell && m.columns[i] !== NO_PURPOSE) expect(cell.lawfulBasis).toBe(purposeOf(m.columns[i] as (typeof PURPOSE_IDS)[number]).lawfulBasis);
      });
    }
  });

  it('marks each touch’s access in the cell of its store and purpose, and each disclosure in its recipient’s row', () => {
    for (const touch of model.touches) {
      const row = m.rows.find((r) => r.kind === 'store' && r.id === touch.store)!;
      const cell = row.cells[m.columns.indexOf(touch.purpose ?? NO_PURPOSE)]!;
      for (const access of touch.access) expect(cell.access).toContain(access);
      for (const category of touch.categories) expect(cell.categories).toContain(category);
    }
    for (const disclosure of model.disclosures) {
      const row = m.rows.find((r) => r.kind === 'recipient' && r.id === disclosure.recipient)!;
      expect(row.cells[m.columns.indexOf(disclosure.purpose)]).toMatchObject({ discloses: true });
    }
  });

  it('links every row and column label of the rendered summary to its focused view', () => {
    const summary = pages['data-map.md'];
    for (const column of m.columns.filter((c) => c !== NO_PURPOSE)) expect(summary).toContain(`(data-map/purposes.md#purpose-${column})`);
    for (const row of m.rows) expect(summary).toContain(`(data-map/${VIEW_PAGES[row.kind]}#${viewAnchor(row.kind, row.id)})`);
  });
});

describe('the generated pages', () => {
  it('are exactly the files under docs/data-map/ (none left over from a removed view)', () => {
    const generated = Object.keys(pages).filter((p) => p.startsWith('data-map/')).map((p) => p.slice('data-map/'.length)).sort();
    expect(readdirSync(join(ROOT, 'docs', 'data-map')).sort()).toEqual(generated);
  });

  it('link only to anchors that exist', () => {
    const anchors = new Set(viewTargets(model).map((t) => `${VIEW_PAGES[t.kind]}#${viewAnchor(t.kind, t.id)}`));
    for (const [path, text] of Object.entries(pages)) {
      for (const [, target] of text.matchAll(/\]\(((?:data-map\/)?[a-z]+\.md#[^)]+)\)/g)) {
        expect([path, anchors.has(target.replace(/^data-map\//, ''))]).toEqual([path, true]);
      }
    }
  });
});
