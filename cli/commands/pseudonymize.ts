/**
 * `fmn pseudonymize`: writes a copy of a table dump (DynamoDB export or JSON lines) with every personal field the inventory
 * declares replaced by a deterministic pseudonym under this environment's key. Runs offline: it reads and writes files only.
 * The logic is ops/pseudonymize.ts; this parses arguments, reads the key, draws the progress bar and prints the summary.
 */
import { Option, type Command } from 'commander';
import { globalOptions, UsageError, withExamples, type CliContext } from '../command';
import { note, printRecord, progress, type Progress } from '../output';

interface PseudonymizeCliOptions {
  readonly store?: string;
  readonly format?: 'dynamodb' | 'jsonl';
  readonly keyFile?: string;
  readonly dropUndeclared?: boolean;
  readonly overwrite?: boolean;
}

export function registerPseudonymize(program: Command, { io }: CliContext): void {
  withExamples(
    program
      .command('pseudonymize')
      .description('Copy a table dump with every declared personal field pseudonymised (for dev and staging); streams, any size.')
      .argument('<input>', 'the dump: DynamoDB export lines ({"Item":…}) or JSON lines (bare items, or {"store":…,"item":…}); .gz is read as gzip')
      .argument('<output>', 'where to write the copy, in the same format (.gz is written as gzip)')
      .option('--store <store>', 'the store (inventory table id, e.g. users) of lines that do not name their own')
      .addOption(new Option('--format <format>', 'the line format (default: detected per line)').choices(['dynamodb', 'jsonl']))
      .option('--key-file <path>', 'this environment\'s pseudonymisation key (hex, base64 or raw, 32+ bytes); else FMN_PSEUDONYMIZE_KEY')
      .option('--drop-undeclared', 'drop fields the inventory does not declare, instead of failing on the first one')
      .option('--overwrite', 'replace the output file if it exists')
      .action(async (input: string, output: string, options: PseudonymizeCliOptions, command: Command) => {
        const global = globalOptions(command);
        const { OpsInputError } = await import('../../ops/errors');
        const { loadPseudonymKey } = await import('../../ops/pseudonym-key');
        const { pseudonymize } = await import('../../ops/pseudonymize');
        let bar: Progress | undefined;
        let shown = 0;
        try {
          const key = await loadPseudonymKey({ keyFile: options.keyFile, env: process.env });
          const result = await pseudonymize({
            input,
            output,
            key,
            store: options.store,
            format: options.format,
            undeclared: options.dropUndeclared ? 'drop' : 'fail',
            overwrite: options.overwrite,
            onProgress: ({ bytesRead, totalBytes }) => {
              bar ??= progress(io, 'pseudonymize', totalBytes, 'bytes');
              bar.increment(bytesRead - shown);
              shown = bytesRead;
            },
          });
          bar?.stop();
          printRecord(io, global.json, { output, lines: result.lines, items: result.itemsByStore, droppedFields: result.droppedFields });
          const dropped = Object.values(result.droppedFields).reduce((a, b) => a + b, 0);
          if (dropped > 0) note(io, `${dropped} value(s) of undeclared fields dropped: declare them in lambdas/inventory.ts`);
        } catch (error) {
          bar?.stop();
          if (error instanceof OpsInputError) throw new UsageError(error.message);
          throw error;
        }
      }),
    [
      'openssl rand -hex 32 > staging.key   # once per environment; keep it out of the repository',
      'fmn pseudonymize prod-dump.jsonl staging-dump.jsonl --key-file staging.key',
      'FMN_PSEUDONYMIZE_KEY=$(cat staging.key) fmn pseudonymize export/data/abc.json.gz users.json.gz --store users --json',
    ],
  );
}
