/**
 * The data map as a graph: who calls what, which routes, workers and scheduled jobs touch which stores with which data
 * categories, what leaves as exports, and which recipients and processors receive data for which purpose. Built once from the
 * route table, the schedules, the inventory, the erasure plan and the purpose catalogue; the Mermaid flowchart (here) and
 * the offline HTML page (`scripts/data-map-html.ts`) are two renderings of this one graph, so they cannot disagree.
 *
 * Pure data, deterministic: nodes and edges come out in table order, so the generated files only change when a table does.
 */
import { ERASURE_PLAN } from './erasure-plan';
import { APP_STORE_IDS, AWS_LOG_STORE_IDS, awsWriterOf, categoriesOfField, inventory, type AppStoreId, type StoreId } from './inventory';
import type { PurposeId } from './purposes';
import { RECIPIENT_IDS, categoriesOfRef, categoriesReceived, parseDataRef, recipientOf, type DataRef, type RecipientId } from './recipients';
import {
  authorizerFunction,
  createAdminCommand,
  NEW_CHAIN_AUDIT_WRITE,
  routes,
  touches,
  withAudit,
  workers,
  type CryptoUse,
  type DataAccess,
  type DataTouch,
  type RouteAuth,
  type WorkerDefinition,
} from './routes';
import { schedules } from './schedules';

export type DataMapNodeKind = 'actor' | 'route' | 'function' | 'command' | 'store' | 'log' | 'worker' | 'job' | 'export' | 'recipient';

/** Columns of the map, left to right; each node belongs to one. */
export const DATA_MAP_GROUPS = [
  { id: 'callers', title: 'Callers' },
  { id: 'api', title: 'API routes' },
  { id: 'ops', title: 'Ops commands' },
  { id: 'stores', title: 'Stores of personal data (AWS, processor)' },
  { id: 'processing', title: 'Workers and scheduled jobs' },
  { id: 'exports', title: 'Exports' },
  { id: 'logs', title: 'Logs written by AWS services' },
  { id: 'recipients', title: 'Recipients and processors' },
] as const;
export type DataMapGroupId = (typeof DATA_MAP_GROUPS)[number]['id'];

export interface DataMapNode {
  /** Unique, and a valid Mermaid and XML id: letters, digits and underscores. */
  readonly id: string;
  readonly kind: DataMapNodeKind;
  readonly group: DataMapGroupId;
  readonly title: string;
  /** Second line, smaller: store kind and erasure action, a job's schedule, a route's purpose. */
  readonly detail?: string;
}

/**
 * `call`: a caller invokes a route; `data`: a route, worker or job touches a store (label: access letters and categories);
 * `download`: a presigned download of an export; `disclosure`: data reaching a recipient for a purpose.
 */
export type DataMapEdgeKind = 'call' | 'data' | 'download' | 'disclosure';

export interface DataMapEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: DataMapEdgeKind;
  readonly label?: string;
}

export interface DataMapGraph {
  readonly nodes: readonly DataMapNode[];
  readonly edges: readonly DataMapEdge[];
}

/** A declaration that processes personal data: a route, the authorizer, an ops command, a worker or a scheduled job. */
export interface Processor {
  /** The declaration's own id: a route's, worker's or job's id, `authorizer`, `createAdmin`. */
  readonly id: string;
  readonly nodeId: string;
  readonly kind: 'route' | 'function' | 'command' | 'worker' | 'job';
  /** How people read it: `GET /v1/me`, `worker rightsRequestWorker`, `job retention (rate(1 day))`. */
  readonly label: string;
  readonly personalData: readonly DataTouch[];
  readonly purpose?: PurposeId;
  readonly callers: readonly CallerId[];
  readonly crypto: readonly CryptoUse[];
  /** The queue a worker consumes. */
  readonly consumes?: AppStoreId;
}

/**
 * The audit-trail write `withAudit` gives every declaration that touches personal data (the worker names it too; registration
 * declares its write-only twin, `NEW_CHAIN_AUDIT_WRITE`), found by
 * identity, so a route that reads the trail itself, like `GET /v1/me/audit`, still shows that read. Said once in the legend
 * instead of drawn from every node.
 */
const AUTOMATIC_AUDIT_WRITE = withAudit({ personalData: [touches('users', ['read'], ['subjectId'])] }).personalData.at(-1)!;

