/**
 * Writes the documents generated from the tables:
 *   `npm run datamap`   docs/data-map.md (the summary matrix), docs/data-map/*.md (the focused views), docs/data-map.json
 *                       (the model the console bundles) and docs/data-map.html (the whole graph, offline SVG)
 *   `npm run ropa`      docs/ropa.md and docs/ropa.json (Art. 30 record of processing activities) and the README's block on
 *                       encryption at rest and IP addresses
 *   `npm run datadocs`  all of them
 * `--check` writes nothing and exits 1 when a committed file is stale (the unit test checks the same).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ropa, ropaMarkdown, withReadmeStorage } from '../lambdas/data-docs';
import { dataMapModel } from '../lambdas/data-map-model';
import { dataMapPages } from '../lambdas/data-map-pages';
import { dataMapHtml } from './data-map-html';
import { auditOriginsJson } from '../ops/breach-scope';

export type DataDocTarget = 'datamap' | 'ropa';

export const ROOT = join(__dirname, '..');

/**
 * The files under docs/, by name, each with the function that builds its fresh content. `fmn datamap` and `fmn ropa`
 * (cli/commands/data-docs.ts) pick from this by name prefix, so a file's name says its target.
 */
export const DATA_DOCS: Readonly<Record<string, () => string>> = {
  ...Object.fromEntries(Object.keys(dataMapPages(dataMapModel())).map((file) => [file, () => dataMapPages(dataMapModel())[file]])),
  'data-map.json': () => JSON.stringify(dataMapModel(), null, 2) + '\n',
  'data-map.html': () => dataMapHtml(),
  'ropa.md': () => ropaMarkdown(),
  'ropa.json': () => JSON.stringify(ropa(), null, 2) + '\n',
  // What each audit origin touches, for the incident scope job (no function may bundle the route table).
  'audit-origins.json': () => auditOriginsJson(),
};

export const targetOf = (file: string): DataDocTarget => (file.startsWith('ropa') ? 'ropa' : 'datamap');

/**
 * Blocks of the README generated between markers; the rest is written by hand. Only the short statements about encryption
 * at rest and IP addresses are embedded (they go with the RoPA's security section, which says the same); the ~200-line map
 * lives in docs/data-map.md, linked from the README, so the README stays short enough to find the deploy section in.
 */
export const README_EMBEDS: ReadonlyArray<{ path: string; target: DataDocTarget; build: (readme: string) => string }> = [
  { path: 'README.md', target: 'ropa', build: (readme) => withReadmeStorage(readme) },
];

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes (or with `check`, compares) the documents of the given targets; returns the paths that were stale. */
export function generateDataDocs(targets: readonly DataDocTarget[], options: { check?: boolean; log?: (line: string) => void } = {}): string[] {
  const docs: { path: string; build: (current: string | undefined) => string }[] = Object.entries(DATA_DOCS)
    .filter(([file]) => targets.includes(targetOf(file)))
    .map(([file, build]) => ({ path: `docs/${file}`, build }));
  for (const embed of README_EMBEDS.filter((e) => targets.includes(e.target))) {
    docs.push({
      path: embed.path,
      build: (current) => {
        if (current === undefined) throw new Error(`${embed.path} is missing`);
        return embed.build(current);
      },
    });
  }
  const stale: string[] = [];
  for (const doc of docs) {
    const path = join(ROOT, doc.path);
    // read right before writing: README.md is edited by hand too, and only the embedded block is ours
    const current = readIfPresent(path);
    const fresh = doc.build(current);
    if (current === fresh) continue;
    if (!stale.includes(doc.path)) stale.push(doc.path);
    if (!options.check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, fresh);
      options.log?.(`wrote ${doc.path}`);
    }
  }
  return stale;
}

const TARGETS: Record<string, readonly DataDocTarget[]> = { datamap: ['datamap'], ropa: ['ropa'], all: ['datamap', 'ropa'] };

if (require.main === module) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const named = args.filter((a) => a !== '--check');
  const unknown = named.find((a) => !(a in TARGETS));
  if (unknown !== undefined || named.length > 1) {
    console.error(`usage: generate-data-docs [datamap|ropa|all] [--check] (got "${named.join(' ')}")`);
    process.exit(2);
  }
  const command = named[0] ?? 'all';
  try {
    const stale = generateDataDocs(TARGETS[command], { check, log: console.log });
    if (check && stale.length > 0) {
      for (const path of stale) console.error(`${path} is stale: run \`npm run ${command === 'all' ? 'datadocs' : command}\` and commit the result.`);
      process.exit(1);
    }
    if (stale.length === 0) console.log(`${command === 'all' ? 'data docs' : command}: up to date`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}
