/**
 * `fmn consent stats rebuild`: the consent figures' counters brought in line with the ledger (ops/consent-stats-rebuild.ts),
 * once after deploying them on a deployment with an existing ledger; with `--dry-run`, a check that reports the difference.
 */
import type { Command } from 'commander';
import { commandGroup, globalOptions, withExamples, type CliContext } from '../command';
import { printRows } from '../output';
import { useTarget } from '../target';

export function registerConsent(program: Command, { io }: CliContext): void {
  const consent = commandGroup(program, 'consent', 'The consent ledger\'s figures (README, "The privacy console: consent insight").');
  withExamples(consent, ['fmn consent stats rebuild --local --dry-run']);
  const stats = commandGroup(consent, 'stats', 'The sharded counters behind GET /v1/admin/consent-stats.');
  withExamples(stats, ['fmn consent stats rebuild --local --dry-run']);
  withExamples(
    stats
      .command('rebuild')
      .description('Scan the ledger once and add to the counters what they lack (a migration: the serving path never scans).')
      .option('--dry-run', 'report the difference between the counters and the ledger, write nothing')
      .action(async (options: { dryRun?: boolean }, command: Command) => {
        const global = globalOptions(command);
        await useTarget(global, { tables: ['consent'] });
        const { rebuildConsentStats } = await import('../../ops/consent-stats-rebuild');
        const { dynamodb } = await import('../../lambdas/runtime/clients');
        const { tableEnvVar } = await import('../../lambdas/runtime/resources');
        const report = await rebuildConsentStats(dynamodb, process.env[tableEnvVar('consent')]!, { dryRun: options.dryRun });
        printRows(io, global.json, [report], [
          { header: 'projections', value: (r) => r.projections },
          { header: 'events', value: (r) => r.events },
          { header: options.dryRun ? 'counters off' : 'counters corrected', value: (r) => r.countersOff },
          { header: 'difference', value: (r) => r.difference },
        ]);
      }),
    ['fmn consent stats rebuild --local', 'fmn consent stats rebuild --stage prod --profile prod --dry-run'],
  );
}