/** Whether a touch is the audit-trail write every declaration touching personal data gets (see `AUTOMATIC_AUDIT_WRITE`). */
export const isAutomaticAuditWrite = (touch: DataTouch) => touch === AUTOMATIC_AUDIT_WRITE || touch === NEW_CHAIN_AUDIT_WRITE;

/** The inventory store a worker consumes: the rights-request queue, or the recipients' queues (a webhook dispatcher). */
export const consumedStore = (worker: Pick<WorkerDefinition, 'queue'>): AppStoreId =>
  worker.queue === 'rightsRequestQueue' ? worker.queue : 'recipientEvents';

export const routeNodeId = (id: string) => `r_${safe(id)}`;
export const storeNodeId = (id: string) => `s_${safe(id)}`;
export const workerNodeId = (id: string) => `w_${safe(id)}`;
export const jobNodeId = (id: string) => `j_${safe(id)}`;
export const recipientNodeId = (id: RecipientId) => `p_${safe(id)}`;
const functionNodeId = (id: string) => `f_${safe(id)}`;

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** Every declaration that processes personal data, in table order: routes, the authorizer, ops commands, workers, jobs. */
export function processors(): Processor[] {
  return [
    ...routes.map((r) => ({
      id: r.id, nodeId: routeNodeId(r.id), kind: 'route' as const, label: `${r.method} ${r.path}`, personalData: r.personalData, purpose: r.purpose,
      callers: [callerOf(r.auth)], crypto: r.crypto ?? [],
    })),
    {
      id: authorizerFunction.id, nodeId: functionNodeId(authorizerFunction.id), kind: 'function' as const, label: 'API authorizer', personalData: authorizerFunction.personalData,
      // every authenticated call, a subject's or an administrator's, passes the authorizer first
      callers: ['client', 'admin'], crypto: [],
    },
    {
      id: createAdminCommand.id, nodeId: functionNodeId(createAdminCommand.id), kind: 'command' as const, label: 'ops command admin create', personalData: createAdminCommand.personalData,
      purpose: createAdminCommand.purpose, callers: ['operator'], crypto: createAdminCommand.crypto,
    },
    ...workers.map((w) => ({
      id: w.id, nodeId: workerNodeId(w.id), kind: 'worker' as const, label: `worker ${w.id}`, personalData: w.personalData, purpose: w.purpose,
      callers: [], crypto: w.crypto ?? [], consumes: consumedStore(w),
    })),
    ...schedules.map((j) => ({
      id: j.id, nodeId: jobNodeId(j.id), kind: 'job' as const, label: `job ${j.id} (${j.schedule})`, personalData: j.personalData, purpose: j.purpose,
      callers: [], crypto: j.crypto ?? [],
    })),
  ];
}

/** Data categories of the personal fields a set of touches of one store names (the profile counts as each it holds), sorted. */
export function personalCategories(store: StoreId, fields: readonly string[]): string[] {
  const declared = inventory[store].fields as Readonly<Record<string, { category: string; personal: boolean }>>;
  return [...new Set(fields.filter((f) => declared[f]?.personal).flatMap((f) => categoriesOfField(store, f)))].sort();
}

/** The personal fields of a store, by name. */
export function personalFieldsOf(store: StoreId): string[] {
  return Object.entries(inventory[store].fields as Readonly<Record<string, { personal: boolean }>>)
    .filter(([, f]) => f.personal)
    .map(([name]) => name);
}

/**
 * Where each log store's records come from, as edges: S3 logs the requests to the buckets it serves, CloudTrail the calls
 * on every table with personal fields (one edge from the trail's node stands for them), API Gateway every API request.
 */
const LOG_SOURCES: Readonly<Record<(typeof AWS_LOG_STORE_IDS)[number], readonly string[]>> = {
  accessLogs: [storeNodeId('exports'), storeNodeId('trailBucket')],
  trailBucket: [],
  trailLogGroup: [storeNodeId('trailBucket')],
  apiAccessLogs: ['client', 'admin'],
};

/**
 * The categories of personal data each purpose processes: its routes', workers' and jobs' touches, the AWS logs kept for it,
 * and what its recipients receive for it.
 */
