/**
 * `fmn job list|run`: the scheduled jobs of lambdas/schedules.ts, run on demand against the local cloud or an AWS
 * deployment (the same targets as every command), with a readable result: what the job found and did, counts only.
 *
 * On AWS the jobs run on their EventBridge rules; this is for a run now (after an incident, before a release) and for a
 * look ahead: `--time` sets the job's clock (the retention job accepts a time far from now only with
 * FMN_RETENTION_FAKE_CLOCK=1, tests and game days), `--dry-run` decides and counts without writing.
 */
import type { Command } from 'commander';
import { schedules } from '../../lambdas/schedules';
import { TABLE_IDS, type TableId } from '../../lambdas/runtime/resources';
import { commandGroup, globalOptions, UsageError, withExamples, type CliContext } from '../command';
import { note, printRecord, printRows } from '../output';
import { useTarget } from '../target';

export function registerJob(program: Command, { io }: CliContext): void {
  const job = commandGroup(program, 'job', 'Scheduled jobs (retention, overdue requests): list them, run one now.');
  withExamples(job, ['fmn job list', 'fmn job run retention --local --dry-run']);

  withExamples(
    job
      .command('list')
      .description('The scheduled jobs, their schedules and what they do.')
      .action((_options, command: Command) => {
        printRows(io, globalOptions(command).json, schedules, [
          { header: 'job', value: (j) => j.id },
          { header: 'schedule', value: (j) => j.schedule },
          { header: 'description', value: (j) => j.description },
        ], (j) => ({ job: j.id, schedule: j.schedule, description: j.description }));
      }),
    ['fmn job list', 'fmn job list --json'],
  );

  withExamples(
    job
      .command('run')
      .description('Run one scheduled job now, in this process, with the event EventBridge would send; print what it did.')
      .argument('<name>', `the job (${schedules.map((j) => j.id).join(', ')})`)
      .option('--time <iso>', 'the job\'s clock (the event\'s time), e.g. 2029-01-01T00:00:00Z; default now')
      .option('--dry-run', 'decide and count, write nothing')
      .action(async (name: string, options: { time?: string; dryRun?: boolean }, command: Command) => {
        const global = globalOptions(command);
        const { OpsInputError } = await import('../../ops/errors');
        const { jobTime, runScheduledJob, scheduledJob } = await import('../../ops/scheduled-job');
        let definition;
        try {
          definition = scheduledJob(name);
          jobTime(options.time);
        } catch (error) {
          if (error instanceof OpsInputError) throw new UsageError(error.message);
          throw error;
        }
        const stores = definition.personalData.map((t) => t.store);
        const target = await useTarget(global, {
          tables: stores.filter((s): s is TableId => (TABLE_IDS as readonly string[]).includes(s)),
          queues: stores.includes('rightsRequestQueue') ? ['rightsRequestQueue'] : [],
          keys: definition.crypto?.length || definition.purpose ? ['pseudonymKey'] : [],
        });
        // The handler's settings: its metric dimension, and its logs kept off stdout (the result goes there).
        process.env.STAGE ??= target.stage ?? target.kind;
        process.env.POWERTOOLS_LOG_LEVEL ??= process.env.FMN_DEBUG ? 'DEBUG' : 'WARN';
        // Metrics mean something inside Lambda only; here the counts are the result.
        process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
        const { time, result } = await runScheduledJob(definition, { time: options.time, dryRun: options.dryRun });
        const record = (result ?? {}) as { counts?: Record<string, number> } & Record<string, unknown>;
        const { counts, ...rest } = record;
        const flat = { ...rest, ...(counts ?? {}) } as Record<string, unknown>;
        if (global.json) {
          printRecord(io, true, { job: definition.id, target: target.description, time, dryRun: options.dryRun === true, result });
          return;
        }
        printRecord(io, false, { job: definition.id, target: target.description, time, 'dry run': options.dryRun ? 'yes (nothing written)' : 'no', ...flat });
        note(io, `${definition.id}: done${options.dryRun ? ' (dry run: nothing was written)' : ''}`);
      }),
    [
      'fmn job run retention --local --dry-run',
      'FMN_RETENTION_FAKE_CLOCK=1 fmn job run retention --local --time 2029-01-01T00:00:00Z',
      'fmn job run overdueRequests --stage prod --profile prod --region eu-west-1 --json',
    ],
  );
}
