/**
 * Runs one scheduled job (`lambdas/schedules.ts`) now, in this process, with the event EventBridge would send: used by
 * `fmn job run` and scripts/run-job.ts. The environment (names, endpoints, credentials) must be set first: the handler
 * reads it when its module loads.
 *
 * `time` is the event's `time`, the job's clock (the retention job refuses one far from the system clock unless
 * FMN_RETENTION_FAKE_CLOCK=1). `dryRun` is sent as the event's `detail.dryRun`: the retention job then decides and counts
 * without writing anything; the overdue-requests job only reads anyway.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { schedules, type ScheduleDefinition } from '../lambdas/schedules';
import { runAs } from '../local/field-trace';
import { lambdaContext } from '../local/lambda-context';
import { installLocalTestHooks } from '../local/test-hooks';
import { OpsInputError } from './errors';

// Before the job's handler loads: the field-use trace and crash injection, each off unless its variable is set.
installLocalTestHooks();

export interface JobRunOptions {
  /** ISO 8601 instant; default now. */
  readonly time?: string;
  readonly dryRun?: boolean;
}

/** The declaration of job `id`, or an {@link OpsInputError} listing the jobs. */
export function scheduledJob(id: string | undefined): ScheduleDefinition {
  const job = schedules.find((j) => j.id === id);
  if (!job) throw new OpsInputError(`${id === undefined ? 'name a job' : `unknown job '${id}'`}: one of ${schedules.map((j) => j.id).join(', ')}`);
  return job;
}

/** The event's time: the instant given (to the second, as EventBridge sends it) or now. */
export function jobTime(time: string | undefined): string {
  const at = time === undefined ? new Date() : new Date(time);
  if (Number.isNaN(at.getTime())) throw new OpsInputError('--time must be an ISO 8601 instant, e.g. 2029-01-01T00:00:00Z');
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Runs the job's handler once and returns what it returned (counts only, never an id). */
export async function runScheduledJob(job: ScheduleDefinition, options: JobRunOptions = {}): Promise<{ time: string; result: unknown }> {
  const time = jobTime(options.time);
  // Loaded only now: handlers read their environment at module scope.
  const { handler } = (await import(`../lambdas/handlers/${job.handler}.ts`)) as {
    handler: (event: ScheduledEvent, context: unknown) => Promise<unknown>;
  };
  const region = process.env.AWS_REGION ?? 'eu-west-1';
  const event: ScheduledEvent = {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time,
    region,
    resources: [`arn:aws:events:${region}:000000000000:rule/fmn-manual-${job.id}`],
    detail: options.dryRun ? { dryRun: true } : {},
  };
  // Labelled like the local scheduler's runs, so a field-use trace (FMN_FIELD_TRACE, tests only) attributes its calls.
  const result = await runAs(`schedule:${job.id}`, () => handler(event, lambdaContext(`fmn-manual-${job.id}`, job.timeoutSeconds)));
  return { time, result: result ?? null };
}
