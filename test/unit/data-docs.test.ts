import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  README_STORAGE_MARKERS,
  encryptionAtRest,
  ipAddresses,
  readmeStorageEmbed,
  ropa,
  ropaMarkdown,
  withReadmeStorage,
} from '../../lambdas/data-docs';
import {
  buildDataMap,
  dataMapMermaid,
  jobNodeId,
  personalCategories,
  purposeCategories,
  recipientNodeId,
  routeNodeId,
  storeNodeId,
  workerNodeId,
  consumedStore,
} from '../../lambdas/data-map';
import { ERASURE_PLAN } from '../../lambdas/erasure-plan';
import { AWS_LOG_STORE_IDS, awsWriterOf, categoriesOfField, inventory, type StoreId } from '../../lambdas/inventory';
import { PURPOSE_IDS, purposeOf } from '../../lambdas/purposes';
import { categoriesOf } from '../../lambdas/purpose-categories';
import { routes, workers } from '../../lambdas/routes';
import { schedules } from '../../lambdas/schedules';
import { RECIPIENT_IDS, categoriesOfRef, categoriesReceived, parseDataRef, recipientOf, transfersInWords } from '../../lambdas/recipients';
import { DATA_DOCS, README_EMBEDS, ROOT } from '../../scripts/generate-data-docs';
import { edgeLabelBox, layoutDataMap } from '../../scripts/data-map-html';

const committed = (path: string) => readFileSync(join(ROOT, path), 'utf8');

// Laid out once: dagre takes about a second on this graph.
const graph = buildDataMap();
const html = DATA_DOCS['data-map.html']();

describe('generated data-protection documents are fresh', () => {
  it.each(Object.keys(DATA_DOCS))('docs/%s is what the tables generate (run `npm run datadocs`)', (file) => {
    const fresh = file === 'data-map.html' ? html : DATA_DOCS[file]();
    expect(committed(`docs/${file}`)).toBe(fresh);
  });

  it('README.md embeds the current storage statements between their markers and links to the map (run `npm run datadocs`)', () => {
    const readme = committed('README.md');
    expect(readme).toContain(readmeStorageEmbed());
    // the map itself lives in docs/ (a 200-line block buried the deploy section); the README must point there
    expect(readme).toContain('](docs/data-map.md)');
    expect(readme).not.toContain('<!-- datamap:start -->');
    for (const embed of README_EMBEDS) expect(embed.build(readme)).toBe(readme);
  });

  it('replaces a stale storage block and refuses a README without its markers', () => {
    const stale = `before\n${README_STORAGE_MARKERS.start}\n- no IP address is stored anywhere\n${README_STORAGE_MARKERS.end}\nafter\n`;

    expect(withReadmeStorage(stale)).toBe(`before\n${readmeStorageEmbed()}\nafter\n`);
    expect(() => withReadmeStorage('# Title\n')).toThrow(/storage:start/);
  });
});

