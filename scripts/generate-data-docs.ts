/**
 * `npm run datadocs` writes docs/data-map.md and docs/ropa.md + docs/ropa.json from the inventory, the purposes and the
 * route table; `--check` fails when the committed files are stale (as the unit test does).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataMapMarkdown, ropa, ropaMarkdown } from '../lambdas/data-docs';

const docs = join(__dirname, '..', 'docs');
export const DATA_DOCS: Record<string, () => string> = {
  'data-map.md': dataMapMarkdown,
  'ropa.md': ropaMarkdown,
  'ropa.json': () => JSON.stringify(ropa(), null, 2) + '\n',
};

if (require.main === module) {
  const check = process.argv.includes('--check');
  let stale = 0;
  mkdirSync(docs, { recursive: true });
  for (const [file, build] of Object.entries(DATA_DOCS)) {
    const path = join(docs, file);
    const fresh = build();
    if (check) {
      let committed = '';
      try {
        committed = readFileSync(path, 'utf8');
      } catch {
        // missing counts as stale
      }
      if (committed !== fresh) {
        console.error(`docs/${file} is stale: run \`npm run datadocs\` and commit the result.`);
        stale++;
      }
    } else {
      writeFileSync(path, fresh);
      console.log(`wrote docs/${file}`);
    }
  }
  process.exit(stale > 0 ? 1 : 0);
}
