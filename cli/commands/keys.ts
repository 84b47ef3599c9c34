/**
 * `fmn keys reshard`: rewrites the sharded index keys of existing items (activity month, outbox, the audit's `dayShard`)
 * to the shard count the functions use (ops/reshard-keys.ts). Run it once after deploying sharding and after every change
 * of `-c indexShards`; a second run rewrites nothing.
 */
import type { Command } from 'commander';
import { INDEX_SHARDS_ENV } from '../../lambdas/runtime/index-shards';
import { commandGroup, globalOptions, UsageError, withExamples, type CliContext } from '../command';
import { printRows } from '../output';
import { useTarget } from '../target';

interface ReshardOptions {
  readonly shards?: string;
  readonly dryRun?: boolean;
}

export function registerKeys(program: Command, { io }: CliContext): void {
  const keys = commandGroup(program, 'keys', 'The sharded index keys (README, "How the keys spread").');
  withExamples(keys, ['fmn keys reshard --local --dry-run']);

  withExamples(
    keys
      .command('reshard')
      .description('Rewrite the sharded keys of existing items to the shard count the functions use.')
      .option('--shards <n>', `the shard count the functions use (-c indexShards); default: the stack's ${INDEX_SHARDS_ENV} output (or the variable), else 32`)
      .option('--dry-run', 'count what would be rewritten, write nothing')
      .action(async (options: ReshardOptions, command: Command) => {
        if (options.shards !== undefined && !/^\d+$/.test(options.shards)) throw new UsageError('--shards must be a whole number');
        const global = globalOptions(command);
        await useTarget(global, { tables: ['users', 'consent', 'audit'] });
        const { reshardKeys } = await import('../../ops/reshard-keys');
        const { indexShards } = await import('../../lambdas/runtime/index-shards');
        const { dynamodb } = await import('../../lambdas/runtime/clients');
        const { tableEnvVar } = await import('../../lambdas/runtime/resources');
        let shards: number;
        try {
          shards = options.shards === undefined ? indexShards() : Number(options.shards);
          const report = await reshardKeys(
            dynamodb,
            { users: process.env[tableEnvVar('users')]!, consent: process.env[tableEnvVar('consent')]!, audit: process.env[tableEnvVar('audit')]! },
            { shards, dryRun: options.dryRun },
          );
          printRows(
            io,
            global.json,
            Object.entries(report).map(([key, counts]) => ({ key, shards, ...counts, dryRun: options.dryRun ?? false })),
            [
              { header: 'key', value: (r) => r.key },
              { header: 'shards', value: (r) => r.shards },
              { header: 'items', value: (r) => r.scanned },
              { header: options.dryRun ? 'would rewrite' : 'rewritten', value: (r) => r.rewritten },
              { header: 'changed meanwhile', value: (r) => r.changed },
            ],
          );
        } catch (error) {
          if (error instanceof Error && /must be an integer from/.test(error.message)) throw new UsageError(error.message);
          throw error;
        }
      }),
    ['fmn keys reshard --local', 'fmn keys reshard --stage prod --profile prod --shards 64 --dry-run'],
  );
}
