/**
 * The offline rendering of the data map: `docs/data-map.html`, one self-contained page with the graph laid out here, at
 * generation time, by dagre and written as inline SVG. The page needs no script, no font and no network, so a regulator can
 * open it from a mail attachment. Same graph as the Mermaid flowchart (`buildDataMap` in `lambdas/data-map.ts`).
 *
 * Deterministic: dagre has no randomness and coordinates are rounded, so the freshness test compares byte for byte.
 */
import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import {
  DATA_MAP_GROUPS,
  DATA_MAP_LEGEND,
  NODE_STYLES,
  buildDataMap,
  type DataMapEdge,
  type DataMapGraph,
  type DataMapNode,
  type DataMapNodeKind,
} from '../lambdas/data-map';

const FONT = 'Helvetica, Arial, sans-serif';
const TITLE_SIZE = 12;
const DETAIL_SIZE = 10;
const LABEL_SIZE = 10;
const GROUP_TITLE_SIZE = 13;
/** Average advance of a glyph in em for the fonts above; a little generous so text never overflows its box. */
const EM_ADVANCE = 0.6;
const textWidth = (text: string, size: number) => Math.ceil(text.length * size * EM_ADVANCE);

interface NodeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutDataMap {
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyArray<DataMapNode & NodeBox>;
  /** Column boxes; `titleBox` is where the title goes, on a white ground: a spot clear of every node and edge label. */
  readonly groups: ReadonlyArray<{ id: string; title: string; titleBox: NodeBox } & NodeBox>;
  readonly edges: ReadonlyArray<DataMapEdge & { points: { x: number; y: number }[]; labelAt?: { x: number; y: number } }>;
}

/** Rounds to one decimal so the output is stable and small. */
const r = (n: number) => Math.round(n * 10) / 10;

/** Lays the graph out left to right with dagre; columns are compound clusters, one per group. */
export function layoutDataMap(graph: DataMapGraph = buildDataMap()): LaidOutDataMap {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 80, edgesep: 8, marginx: 24, marginy: 40 });
  const groups = DATA_MAP_GROUPS.filter((group) => graph.nodes.some((n) => n.group === group.id));
  for (const group of groups) g.setNode(`group_${group.id}`, { width: 0, height: 0 });
  for (const node of graph.nodes) {
    const width = Math.max(textWidth(node.title, TITLE_SIZE), node.detail ? textWidth(node.detail, DETAIL_SIZE) : 0) + 24;
    g.setNode(node.id, { width, height: node.detail ? 40 : 28 });
    g.setParent(node.id, `group_${node.group}`);
  }
  // A download runs from the exports back to a caller, against the flow; laid out forwards and drawn reversed, so dagre does
  // not break the cycle at an arbitrary edge and drag callers to the middle of the page.
  const reversed = (edge: DataMapEdge) => edge.kind === 'download';
  graph.edges.forEach((edge, i) => {
    g.setEdge(
      reversed(edge) ? edge.to : edge.from,
      reversed(edge) ? edge.from : edge.to,
      {
        // recipients sit right of the workers, not beside them
        minlen: edge.kind === 'disclosure' ? 2 : 1,
        ...(edge.label ? { width: textWidth(edge.label, LABEL_SIZE) + 8, height: LABEL_SIZE + 6, labelpos: 'c' } : {}),
      },
      `e${i}`,
    );
  });
  dagre.layout(g);

  const box = (id: string): NodeBox => {
    const n = g.node(id);
    return { x: r(n.x! - n.width / 2), y: r(n.y! - n.height / 2), width: r(n.width), height: r(n.height) };
  };
  const edges = graph.edges.map((edge, i) => {
    const e = reversed(edge) ? g.edge({ v: edge.to, w: edge.from, name: `e${i}` }) : g.edge({ v: edge.from, w: edge.to, name: `e${i}` });
    const points = (e.points ?? []).map((p) => ({ x: r(p.x), y: r(p.y) }));
    return {
      ...edge,
      points: reversed(edge) ? points.reverse() : points,
      ...(edge.label && e.x !== undefined && e.y !== undefined ? { labelAt: { x: r(e.x), y: r(e.y) } } : {}),
    };
  });
  const nodes = graph.nodes.map((node) => ({ ...node, ...box(node.id) }));
  // dagre leaves clusters no room for a title, and a column stacked under another has only a narrow gap above it: try
  // above, then below, left then right, and take the first spot that hides no node and no edge label
  const obstacles: NodeBox[] = [...nodes, ...edges.filter((e) => e.labelAt).map((e) => edgeLabelBox(e.label!, e.labelAt!))];
  const clear = (b: NodeBox) => !obstacles.some((o) => b.x < o.x + o.width && o.x < b.x + b.width && b.y < o.y + o.height && o.y < b.y + b.height);
  const height = Math.ceil(g.graph().height ?? 0);
  const groupBoxes = groups.map((group) => {
    const area = box(`group_${group.id}`);
    const width = textWidth(group.title, GROUP_TITLE_SIZE) + 6;
    const candidates = [area.y - 21, area.y + area.height + 2]
      .filter((y) => y >= 0 && y + 17 <= height)
      .flatMap((y) => [area.x, r(area.x + area.width - width)].map((x) => ({ x, y: r(y), width, height: 17 })));
    return { id: group.id, title: group.title, ...area, titleBox: candidates.find(clear) ?? candidates[0] ?? { x: area.x, y: area.y, width, height: 17 } };
  });
  return { width: Math.ceil(g.graph().width ?? 0), height, nodes, groups: groupBoxes, edges };
}

