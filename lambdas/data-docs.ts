/**
 * The Art. 30 record of processing activities, rendered from the data map's model (`data-map-model.ts`: every declared flow,
 * from the route table, the workers, the schedules, the inventory, the erasure plan, the purposes and the recipients), plus
 * the README's storage statements. The data map's own pages are `data-map-pages.ts`, its offline graph
 * `scripts/data-map-html.ts`. Pure functions: `scripts/generate-data-docs.ts` writes them, and a unit test fails when the
 * committed files are stale.
 */
import { dataMapModel } from './data-map-model';
import type { DataMapModel, OriginEntry } from './domain/data-map-views';
import { ERASURE_PLAN, type ErasureAction } from './erasure-plan';
import { TRANSIENT_IP_PROCESSING, awsWriterOf, inventory, type FieldDeclaration, type StoreDeclaration, type StoreId } from './inventory';
import { PURPOSE_IDS, policyHash, purposeOf } from './purposes';
import { RECIPIENT_IDS, recipientOf, transfersInWords, type RecipientId } from './recipients';

export { dataMapMermaid } from './data-map';

/**
 * Art. 30(1)(a): the controller, and where they apply its representative (Art. 27) and data-protection officer (Art. 37).
 * The organisation deploying this backend fills these in; the RoPA shows them on every generation.
 */
export const CONTROLLER = {
  name: 'Fill in: the organisation deploying this backend',
  address: 'Fill in: its postal address',
  contact: 'Fill in: an email address for data-protection matters',
  representative: 'Fill in: the EU representative (Art. 27), or "not required"',
  dataProtectionOfficer: 'Fill in: the data-protection officer’s name and contact (Art. 37), or "not designated"',
} as const;

/** Administrators are data subjects of an activity they take part in: their accounts, and their ids in the audit trail. */
const involvesAdministrators = (o: OriginEntry) => o.callers.some((c) => c === 'admin' || c === 'operator');

const STORE_SERVICE: Record<StoreDeclaration['kind'], string> = {
  table: 'Amazon DynamoDB',
  bucket: 'Amazon S3',
  queue: 'Amazon SQS',
  'log-group': 'Amazon CloudWatch Logs',
};

/** The AWS services an activity's processing runs on: derived from its stores, its kind of processing and its key use. */
function awsServices(items: readonly OriginEntry[], stores: readonly StoreId[]): string[] {
  if (items.length === 0 && stores.length === 0) return [];
  const services = new Set<string>();
  if (items.length > 0) ['AWS Lambda', 'Amazon CloudWatch Logs'].forEach((s) => services.add(s));
  if (items.some((p) => p.kind === 'route')) services.add('Amazon API Gateway');
  if (items.some((p) => p.kind === 'job')) services.add('Amazon EventBridge');
  if (items.some((p) => p.crypto.length > 0) || stores.length > 0) services.add('AWS KMS');
  for (const store of stores) {
    services.add(STORE_SERVICE[inventory[store].kind]);
    const writer = awsWriterOf(store);
    if (writer) services.add(writer.awsService);
  }
  return [...services].sort();
}


export interface RetentionRow {
  readonly category: string;
  readonly store: StoreId;
  readonly fields: readonly string[];
  readonly retention: string;
  readonly atErasure: ErasureAction;
}

/**
 * Art. 30(1)(f), per category: where each category of the activity is held, which fields, how long, and what erasure does.
 * Rows come from the data map's flows for the purpose: its origins' touches (the AWS logs kept for it among them) and what
 * its recipients receive; the profile counts as each category it holds, except where a recipient receives one of its fields.
 */
function retentionByCategory(model: DataMapModel, purpose: string): RetentionRow[] {
  const rows = new Map<string, { category: string; store: StoreId; fields: Set<string> }>();
  const touched: Array<{ store: string; fields: readonly string[]; categories?: readonly string[] }> = [
    // a worker's consumed queue is not one of its declared touches: the message is what its declared touches describe
    ...model.touches.filter((t) => t.purpose === purpose && t.note !== 'consumes').map((t) => ({ store: t.store, fields: t.fields })),
    ...model.disclosures
      .filter((d) => d.purpose === purpose)
      .map((d) => ({ store: d.store, fields: d.fields.map((f) => f.split('.')[0]), categories: d.categories })),
  ];
  for (const touch of touched) {
    const declared = model.stores.find((s) => s.id === touch.store)!.fields;
    for (const field of touch.fields) {
      const entry = declared.find((f) => f.name === field);
      if (!entry?.personal) continue;
      for (const category of touch.categories ?? entry.categories) {
        const key = `${category}\u0000${touch.store}`;
        const row = rows.get(key) ?? { category, store: touch.store as StoreId, fields: new Set<string>() };
        row.fields.add(field);
        rows.set(key, row);
      }
    }
  }
  return [...rows.values()]
    .sort((a, b) => a.category.localeCompare(b.category) || a.store.localeCompare(b.store))
    .map((row) => ({
      category: row.category,
      store: row.store,
      fields: [...row.fields].sort(),
      retention: inventory[row.store].retention,
      atErasure: ERASURE_PLAN[row.store].action,
    }));
}

