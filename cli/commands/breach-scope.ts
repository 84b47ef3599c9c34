/**
 * `fmn breach-scope`: which data categories and how many subjects (by pseudonym) were held in or accessed from a store in a
 * time window, for the Art. 33 notification. The logic is ops/breach-scope.ts; this picks the target and prints the result
 * as a summary, a table of accesses by origin and the pseudonyms, or (--json) the whole result as one JSON line.
 */
import { Option, type Command } from 'commander';
import { inventory } from '../../lambdas/inventory';
import { TABLE_IDS, keyEnvVar, tableEnvVar, type TableId } from '../../lambdas/runtime/resources';
import { globalOptions, UsageError, withExamples, type CliContext } from '../command';
import { printRecord, printRows } from '../output';
import { useTarget } from '../target';

interface BreachCliOptions {
  readonly store: string;
  readonly from: string;
  readonly to: string;
}

export function registerBreachScope(program: Command, { io }: CliContext): void {
  withExamples(
    program
      .command('breach-scope')
      .description('Categories and subjects (by pseudonym) held in or accessed from a store in a window, for an Art. 33 notification.')
      .addOption(new Option('--store <store>', 'the store concerned (inventory id)').choices(Object.keys(inventory)).makeOptionMandatory())
      .requiredOption('--from <time>', 'start of the window, ISO 8601 (inclusive)')
      .requiredOption('--to <time>', 'end of the window, ISO 8601 (inclusive)')
      .action(async (options: BreachCliOptions, command: Command) => {
        const global = globalOptions(command);
        const isTable = (TABLE_IDS as readonly string[]).includes(options.store);
        const tables: TableId[] = ['audit', ...(isTable ? [options.store as TableId] : [])];
        await useTarget(global, { tables, keys: ['pseudonymKey'] });
        const { OpsInputError } = await import('../../ops/errors');
        const { breachScope } = await import('../../ops/breach-scope');
        const { KmsPseudonyms } = await import('../../lambdas/adapters/kms-pseudonyms');
        const { dynamodb } = await import('../../lambdas/runtime/clients');
        const { kms } = await import('../../lambdas/runtime/kms');
        const pseudonyms = new KmsPseudonyms(kms, process.env[keyEnvVar('pseudonymKey')]!);
        let scope;
        try {
          scope = await breachScope(options, {
            db: dynamodb,
            tables: { audit: process.env[tableEnvVar('audit')]!, store: isTable ? process.env[tableEnvVar(options.store as TableId)] : undefined },
            subjectPseudonym: (subjectId) => pseudonyms.subject(subjectId),
          });
        } catch (error) {
          if (error instanceof OpsInputError) throw new UsageError(error.message);
          throw error;
        }
        if (global.json) {
          io.out(`${JSON.stringify(scope)}\n`);
          return;
        }
        printRecord(io, false, {
          store: `${scope.store} (${scope.kind})`,
          window: `${scope.window.from} .. ${scope.window.to}`,
          categories: scope.categories.join(', '),
          subjects: `${scope.subjects.count}${scope.subjects.approximate ? ' (approximate)' : ''}`,
          held: scope.held.enumerated ? `${scope.held.subjects} subject(s); ${scope.held.categories.join(', ')}` : `not listed: ${scope.held.note}`,
          accessed: `${scope.accessed.entries} audit entries, ${scope.accessed.subjects} subject(s)`,
        });
        io.out('\n');
        printRows(io, false, scope.accessed.byOrigin, [
          { header: 'origin', value: (o) => o.origin },
          { header: 'entries', value: (o) => o.entries },
          { header: 'subjects', value: (o) => o.subjects },
          { header: 'actions', value: (o) => o.actions.join(',') },
          { header: 'categories', value: (o) => o.categories.join(',') },
          { header: 'declared', value: (o) => (o.declared ? 'yes' : 'NO') },
        ]);
        io.out('\n');
        printRows(io, false, scope.subjects.pseudonyms.map((pseudonym) => ({ pseudonym })), [{ header: 'subject pseudonym', value: (r) => r.pseudonym }]);
      }),
    [
      'fmn breach-scope --local --store users --from 2026-11-01T00:00:00Z --to 2026-11-02T12:00:00Z',
      'fmn breach-scope --profile prod --store sessions --from 2026-11-01 --to 2026-11-03 --json > scope.json',
    ],
  );
}