/** The white ground under an edge label, centred on dagre's label position. */
export function edgeLabelBox(label: string, at: { x: number; y: number }): NodeBox {
  const width = textWidth(label, LABEL_SIZE) + 8;
  return { x: r(at.x - width / 2), y: r(at.y - 8), width, height: 16 };
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A smooth path through dagre's points: straight to the first midpoint, then quadratic curves through each bend. */
function pathOf(points: readonly { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const parts = [`M${points[0].x},${points[0].y}`];
  for (let i = 1; i < points.length - 1; i++) {
    const next = points[i + 1];
    const mid = i + 1 === points.length - 1 ? next : { x: r((points[i].x + next.x) / 2), y: r((points[i].y + next.y) / 2) };
    parts.push(`Q${points[i].x},${points[i].y} ${mid.x},${mid.y}`);
  }
  if (points.length === 2) parts.push(`L${points[1].x},${points[1].y}`);
  return parts.join(' ');
}

function shapeOf(kind: DataMapNodeKind, b: NodeBox, style: string): string {
  const { x, y, width: w, height: h } = b;
  switch (kind) {
    case 'actor':
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${r(h / 2)}" ${style}/>`;
    case 'store':
    case 'log':
    case 'export': {
      // a cylinder: the body, then the top rim drawn over it
      const ry = 5;
      return (
        `<path d="M${x},${r(y + ry)} v${r(h - 2 * ry)} a${r(w / 2)},${ry} 0 0 0 ${w},0 v${r(-(h - 2 * ry))}" ${style}/>` +
        `<ellipse cx="${r(x + w / 2)}" cy="${r(y + ry)}" rx="${r(w / 2)}" ry="${ry}" ${style}/>`
      );
    }
    case 'worker':
    case 'job': {
      const d = 10;
      const pts = [[x + d, y], [x + w - d, y], [x + w, y + h / 2], [x + w - d, y + h], [x + d, y + h], [x, y + h / 2]];
      return `<polygon points="${pts.map(([px, py]) => `${r(px)},${r(py)}`).join(' ')}" ${style}/>`;
    }
    case 'recipient':
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" ${style} stroke-dasharray="4 2"/>`;
    case 'command':
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="2" ${style}/>`;
    default:
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3" ${style}/>`;
  }
}

const EDGE_STYLES: Record<DataMapEdge['kind'], string> = {
  call: 'stroke="#8a8fa8" stroke-width="1"',
  data: 'stroke="#556" stroke-width="1.2"',
  download: 'stroke="#b03a48" stroke-width="2"',
  disclosure: 'stroke="#666" stroke-width="1.2" stroke-dasharray="5 4"',
};

/** The inline SVG: clusters, edges under nodes, labels on top; each node is a `<g class="node" id="…">`. */
export function dataMapSvg(layout: LaidOutDataMap = layoutDataMap()): string {
  const legendTop = layout.height + 8;
  const kinds = Object.keys(NODE_STYLES) as DataMapNodeKind[];
  const legendHeight = 24 + 22 * Math.ceil(kinds.length / 3) + 16 * DATA_MAP_LEGEND.length + 12;
  const width = Math.max(layout.width, 760);
  const height = legendTop + legendHeight;
  const out: string[] = [
    `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="${FONT}" role="img" aria-labelledby="data-map-title">`,
    '<title id="data-map-title">Data map: callers, routes, stores, workers and jobs, exports, recipients</title>',
    '<defs>',
    ...(['call', 'data', 'download', 'disclosure'] as const).map(
      (kind) =>
        `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
        `<path d="M0,0 L10,5 L0,10 z" fill="${kind === 'download' ? '#b03a48' : '#556'}"/></marker>`,
    ),
    '</defs>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
  ];
  for (const group of layout.groups) {
    const t = group.titleBox;
    out.push(
      `<g class="group" id="group_${group.id}"><rect x="${group.x}" y="${group.y}" width="${group.width}" height="${group.height}" rx="6" fill="#fafafa" stroke="#ddd"/>` +
        `<rect x="${t.x}" y="${t.y}" width="${t.width}" height="${t.height}" fill="#fff" fill-opacity="0.85"/>` +
        `<text x="${r(t.x + 3)}" y="${r(t.y + 13)}" font-size="${GROUP_TITLE_SIZE}" font-weight="bold" fill="#444">${xml(group.title)}</text></g>`,
    );
  }
  for (const edge of layout.edges) {
    out.push(`<path class="edge edge-${edge.kind}" data-from="${edge.from}" data-to="${edge.to}" d="${pathOf(edge.points)}" fill="none" ${EDGE_STYLES[edge.kind]} marker-end="url(#arrow-${edge.kind})"/>`);
  }
  for (const node of layout.nodes) {
    const style = NODE_STYLES[node.kind];
    const cx = r(node.x + node.width / 2);
    const titleY = node.detail ? r(node.y + node.height / 2 - 3) : r(node.y + node.height / 2 + 4);
    out.push(
      `<g class="node node-${node.kind}" id="${node.id}">` +
        shapeOf(node.kind, node, `fill="${style.fill}" stroke="${style.stroke}" stroke-width="1.2"`) +
        `<text x="${cx}" y="${titleY}" text-anchor="middle" font-size="${TITLE_SIZE}" fill="#111">${xml(node.title)}</text>` +
        (node.detail ? `<text x="${cx}" y="${r(titleY + 14)}" text-anchor="middle" font-size="${DETAIL_SIZE}" font-style="italic" fill="#555">${xml(node.detail)}</text>` : '') +
        '</g>',
    );
  }
  for (const edge of layout.edges) {
    if (!edge.label || !edge.labelAt) continue;
    const b = edgeLabelBox(edge.label, edge.labelAt);
    out.push(
      `<g class="edge-label"><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="3" fill="#fff" fill-opacity="0.9"/>` +
        `<text x="${edge.labelAt.x}" y="${r(edge.labelAt.y + 3.5)}" text-anchor="middle" font-size="${LABEL_SIZE}" fill="#333">${xml(edge.label)}</text></g>`,
    );
  }
  // the legend: one swatch per node kind, then the reading notes
  out.push(`<g class="legend" transform="translate(24,${legendTop})">`, '<text x="0" y="14" font-size="13" font-weight="bold" fill="#444">Legend</text>');
  kinds.forEach((kind, i) => {
    const x = (i % 3) * 240;
    const y = 24 + Math.floor(i / 3) * 22;
    out.push(
      shapeOf(kind, { x, y, width: 36, height: 16 }, `fill="${NODE_STYLES[kind].fill}" stroke="${NODE_STYLES[kind].stroke}" stroke-width="1.2"`) +
        `<text x="${x + 44}" y="${y + 12}" font-size="11" fill="#333">${xml(NODE_STYLES[kind].name)}</text>`,
    );
  });
  const notesTop = 24 + 22 * Math.ceil(kinds.length / 3) + 8;
  DATA_MAP_LEGEND.forEach((line, i) => out.push(`<text x="0" y="${notesTop + 16 * i}" font-size="11" fill="#333">${xml(line)}</text>`));
  out.push('</g>', '</svg>');
  return out.join('\n');
}

/** The whole page: inline SVG, inline CSS, nothing fetched. */
export function dataMapHtml(): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // nothing may load from anywhere: the page is read offline, and a policy makes any slip visible in the browser
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<title>Forget-Me-Not: data map</title>',
    `<style>body{margin:16px;font-family:${FONT};color:#222}main{overflow:auto}p{max-width:60em}</style>`,
    '</head>',
    '<body>',
    '<h1>Data map</h1>',
    '<p>Generated by <code>npm run datamap</code> from the route table, the schedules, the inventory, the erasure plan and the ' +
      'purpose catalogue. Do not edit by hand. This is the whole graph at once, hard to trace: the readable views (a summary matrix, ' +
      'then one view per purpose, store, category, origin and recipient) are in <code>docs/data-map.md</code>.</p>',
    '<main>',
    dataMapSvg(),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
