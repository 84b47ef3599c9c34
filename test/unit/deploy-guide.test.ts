/**
 * docs/deploy.md's settings table is the one place an operator learns the `-c` settings: every key of CONTEXT in
 * lib/config.ts must have a row there, with a default and a production value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTEXT } from '../../lib/config';

const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');

/** Rows of the first table under the `## Settings` heading: first cell's code name → the cells. */
function settingsRows(markdown: string): Map<string, string[]> {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Settings'));
  if (!section) throw new Error('docs/deploy.md has no "## Settings" section');
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) {
      if (rows.size > 0) break; // the first table only
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const name = /^`([^`]+)`$/.exec(cells[0])?.[1];
    if (name) rows.set(name, cells);
  }
  return rows;
}

describe('docs/deploy.md settings table', () => {
  const rows = settingsRows(guide);

  it.each(Object.values(CONTEXT))('has a row for -c %s with what it does, its default and its production value', (key) => {
    const row = rows.get(key);

    expect(row).toBeDefined();
    expect(row).toHaveLength(4);
    for (const cell of row!.slice(1)) expect(cell).not.toBe('');
  });

  it('lists no setting the app does not read', () => {
    const known = new Set<string>(Object.values(CONTEXT));

    expect([...rows.keys()].filter((key) => !known.has(key))).toEqual([]);
  });

  it('reads rows from the settings table only, so a missing key fails', () => {
    const rowsOf = settingsRows('## Settings\n\n| setting | a | b | c |\n| --- | --- | --- | --- |\n| `stage` | x | y | z |\n\n| `region` | 1 | 2 | 3 |\n');

    expect([...rowsOf.keys()]).toEqual(['stage']);
  });
});
