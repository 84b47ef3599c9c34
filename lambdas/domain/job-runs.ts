/**
 * The last run of each scheduled job (`lambdas/schedules.ts`), as the operations view shows it: when it ran, whether it
 * succeeded, and what it counted. Plain data: the job wrapper (`runtime/scheduled-job.ts`) builds one at the end of every
 * run, and an adapter keeps the latest per job.
 *
 * Nothing personal goes in: a job's result is reduced to numbers under fixed names (`counts`), and a failure to the
 * error's class name, never its message (messages can quote ids or values).
 */

export type JobOutcome = 'succeeded' | 'failed';

export interface JobRun {
  readonly jobId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly outcome: JobOutcome;
  /** Numbers the run returned, flattened one level (`byStatus.queued`); absent for a failed run. */
  readonly counts?: Readonly<Record<string, number>>;
  /** A failed run: the error's class name (`TimeoutError`), nothing from its message. */
  readonly error?: string;
}

/** Where the last runs are kept (`adapters/dynamo-job-runs.ts`). */
export interface JobRunLog {
  /** Keeps `run` unless a run that started later is already kept (two runs of one job overlapping). */
  record(run: JobRun): Promise<void>;
  /** The last run of each job asked for; a job that never ran is absent. */
  lastRuns(jobIds: readonly string[]): Promise<JobRun[]>;
}

const COUNT_NAME = /^[A-Za-z][A-Za-z0-9]{0,40}$/;
/** Bounds the item: a result with more numbers than this is cut (the log line has them all). */
const MAX_COUNTS = 30;

/**
 * The numbers of a job's result, flattened one level: `{ overdue: 2, byStatus: { queued: 1 } }` → `overdue`,
 * `byStatus.queued`; `{ counts: { resent: 1 } }` → `resent`. Strings, arrays and anything deeper are left out, so an id a job might return never lands here.
 */
export function runCounts(result: unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (name: string, value: unknown) => {
    if (Object.keys(counts).length < MAX_COUNTS && typeof value === 'number' && Number.isFinite(value)) counts[name] = value;
  };
  if (!isRecord(result)) return counts;
  for (const [key, value] of Object.entries(result)) {
    if (!COUNT_NAME.test(key)) continue;
    if (isRecord(value)) {
      // a job that returns its numbers under `counts` (most do) names them plainly
      for (const [inner, n] of Object.entries(value)) if (COUNT_NAME.test(inner)) add(key === 'counts' ? inner : `${key}.${inner}`, n);
    } else add(key, value);
  }
  return counts;
}

/** The record of a run that ended: `result` when it returned, `error` when it threw. */
export function finishedRun(
  jobId: string,
  startedAt: Date,
  finishedAt: Date,
  ending: { readonly result: unknown } | { readonly error: unknown },
): JobRun {
  const times = { jobId, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() };
  if ('error' in ending) {
    const name = ending.error instanceof Error ? ending.error.name : 'Error';
    return { ...times, outcome: 'failed', error: COUNT_NAME.test(name) ? name : 'Error' };
  }
  return { ...times, outcome: 'succeeded', counts: runCounts(ending.result) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