/** Art. 30(1)(d) and (e): a recipient as the RoPA lists it: its declaration, and what the map's flows give it for the purpose. */
function recipientEntry(model: DataMapModel, id: RecipientId, purpose: string) {
  const declared = recipientOf(id);
  return {
    id,
    name: declared.name,
    kind: declared.kind,
    categories: [...new Set(model.disclosures.filter((d) => d.recipient === id && d.purpose === purpose).flatMap((d) => d.categories))].sort(),
    delivery: declared.delivery.kind,
    answerWithinDays: declared.answerWithinDays,
    transfer: transfersInWords(id),
  };
}

/** Art. 30(1) record of processing activities, one entry per purpose. The controller's details are the deployer's to fill. */
export function ropa(model: DataMapModel = dataMapModel()) {
  // What the processing is (its origins, their flows, the stores and recipients) comes from the data map's model: the
  // record and the map are two renderings of one set of flows. The purpose's own terms come from its declaration.
  const flowsOf = (origin: string) => model.touches.filter((t) => t.origin === origin && t.note !== 'consumes');
  return {
    format: 'forget-me-not/ropa@2',
    controller: { ...CONTROLLER },
    securityMeasures: [
      'Every personal field encrypted per subject (AES-256-GCM) under a key wrapped by a customer-managed KMS key; erasure destroys the key.',
      `Encrypted per subject: ${encryptedFields().join(', ') || 'none'}.`,
      ...encryptionAtRest(),
      'TLS-only bucket and queue policies; public access blocked on every bucket.',
      'Least-privilege IAM derived from each route’s declared data; AWS WAF and API throttling; cdk-nag AwsSolutions checks.',
      'Pseudonymous, hash-chained audit trail of every access; CloudTrail data events on every personal-data table.',
      'Function logs redacted of personal values; API access logs without IP addresses or user agents.',
      ...ipAddresses(),
    ],
    thirdCountryTransfers:
      'None by this backend beyond the AWS region it is deployed in (choose a region in the EEA, or record the safeguard here); ' +
      'the recipients below that process outside the EEA are listed with their safeguards (lambdas/recipients.ts).',
    transfersByRecipients: RECIPIENT_IDS.filter((id) => recipientOf(id).transfers !== 'none').map((id) => ({
      recipient: id,
      name: recipientOf(id).name,
      transfer: transfersInWords(id),
    })),
    activities: PURPOSE_IDS.map((id) => {
      const p = purposeOf(id);
      const entry = model.purposes.find((x) => x.id === id)!;
      const origins = model.origins.filter((o) => o.purpose === id);
      const items = origins.filter((o) => o.kind !== 'aws');
      const logWriters = origins.filter((o) => o.kind === 'aws');
      const stores = [
        ...new Set([...origins.flatMap((o) => flowsOf(o.id).map((t) => t.store)), ...model.disclosures.filter((d) => d.purpose === id).map((d) => d.store)]),
      ].sort() as StoreId[];
      const rows = retentionByCategory(model, id);
      return {
        purpose: id,
        title: p.title,
        description: p.description,
        lawfulBasis: p.lawfulBasis,
        lawfulBasisArticle: entry.article,
        required: p.required,
        objectable: p.objectable ?? false,
        policy: { version: p.policy.version, sha256: policyHash(id) },
        dataSubjects: [
          'App users: people who registered or are signing up',
          ...(items.some(involvesAdministrators) ? ['Administrators: their own accounts, and as actors recorded in the audit trail'] : []),
        ],
        // From the rows below, so the header cannot name a category no row holds, or miss one a row does.
        categoriesOfPersonalData: [...new Set(rows.map((row) => row.category))].sort(),
        recipients: entry.recipients.map((r) => recipientEntry(model, r as RecipientId, id)),
        processors: [{ name: 'Amazon Web Services (AWS)', role: 'processor (hosting)', services: awsServices(items, stores) }],
        retention: p.retention,
        retentionByCategory: rows,
        consentValidDays: p.consentValidDays ?? null,
        processedBy: [...items, ...logWriters].map((o) => o.label),
        stores,
      };
    }),
    // Art. 30 covers all processing: what serves every purpose (or none) is listed rather than left out.
    processingWithoutPurpose: model.origins.filter((o) => !o.purpose && flowsOf(o.id).length > 0).map((o) => ({
      by: o.label,
      personalFields: flowsOf(o.id).some((t) => t.categories.length > 0),
      stores: [...new Set(flowsOf(o.id).map((t) => t.store))].sort(),
    })),
  };
}