export function purposeCategories(purpose: PurposeId, all: readonly Processor[] = processors()): string[] {
  const categories = new Set<string>();
  for (const p of all.filter((o) => o.purpose === purpose)) {
    for (const touch of p.personalData) personalCategories(touch.store, touch.fields as readonly string[]).forEach((c) => categories.add(c));
  }
  for (const store of AWS_LOG_STORE_IDS) {
    if (awsWriterOf(store)?.purpose === purpose) personalCategories(store, personalFieldsOf(store)).forEach((c) => categories.add(c));
  }
  for (const recipient of RECIPIENT_IDS) categoriesReceived(recipient, purpose).forEach((c) => categories.add(c));
  return [...categories].sort();
}

/** One processor's touches merged per store (the consent gate's read and a route's own consent touch become one edge). */
function touchesByStore(touches: readonly DataTouch[]): Map<StoreId, { access: Set<DataAccess>; fields: Set<string> }> {
  const merged = new Map<StoreId, { access: Set<DataAccess>; fields: Set<string> }>();
  for (const touch of touches) {
    if (isAutomaticAuditWrite(touch)) continue;
    const entry = merged.get(touch.store) ?? { access: new Set<DataAccess>(), fields: new Set<string>() };
    touch.access.forEach((a) => entry.access.add(a));
    (touch.fields as readonly string[]).forEach((f) => entry.fields.add(f));
    merged.set(touch.store, entry);
  }
  return merged;
}

const ACCESS_LETTERS: ReadonlyArray<[DataAccess, string]> = [['read', 'r'], ['write', 'w'], ['delete', 'd']];

function dataLabel(store: StoreId, access: ReadonlySet<DataAccess>, fields: ReadonlySet<string>): string {
  const letters = ACCESS_LETTERS.filter(([a]) => access.has(a)).map(([, l]) => l).join('');
  const categories = personalCategories(store, [...fields]);
  return `${letters}: ${categories.join(', ') || 'no personal fields'}`;
}

/** The backend's buckets hold files handed out (exports and access reports): they form the exports column. */
const isExportStore = (store: StoreId) => inventory[store].kind === 'bucket' && awsWriterOf(store) === undefined;

export type CallerId = 'client' | 'admin' | 'operator';
const CALLER_NODES: Record<CallerId, DataMapNode> = {
  client: { id: 'client', kind: 'actor', group: 'callers', title: 'App clients', detail: 'data subjects, signed up or not' },
  admin: { id: 'admin', kind: 'actor', group: 'callers', title: 'Administrators', detail: 'admin role' },
  operator: { id: 'operator', kind: 'actor', group: 'callers', title: 'Operators', detail: 'ops CLI with AWS credentials' },
};
function callerOf(auth: RouteAuth): CallerId {
  return auth === 'admin' ? 'admin' : 'client';
}