describe('the data map graph', () => {
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  const edgesBetween = (from: string, to: string) => graph.edges.filter((e) => e.from === from && e.to === to);

  it('has a node for every route, worker, scheduled job and store in the tables, and no duplicate ids', () => {
    expect(nodeIds.size).toBe(graph.nodes.length);
    for (const route of routes) {
      expect(graph.nodes.find((n) => n.id === routeNodeId(route.id))).toMatchObject({ kind: 'route', title: `${route.method} ${route.path}` });
    }
    for (const worker of workers) expect(graph.nodes.find((n) => n.id === workerNodeId(worker.id))).toMatchObject({ kind: 'worker', group: 'processing' });
    for (const job of schedules) {
      expect(graph.nodes.find((n) => n.id === jobNodeId(job.id))).toMatchObject({ kind: 'job', detail: expect.stringContaining(job.schedule) });
    }
    for (const store of Object.keys(inventory) as StoreId[]) {
      expect(graph.nodes.find((n) => n.id === storeNodeId(store))?.detail).toContain(`at erasure: ${ERASURE_PLAN[store].action}`);
    }
  });

  it('connects every edge to existing nodes', () => {
    for (const edge of graph.edges) {
      expect(nodeIds).toContain(edge.from);
      expect(nodeIds).toContain(edge.to);
    }
  });

  it('draws every declared touch of a route with its access and the categories of its personal fields', () => {
    let checked = 0;
    for (const route of routes) {
      const caller = route.auth === 'admin' ? 'admin' : 'client';
      expect(edgesBetween(caller, routeNodeId(route.id))).toHaveLength(1);
      // the audit write every route gets is left out on purpose (see the legend); other stores must all be drawn
      for (const touch of route.personalData.filter((t) => t.store !== 'audit')) {
        const [edge] = edgesBetween(routeNodeId(route.id), storeNodeId(touch.store));
        expect(edge).toBeDefined();
        const [access, categories] = edge.label!.split(': ');
        if (touch.access.includes('read')) expect(access).toContain('r');
        if (touch.access.includes('write')) expect(access).toContain('w');
        if (touch.access.includes('delete')) expect(access).toContain('d');
        for (const category of personalCategories(touch.store, touch.fields as readonly string[])) expect(categories.split(', ')).toContain(category);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(routes.length);
  });

  it('feeds workers and jobs from the stores they touch, and has workers write the export bucket they fill', () => {
    for (const worker of workers) {
      expect(edgesBetween(storeNodeId(consumedStore(worker)), workerNodeId(worker.id))[0]?.label).toMatch(/^consumes: /);
      for (const touch of worker.personalData.filter((t) => t.store !== 'audit')) {
        const into = inventory[touch.store].kind === 'bucket';
        const edges = into ? edgesBetween(workerNodeId(worker.id), storeNodeId(touch.store)) : edgesBetween(storeNodeId(touch.store), workerNodeId(worker.id));
        expect(edges).toHaveLength(1);
      }
    }
    for (const job of schedules) {
      for (const touch of job.personalData.filter((t) => t.store !== 'audit')) {
        expect(edgesBetween(storeNodeId(touch.store), jobNodeId(job.id))).toHaveLength(1);
      }
    }
  });

  it('sends exports to the callers of the routes that read them, and each purpose’s recipients their data', () => {
    for (const route of routes) {
      for (const touch of route.personalData.filter((t) => inventory[t.store].kind === 'bucket' && t.access.includes('read'))) {
        const [download] = edgesBetween(storeNodeId(touch.store), route.auth === 'admin' ? 'admin' : 'client');
        expect(download).toMatchObject({ kind: 'download', label: expect.stringMatching(/^presigned download: /) });
      }
    }
    // every declared recipient is a node, fed from each store it receives fields of, labelled with purpose and categories
    for (const id of RECIPIENT_IDS) {
      const node = graph.nodes.find((n) => n.id === recipientNodeId(id));
      expect(node).toMatchObject({ kind: 'recipient', title: recipientOf(id).name });
      for (const { purpose, data } of recipientOf(id).receives) {
        for (const ref of data) {
          const [edge] = edgesBetween(storeNodeId(parseDataRef(ref).store), recipientNodeId(id));
          expect(edge).toMatchObject({ kind: 'disclosure' });
          expect(edge.label).toContain(`${purpose}: `);
          for (const category of categoriesOfRef(ref)) expect(edge.label).toContain(category);
        }
      }
    }
    expect(graph.nodes.filter((n) => n.kind === 'recipient')).toHaveLength(RECIPIENT_IDS.length);
  });

  it('renders the same graph as Mermaid: every node and every edge', () => {
    const mermaid = dataMapMermaid(graph);
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    for (const node of graph.nodes) expect(mermaid).toMatch(new RegExp(`^\\s+${node.id}[\\[\\(\\{>]`, 'm'));
    const edgeLines = mermaid.split('\n').filter((line) => / (-->|==>|\.->) /.test(line));
    expect(edgeLines).toHaveLength(graph.edges.length);
    for (const edge of graph.edges) expect(edgeLines.some((l) => l.trim().startsWith(`${edge.from} `) && l.trim().endsWith(` ${edge.to}`))).toBe(true);
  });
});

describe('docs/data-map.html', () => {
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + '</svg>'.length);

  it('loads nothing from anywhere: no script, no external reference', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import/i);
    expect(html).not.toMatch(/(?:src|href|xlink:href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//i);
  });

  it('holds one well-formed inline SVG with a group per graph node and a path per edge', () => {
    expect(html.match(/<svg[\s>]/g)).toHaveLength(1);
    const stack: string[] = [];
    for (const [, close, name, , selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>/g)) {
      if (selfClosing) continue;
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name);
    }
    expect(stack).toEqual([]);
    // every `<` in the SVG opens one of the tags matched above: text is escaped
    expect(svg.split('<').length - 1).toBe([...svg.matchAll(/<\/?[a-zA-Z][\w:-]*(?:\s+[\w:-]+="[^"<>]*")*\s*\/?>/g)].length);
    const nodeGroups = [...svg.matchAll(/<g class="node node-(\w+)" id="(\w+)">/g)];
    expect(nodeGroups.map(([, kind, id]) => `${kind}:${id}`).sort()).toEqual(graph.nodes.map((n) => `${n.kind}:${n.id}`).sort());
    expect([...svg.matchAll(/<path class="edge edge-\w+" data-from="(\w+)" data-to="(\w+)" d="M[^"]+"/g)]).toHaveLength(graph.edges.length);
  });

  it('lays the nodes out without overlaps, every edge drawn, inside the picture', () => {
    const layout = layoutDataMap(graph);
    // nodes, edge labels and column titles must not cover one another
    const boxes = [
      ...layout.nodes,
      ...layout.edges.filter((e) => e.labelAt).map((e) => ({ id: `label ${e.from}>${e.to}`, ...edgeLabelBox(e.label!, e.labelAt!) })),
      ...layout.groups.map((g) => ({ id: `title ${g.id}`, ...g.titleBox })),
    ];
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i];
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.y).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
      expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        if (overlap) throw new Error(`${a.id} overlaps ${b.id}`);
      }
    }
    for (const edge of layout.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
    const callers = layout.nodes.filter((n) => n.group === 'callers');
    const stores = layout.nodes.filter((n) => n.group === 'stores');
    // left to right: callers before stores
    expect(Math.max(...callers.map((n) => n.x + n.width))).toBeLessThan(Math.min(...stores.map((n) => n.x)));
  });
});

describe('the record of processing activities (Art. 30)', () => {
  const record = ropa();

  it('has one activity per purpose, with the declared basis, categories and recipients', () => {
    expect(record.activities.map((a) => a.purpose)).toEqual(PURPOSE_IDS);
    for (const activity of record.activities) {
      const purpose = purposeOf(activity.purpose);
      expect(activity).toMatchObject({ lawfulBasis: purpose.lawfulBasis, retention: purpose.retention });
      expect(activity.recipients.map((r) => r.id)).toEqual([...purpose.recipients]);
      for (const r of activity.recipients) {
        expect(r).toMatchObject({ name: recipientOf(r.id).name, kind: recipientOf(r.id).kind, transfer: transfersInWords(r.id) });
        expect(r.categories).toEqual(categoriesReceived(r.id, activity.purpose));
        // what a recipient receives for a purpose is among the categories the activity declares
        for (const c of r.categories) expect(activity.categoriesOfPersonalData).toContain(c);
      }
      expect(activity.lawfulBasisArticle).toMatch(/^Art\. 6\(1\)\([a-f]\)$/);
    }
    expect(record.controller.name).toMatch(/^Fill in/);
  });

  it('names the routes, workers and jobs processing for each purpose, and lists what serves no single purpose', () => {
    for (const activity of record.activities) {
      for (const route of routes.filter((r) => r.purpose === activity.purpose)) expect(activity.processedBy).toContain(`${route.method} ${route.path}`);
      for (const worker of workers.filter((w) => w.purpose === activity.purpose)) expect(activity.processedBy).toContain(`worker ${worker.id}`);
      for (const job of schedules.filter((j) => j.purpose === activity.purpose)) expect(activity.processedBy).toContain(`job ${job.id} (${job.schedule})`);
    }
    for (const job of schedules.filter((j) => !j.purpose)) expect(record.processingWithoutPurpose.map((p) => p.by)).toContain(`job ${job.id} (${job.schedule})`);
    const marketing = record.activities.find((a) => a.purpose === 'marketing-email')!;
    expect(marketing.processedBy).toContain('PUT /v1/me/newsletter');
  });

  it('gives the retention of every category where it is held, and AWS as processor with the services used', () => {
    for (const activity of record.activities) {
      for (const row of activity.retentionByCategory) {
        expect(activity.stores).toContain(row.store);
        expect(row.retention).toBe(inventory[row.store].retention);
        expect(row.atErasure).toBe(ERASURE_PLAN[row.store].action);
        for (const field of row.fields) expect(categoriesOfField(row.store, field)).toContain(row.category);
        expect(personalCategories(row.store, row.fields)).toContain(row.category);
      }
      if (activity.stores.length > 0) {
        const [aws] = activity.processors;
        expect(aws.name).toBe('Amazon Web Services (AWS)');
        if (activity.stores.some((s) => inventory[s].kind === 'table')) expect(aws.services).toContain('Amazon DynamoDB');
        if (activity.stores.some((s) => inventory[s].kind === 'bucket')) expect(aws.services).toContain('Amazon S3');
      }
    }
    const account = record.activities.find((a) => a.purpose === 'account')!;
    expect(account.stores).toEqual(expect.arrayContaining(['users', 'sessions', 'subjectKeys']));
    expect(account.retentionByCategory).toContainEqual(expect.objectContaining({ category: 'credentials', store: 'users', fields: ['passwordHash', 'secondFactor'] }));
  });

  it('lists in each activity\'s header exactly the categories its rows hold, and the API and access report say the same', () => {
    for (const activity of record.activities) {
      const rowCategories = [...new Set(activity.retentionByCategory.map((row) => row.category))].sort();
      expect(activity.categoriesOfPersonalData).toEqual(rowCategories);
      expect(purposeCategories(activity.purpose)).toEqual(rowCategories);
      // what the purposes route and the export read, without bundling the route table
      expect(categoriesOf(activity.purpose)).toEqual(rowCategories);
    }
    // The old headers were hand-written: `account` named identity although no row held it, `transparency` only audit and
    // consent. The profile holds names, so identity is a row now; transparency's export covers the whole account.
    const byPurpose = (id: string) => record.activities.find((a) => a.purpose === id)!;
    expect(byPurpose('account').retentionByCategory).toContainEqual(expect.objectContaining({ category: 'identity', store: 'users', fields: ['profile'] }));
    expect(byPurpose('transparency').categoriesOfPersonalData).toEqual(expect.arrayContaining(['contact', 'credentials', 'request', 'usage']));
    expect(ropaMarkdown()).not.toMatch(/Categories of personal data: $/m);
  });

  it('includes the logs AWS services write, under the purpose they serve, with retention and what erasure does', () => {
    for (const store of AWS_LOG_STORE_IDS) {
      const writer = awsWriterOf(store)!;
      const activity = record.activities.find((a) => a.purpose === writer.purpose)!;
      expect(activity.stores).toContain(store);
      expect(activity.processedBy).toContain(`${writer.service} (${store})`);
      expect(ERASURE_PLAN[store].action).toBe('keep');
      expect(graph.nodes.find((n) => n.id === storeNodeId(store))).toMatchObject({ kind: 'log', group: 'logs' });
    }
    const accountability = record.activities.find((a) => a.purpose === 'accountability')!;
    expect(accountability.retentionByCategory).toContainEqual(expect.objectContaining({ category: 'network-identifier', store: 'accessLogs', fields: ['remoteIp'] }));
    expect(accountability.processors[0].services).toEqual(expect.arrayContaining(['AWS CloudTrail', 'Amazon S3', 'Amazon CloudWatch Logs']));
  });

  it('says in its security section where IP addresses are stored and how each store is encrypted, from the inventory', () => {
    const ipStores = (Object.keys(inventory) as StoreId[]).filter((store) =>
      Object.values(inventory[store].fields as Record<string, { category: string; personal: boolean }>).some((f) => f.personal && f.category === 'network-identifier'),
    );
    expect(ipStores).toEqual(['accessLogs', 'trailBucket', 'trailLogGroup']);
    for (const store of ipStores) {
      expect(record.securityMeasures.some((m) => m.startsWith(`IP addresses are stored in ${store}, `) && m.includes(inventory[store].retention.slice(1, -1)))).toBe(true);
    }
    expect(record.securityMeasures).toEqual(expect.arrayContaining([...encryptionAtRest(), ...ipAddresses()]));
    expect(record.securityMeasures.join('\n')).toContain('Encrypted with SSE-S3 (keys managed by S3), not a customer-managed key: accessLogs,');
    expect(record.securityMeasures.join('\n')).not.toMatch(/DynamoDB, S3, SQS and logs encrypted with customer-managed KMS keys/);
    for (const store of Object.keys(inventory) as StoreId[]) expect(encryptionAtRest().join('\n')).toMatch(new RegExp(`\\b${store}\\b`));
  });
});

describe('README statements', () => {
  it('no longer claims that no IP address is stored anywhere', () => {
    expect(committed('README.md')).not.toMatch(/no IP address is stored anywhere/i);
  });
});