const KEY_NAMES: Record<string, string> = {
  dataKey: 'the data key',
  queueKey: 'the queue key',
  logsKey: 'the logs key',
  trailKey: 'the trail key',
};

/** Encryption at rest of every store, from the inventory: one line per customer-managed key, and SSE-S3 with the reason. */
export function encryptionAtRest(): string[] {
  const byKey = new Map<string, string[]>();
  const exceptions: string[] = [];
  for (const store of Object.keys(inventory) as StoreId[]) {
    const encryption: StoreDeclaration['encryption'] = inventory[store].encryption;
    if (encryption.key === 'SSE-S3') {
      exceptions.push(`Encrypted with SSE-S3 (keys managed by S3), not a customer-managed key: ${store}, because ${encryption.why}.`);
      continue;
    }
    byKey.set(encryption.key, [...(byKey.get(encryption.key) ?? []), encryption.note ? `${store} — ${encryption.note}` : store]);
  }
  const keyed = [...byKey].map(([key, stores]) => `Encrypted with ${KEY_NAMES[key] ?? key} (customer-managed KMS key, rotated yearly): ${stores.join('; ')}.`);
  return [...keyed, ...exceptions];
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** Where IP addresses are stored, for how long and why; and where they are processed without being stored. */
export function ipAddresses(): string[] {
  const networkFields = (store: StoreId) =>
    Object.entries(inventory[store].fields as Readonly<Record<string, FieldDeclaration>>).filter(
      ([, f]) => f.personal && f.category === 'network-identifier',
    );
  const ipStores = (Object.keys(inventory) as StoreId[]).filter((store) => networkFields(store).length > 0);
  const stored = ipStores.map((store) => {
    const writer = awsWriterOf(store);
    const fields = networkFields(store).map(([name, f]) => `\`${name}\`, ${lowerFirst(f.description.replace(/\.$/, ''))}`);
    return (
      `IP addresses are stored in ${store}${writer ? `, written by ${writer.service} for “${purposeOf(writer.purpose).title}” (\`${writer.purpose}\`)` : ''}: ${fields.join('; ')}. ` +
      `Kept: ${lowerFirst(inventory[store].retention.replace(/\.$/, ''))}. At erasure: ${lowerFirst(ERASURE_PLAN[store].why)}`
    );
  });
  const backendHoldsIps = ipStores.some((store) => awsWriterOf(store) === undefined);
  return [
    ...stored,
    ...(backendHoldsIps ? [] : ['No table, bucket or queue the backend’s own code writes stores an IP address.']),
    ...TRANSIENT_IP_PROCESSING,
  ];
}

/** The README block between these markers states encryption at rest and where IP addresses are stored, from the inventory. */
export const README_STORAGE_MARKERS = { start: '<!-- storage:start -->', end: '<!-- storage:end -->' } as const;

export function readmeStorageEmbed(): string {
  return [
    README_STORAGE_MARKERS.start,
    '<!-- generated by `npm run ropa` from lambdas/inventory.ts; do not edit by hand (a test fails when it is stale) -->',
    '',
    '**Encryption at rest.**',
    '',
    ...encryptionAtRest().map((line) => `- ${line}`),
    '',
    '**IP addresses.**',
    '',
    ...ipAddresses().map((line) => `- ${line}`),
    '',
    README_STORAGE_MARKERS.end,
  ].join('\n');
}

/** The README with its storage block replaced by a fresh one; throws when the markers are missing or out of order. */
export function withReadmeStorage(readme: string): string {
  return replaceBlock(readme, README_STORAGE_MARKERS, readmeStorageEmbed(), 'encryption and IP addresses');
}

function replaceBlock(readme: string, markers: { start: string; end: string }, block: string, what: string): string {
  const start = readme.indexOf(markers.start);
  const end = readme.indexOf(markers.end);
  if (start < 0 || end < start || readme.indexOf(markers.start, start + 1) >= 0) {
    throw new Error(`README.md needs exactly one ${markers.start} … ${markers.end} block for ${what}`);
  }
  return readme.slice(0, start) + block + readme.slice(end + markers.end.length);
}

function encryptedFields(): string[] {
  return (Object.keys(inventory) as StoreId[]).flatMap((store) =>
    Object.entries(inventory[store].fields as Readonly<Record<string, { encrypted?: boolean }>>)
      .filter(([, f]) => f.encrypted)
      .map(([name]) => `${store}.${name}`),
  );
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function ropaMarkdown(): string {
  const r = ropa();
  const c = r.controller;
  const lines = [
    '# Record of processing activities (GDPR Art. 30)',
    '',
    'Generated by `npm run ropa` (or `npm run datadocs`) from the purpose catalogue, the inventory, the erasure plan, the route',
    'table and the schedules. Do not edit by hand: a test fails when this file is stale. The controller’s details are set in',
    '`CONTROLLER` in `lambdas/data-docs.ts`.',
    '',
    '## Controller',
    '',
    `- Name: ${c.name}`,
    `- Address: ${c.address}`,
    `- Contact: ${c.contact}`,
    `- Representative: ${c.representative}`,
    `- Data-protection officer: ${c.dataProtectionOfficer}`,
    '',
    `**Transfers to third countries:** ${r.thirdCountryTransfers}`,
    '',
    ...r.transfersByRecipients.map((t) => `- ${t.name} (\`${t.recipient}\`): ${t.transfer}`),
    ...(r.transfersByRecipients.length > 0 ? [''] : []),
    '**Security measures (Art. 32):**',
    '',
    ...r.securityMeasures.map((m) => `- ${m}`),
    '',
  ];
  for (const a of r.activities) {
    lines.push(
      `## ${a.title} (\`${a.purpose}\`)`,
      '',
      a.description,
      '',
      `- Lawful basis: ${a.lawfulBasis}, ${a.lawfulBasisArticle}${a.required ? ' (required for the service)' : ' (optional)'}${a.objectable ? '; the subject may object (Art. 21)' : ''}`,
      `- Policy: version ${a.policy.version}, SHA-256 \`${a.policy.sha256}\``,
      `- Data subjects: ${a.dataSubjects.join('; ')}`,
      `- Categories of personal data: ${a.categoriesOfPersonalData.join(', ') || 'none yet (nothing processes personal data for this purpose)'}`,
      `- Recipients: ${a.recipients.map((x) => x.name).join('; ') || 'none beyond the processors'}`,
      ...a.recipients.map(
        (x) =>
          `  - ${x.name} (\`${x.id}\`, ${x.kind}, told by ${x.delivery}, answers within ${x.answerWithinDays} days): ` +
          `receives ${x.categories.join(', ')}; transfer: ${x.transfer}`,
      ),
      `- Processors: ${a.processors.map((x) => `${x.name}, ${x.role}: ${x.services.join(', ') || 'nothing processed for this purpose yet'}`).join('; ')}`,
      `- Retention: ${a.retention}${a.consentValidDays ? ` Consent lapses after ${a.consentValidDays} days.` : ''}`,
      `- Processed by: ${a.processedBy.join('; ') || 'no route or worker yet'}`,
      `- Stores: ${a.stores.join(', ') || '—'}`,
      '',
    );
    if (a.retentionByCategory.length > 0) {
      lines.push('| category | store | fields | retention | at erasure |', '| --- | --- | --- | --- | --- |');
      for (const row of a.retentionByCategory) {
        lines.push(`| ${row.category} | ${row.store} | ${row.fields.join(', ')} | ${cell(row.retention)} | ${row.atErasure} |`);
      }
      lines.push('');
    }
  }
  lines.push('## Processing that serves every purpose', '');
  for (const p of r.processingWithoutPurpose) {
    lines.push(`- ${p.by}: ${p.stores.join(', ')}${p.personalFields ? '' : ' (no personal fields)'}`);
  }
  lines.push('');
  return lines.join('\n');
}