/** Builds the data map from the tables. */
export function buildDataMap(): DataMapGraph {
  const all = processors();
  const nodes: DataMapNode[] = [];
  const edges: DataMapEdge[] = [];
  const usedCallers = new Set(all.flatMap((p) => p.callers));
  for (const caller of ['client', 'admin', 'operator'] as const) if (usedCallers.has(caller)) nodes.push(CALLER_NODES[caller]);

  for (const route of routes) {
    nodes.push({
      id: routeNodeId(route.id),
      kind: 'route',
      group: 'api',
      title: `${route.method} ${route.path}`,
      detail: `${route.id}; ${route.purpose ? `purpose: ${route.purpose}` : route.personalData.length > 0 ? 'no purpose declared' : 'no personal data'}`,
    });
  }
  nodes.push({ id: functionNodeId(authorizerFunction.id), kind: 'function', group: 'api', title: 'API authorizer', detail: 'every authenticated route' });
  nodes.push({ id: functionNodeId(createAdminCommand.id), kind: 'command', group: 'ops', title: 'admin create', detail: `${createAdminCommand.id}; purpose: ${createAdminCommand.purpose}` });
  for (const id of APP_STORE_IDS) {
    const store = inventory[id];
    nodes.push({
      id: storeNodeId(id),
      kind: isExportStore(id) ? 'export' : 'store',
      group: isExportStore(id) ? 'exports' : 'stores',
      title: id,
      detail: `${store.kind}; at erasure: ${ERASURE_PLAN[id].action}`,
    });
  }
  for (const id of AWS_LOG_STORE_IDS) {
    nodes.push({
      id: storeNodeId(id),
      kind: 'log',
      group: 'logs',
      title: id,
      detail: `${inventory[id].kind} written by ${awsWriterOf(id)!.service}, recording ${awsWriterOf(id)!.records}; at erasure: ${ERASURE_PLAN[id].action}`,
    });
  }
  for (const worker of workers) {
    nodes.push({ id: workerNodeId(worker.id), kind: 'worker', group: 'processing', title: worker.id, detail: `worker on ${worker.queue}` });
  }
  for (const job of schedules) {
    nodes.push({ id: jobNodeId(job.id), kind: 'job', group: 'processing', title: job.id, detail: `scheduled job, ${job.schedule}${job.purpose ? `; purpose: ${job.purpose}` : ''}` });
  }

  for (const p of all) {
    for (const caller of p.callers) edges.push({ from: caller, to: p.nodeId, kind: 'call' });
    if (p.consumes) {
      const fields = Object.keys(inventory[p.consumes].fields);
      edges.push({ from: storeNodeId(p.consumes), to: p.nodeId, kind: 'data', label: `consumes: ${fields.join(', ')}` });
    }
    for (const [store, { access, fields }] of touchesByStore(p.personalData)) {
      const label = dataLabel(store, access, fields);
      // Edges run left to right with the flow: routes reach into stores; stores feed workers and jobs, which write exports.
      const intoStore = p.kind === 'route' || p.kind === 'function' || p.kind === 'command' || isExportStore(store);
      edges.push(intoStore ? { from: p.nodeId, to: storeNodeId(store), kind: 'data', label } : { from: storeNodeId(store), to: p.nodeId, kind: 'data', label });
    }
  }

  // Logs AWS services write: an edge from what they record, labelled with the categories of their personal fields.
  for (const id of AWS_LOG_STORE_IDS) {
    const categories = personalCategories(id, personalFieldsOf(id));
    const label = `${awsWriterOf(id)!.service}: ${categories.join(', ') || 'no personal fields'}`;
    for (const from of LOG_SOURCES[id].filter((n) => nodes.some((m) => m.id === n))) {
      edges.push({ from, to: storeNodeId(id), kind: 'data', label });
    }
  }

  // A route that reads an export bucket hands its caller a presigned link: the file goes from the bucket to the caller.
  const downloads = new Map<string, Set<string>>();
  for (const p of all.filter((p) => p.kind === 'route')) {
    for (const touch of p.personalData) {
      if (!isExportStore(touch.store) || !touch.access.includes('read')) continue;
      const key = `${storeNodeId(touch.store)}>${p.callers[0]}`;
      const categories = downloads.get(key) ?? new Set<string>();
      personalCategories(touch.store, touch.fields as readonly string[]).forEach((c) => categories.add(c));
      downloads.set(key, categories);
    }
  }
  for (const [key, categories] of downloads) {
    const [from, to] = key.split('>');
    edges.push({ from, to, kind: 'download', label: `presigned download: ${[...categories].sort().join(', ')}` });
  }

  // Recipients: each declared recipient receives the fields it names, per purpose, from the stores that hold them.
  const disclosures = new Map<string, string[]>();
  for (const id of RECIPIENT_IDS) {
    const declared = recipientOf(id);
    nodes.push({ id: recipientNodeId(id), kind: 'recipient', group: 'recipients', title: declared.name, detail: `${declared.kind}, by ${declared.delivery.kind}` });
    for (const { purpose, data } of declared.receives) {
      const perStore = new Map<StoreId, DataRef[]>();
      for (const ref of data) perStore.set(parseDataRef(ref).store, [...(perStore.get(parseDataRef(ref).store) ?? []), ref]);
      for (const [store, refs] of [...perStore].sort(([a], [b]) => a.localeCompare(b))) {
        const categories = [...new Set(refs.flatMap(categoriesOfRef))].sort();
        const key = `${storeNodeId(store)}>${recipientNodeId(id)}`;
        disclosures.set(key, [...(disclosures.get(key) ?? []), `${purpose}: ${categories.join(', ')}`]);
      }
    }
  }
  for (const [key, labels] of disclosures) {
    const [from, to] = key.split('>');
    edges.push({ from, to, kind: 'disclosure', label: labels.join('; ') });
  }
  return { nodes, edges };
}

