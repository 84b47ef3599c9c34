/**
 * `fmn datamap` and `fmn ropa`: write (or check) the data map and the Art. 30 record of processing activities. The
 * generator is the one `npm run datamap` / `npm run ropa` use (scripts/generate-data-docs.ts); this only picks the target.
 */
import type { Command } from 'commander';
import { CommandFailedError, globalOptions, withExamples, type CliContext, type Io } from '../command';
import { note, printRows } from '../output';

type Target = 'datamap' | 'ropa';

export function registerDataDocs(program: Command, { io }: CliContext): void {
  const docsCommand = (target: Target, description: string, examples: readonly string[]) =>
    withExamples(
      program
        .command(target)
        .description(description)
        .option('--check', 'write nothing; exit 1 if a file differs from what the inventory generates (for CI)')
        .action(async (options: { check?: boolean }, command: Command) => writeDocs(io, target, options.check === true, globalOptions(command).json)),
      examples,
    );
  docsCommand('datamap', 'Write the data map (docs/data-map.md, the summary; docs/data-map/, the focused views; docs/data-map.json, the model the console bundles; docs/data-map.html, the whole graph) from the inventory and the route table.', [
    'fmn datamap',
    'fmn datamap --check',
  ]);
  docsCommand('ropa', 'Write the Art. 30 record of processing activities (docs/ropa.md, docs/ropa.json), one entry per purpose, and the README block on encryption at rest and IP addresses.', [
    'fmn ropa',
    'fmn ropa --check --json',
  ]);
}

async function writeDocs(io: Io, target: Target, check: boolean, json: boolean | undefined): Promise<void> {
  const { generateDataDocs } = await import('../../scripts/generate-data-docs');
  const changed = generateDataDocs([target], { check });
  const rows = changed.map((file) => ({ file, state: check ? 'stale' : 'written' }));
  if (json || rows.length > 0) printRows(io, json, rows, [
    { header: 'file', value: (r) => r.file },
    { header: 'state', value: (r) => r.state },
  ]);
  if (check && changed.length > 0) throw new CommandFailedError(`${changed.length} file(s) stale: run \`fmn ${target}\` and commit the result`);
  note(io, changed.length === 0 ? 'every file is fresh' : `${changed.length} file(s) written`);
}
