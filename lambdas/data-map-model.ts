/**
 * The data map's model: every declared flow of personal data, as plain JSON. Built from the same declarations as the graph
 * (`data-map.ts`): the route table, the workers, the schedules, the ops command, the inventory (stores, fields, categories,
 * retention, the AWS services that write logs), the erasure plan, the purposes and the recipients.
 *
 * The views people read (the matrix and the focused views, `domain/data-map-views.ts`) are functions of this model only;
 * the generated docs render them, and the console bundles the model (`console/src/data-map-model.json`, written by
 * `npm run datadocs`) and renders the same views. Deterministic: table order throughout, so the files change only when a
 * declaration does.
 */
import { ERASURE_PLAN } from './erasure-plan';
import { isAutomaticAuditWrite, personalCategories, processors } from './data-map';
import type { DataMapModel, FieldEntry, OriginEntry, StoreEntry, TouchFlow, DisclosureFlow } from './domain/data-map-views';
import { AWS_LOG_STORE_IDS, awsWriterOf, categoriesOfField, inventory, type FieldDeclaration, type StoreDeclaration, type StoreId } from './inventory';
import { PURPOSE_IDS, purposeOf, type LawfulBasis } from './purposes';
import { RECIPIENT_IDS, categoriesOfRef, parseDataRef, recipientOf, transfersInWords } from './recipients';

export const LAWFUL_BASIS_ARTICLE: Record<LawfulBasis, string> = {
  consent: 'Art. 6(1)(a)',
  contract: 'Art. 6(1)(b)',
  'legal-obligation': 'Art. 6(1)(c)',
  'legitimate-interest': 'Art. 6(1)(f)',
};

/** The origin id of an AWS service writing a log store by itself: `accessLogs` is written by `accessLogs-writer`. */
export const awsWriterOriginId = (store: StoreId) => `${store}-writer`;

function storeEntry(id: StoreId): StoreEntry {
  const store: StoreDeclaration = inventory[id];
  const writer = awsWriterOf(id);
  const fields: FieldEntry[] = Object.entries(store.fields as Readonly<Record<string, FieldDeclaration>>).map(([name, f]) => ({
    name,
    personal: f.personal,
    encrypted: f.encrypted ?? false,
    categories: f.personal ? categoriesOfField(id, name) : [],
    description: f.description,
  }));
  const encryption = store.encryption.key === 'SSE-S3' ? `SSE-S3 (keys managed by S3), because ${store.encryption.why}` : store.encryption.key;
  return {
    id,
    kind: store.kind,
    writtenBy: writer ? writer.service : 'backend',
    description: store.description,
    retention: store.retention,
    encryption,
    erasure: { action: ERASURE_PLAN[id].action, why: ERASURE_PLAN[id].why },
    fields,
  };
}

/** Builds the model from the declarations. */
export function dataMapModel(): DataMapModel {
  const all = processors();
  const origins: OriginEntry[] = all.map((p) => ({
    id: p.id,
    kind: p.kind,
    label: p.label,
    ...(p.purpose ? { purpose: p.purpose } : {}),
    callers: p.callers,
    crypto: p.crypto,
  }));
  const touches: TouchFlow[] = [];
  for (const p of all) {
    if (p.consumes) {
      touches.push({
        origin: p.id,
        store: p.consumes,
        access: ['read'],
        fields: Object.keys(inventory[p.consumes].fields),
        categories: personalCategories(p.consumes, Object.keys(inventory[p.consumes].fields)),
        ...(p.purpose ? { purpose: p.purpose } : {}),
        note: 'consumes',
      });
    }
    for (const touch of p.personalData) {
      const fields = touch.fields as readonly string[];
      touches.push({
        origin: p.id,
        store: touch.store,
        access: [...touch.access],
        fields: [...fields],
        categories: personalCategories(touch.store, fields),
        ...(p.purpose ? { purpose: p.purpose } : {}),
        ...(isAutomaticAuditWrite(touch) ? { note: 'audit' as const } : {}),
      });
    }
  }
  // Logs AWS services write by themselves: the service is their origin, writing every field, for the purpose it is kept for.
  for (const store of AWS_LOG_STORE_IDS) {
    const writer = awsWriterOf(store)!;
    origins.push({ id: awsWriterOriginId(store), kind: 'aws', label: `${writer.service} (${store})`, purpose: writer.purpose, callers: [], crypto: [] });
    const fields = Object.keys(inventory[store].fields);
    touches.push({ origin: awsWriterOriginId(store), store, access: ['write'], fields, categories: personalCategories(store, fields), purpose: writer.purpose });
  }

  // One flow per field received: a profile field counts as its own category only, not as everything the profile holds.
  const disclosures: DisclosureFlow[] = [];
  for (const id of RECIPIENT_IDS) {
    for (const { purpose, data } of recipientOf(id).receives) {
      for (const ref of data) {
        const { store } = parseDataRef(ref);
        disclosures.push({ store, recipient: id, purpose, fields: [ref.slice(store.length + 1)], categories: [...categoriesOfRef(ref)].sort() });
      }
    }
  }

  const stores = (Object.keys(inventory) as StoreId[]).map(storeEntry);
  return {
    format: 'forget-me-not/data-map@1',
    purposes: PURPOSE_IDS.map((id) => {
      const p = purposeOf(id);
      return {
        id,
        title: p.title,
        description: p.description,
        lawfulBasis: p.lawfulBasis,
        article: LAWFUL_BASIS_ARTICLE[p.lawfulBasis],
        required: p.required,
        retention: p.retention,
        recipients: [...p.recipients],
      };
    }),
    stores,
    categories: [...new Set(stores.flatMap((s) => s.fields.flatMap((f) => f.categories)))].sort(),
    origins,
    recipients: RECIPIENT_IDS.map((id) => {
      const r = recipientOf(id);
      return { id, name: r.name, kind: r.kind, delivery: r.delivery.kind, answerWithinDays: r.answerWithinDays, transfer: transfersInWords(id) };
    }),
    touches,
    disclosures,
  };
}