/** Words for the legend of both renderings. */
export const DATA_MAP_LEGEND = [
  'Edges run left to right: callers → API routes → stores → workers and scheduled jobs → exports and recipients.',
  'Edge labels: r/w/d = read/write/delete, then the data categories of the personal fields declared for that touch.',
  'Everything that touches personal data also writes the audit trail (pseudonyms and field names, never values); those edges are left out, reads of the trail are drawn.',
  'Dotted edges: data reaching a recipient or processor for a purpose (from the recipient declarations, lambdas/recipients.ts).',
  'Every store is hosted by AWS as processor, in the region the backend is deployed to. Logs written by AWS services (S3 server access logs, CloudTrail, API Gateway access logs) form their own column; each says what it records (the trail: calls on every personal-data table, left undrawn).',
] as const;

/** Fill and stroke per node kind, shared by both renderings so the legend means the same in each. */
export const NODE_STYLES: Record<DataMapNodeKind, { fill: string; stroke: string; name: string }> = {
  actor: { fill: '#eef', stroke: '#557', name: 'caller' },
  route: { fill: '#f4f8ff', stroke: '#4a6fa5', name: 'API route' },
  function: { fill: '#f4f8ff', stroke: '#4a6fa5', name: 'API function' },
  command: { fill: '#f6f0ff', stroke: '#74a', name: 'ops command' },
  store: { fill: '#fff8e6', stroke: '#b8860b', name: 'store' },
  log: { fill: '#f3f3ea', stroke: '#8a7f4a', name: 'log written by AWS' },
  worker: { fill: '#eefaf0', stroke: '#3a7d44', name: 'worker' },
  job: { fill: '#eefaf0', stroke: '#3a7d44', name: 'scheduled job' },
  export: { fill: '#fdeef0', stroke: '#b03a48', name: 'export files' },
  recipient: { fill: '#f2f2f2', stroke: '#666', name: 'recipient or processor' },
};

const MERMAID_SHAPES: Record<DataMapNodeKind, [string, string]> = {
  actor: ['([', '])'],
  route: ['[', ']'],
  function: ['[[', ']]'],
  command: ['[/', '/]'],
  store: ['[(', ')]'],
  log: ['[(', ')]'],
  worker: ['{{', '}}'],
  job: ['{{', '}}'],
  export: ['[(', ')]'],
  recipient: ['>', ']'],
};

/** Mermaid escapes: a double quote ends the label, `#` starts an entity code. */
const mermaidText = (text: string) => text.replace(/#/g, '#35;').replace(/"/g, '#quot;');

/** The Mermaid rendering: one subgraph per column, node shapes by kind, edge labels as in the model. */
export function dataMapMermaid(graph: DataMapGraph = buildDataMap()): string {
  const lines = ['flowchart LR'];
  const node = (n: DataMapNode) => {
    const [open, close] = MERMAID_SHAPES[n.kind];
    const text = n.detail ? `${mermaidText(n.title)}<br/><i>${mermaidText(n.detail)}</i>` : mermaidText(n.title);
    return `${n.id}${open}"${text}"${close}:::${n.kind}`;
  };
  for (const group of DATA_MAP_GROUPS) {
    const members = graph.nodes.filter((n) => n.group === group.id);
    if (members.length === 0) continue;
    lines.push(`  subgraph ${group.id}["${mermaidText(group.title)}"]`);
    for (const n of members) lines.push(`    ${node(n)}`);
    lines.push('  end');
  }
  for (const e of graph.edges) {
    const label = e.label ? mermaidText(e.label) : undefined;
    if (e.kind === 'disclosure') lines.push(`  ${e.from} -. "${label}" .-> ${e.to}`);
    else if (e.kind === 'download') lines.push(`  ${e.from} == "${label}" ==> ${e.to}`);
    else lines.push(label ? `  ${e.from} -- "${label}" --> ${e.to}` : `  ${e.from} --> ${e.to}`);
  }
  for (const [kind, style] of Object.entries(NODE_STYLES)) lines.push(`  classDef ${kind} fill:${style.fill},stroke:${style.stroke}`);
  return lines.join('\n');
}
