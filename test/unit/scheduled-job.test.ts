/**
 * `scheduledJob`: one Metrics configuration for every scheduled job. What a run adds is published once it ends, in the
 * job's namespace with the `stage` dimension the alarms watch, also when the run fails; the run sees the Lambda context.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { JobRun, JobRunLog } from '../../lambdas/domain/job-runs';

process.env.STAGE = 'unit';
const { scheduledJob } = require('../../lambdas/runtime/scheduled-job') as typeof import('../../lambdas/runtime/scheduled-job');

/** The runs the wrapper recorded, kept in memory. */
const runs: JobRun[] = [];
const runLog: JobRunLog = { record: async (run) => void runs.push(run), lastRuns: async () => runs };
const JOB = { id: 'unitJob', personalData: [], metric: { namespace: 'UnitJobs', name: 'Things', alarm: 'a' } };

const context = { awsRequestId: 'req-1', functionName: 'fmn-job', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
const event = { id: 'evt-1', detail: {} } as ScheduledEvent;

/** The EMF documents Powertools writes to stdout. */
function published(write: jest.SpyInstance): Record<string, any>[] {
  return write.mock.calls.map(([line]) => JSON.parse(String(line))).filter((doc) => doc._aws?.CloudWatchMetrics);
}

let write: jest.SpyInstance;
beforeEach(() => {
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  write.mockRestore();
  runs.length = 0;
});

it('publishes what the run added in the job\'s namespace with the stage dimension, and hands the run its context', async () => {
  const seen: string[] = [];
  const handler = scheduledJob(JOB, async (_event, { metrics, context: ctx }) => {
    seen.push(ctx.awsRequestId);
    metrics.addMetric('Things', 'Count', 3);
    return 'done';
  }, runLog);
  await expect(handler(event, context)).resolves.toBe('done');
  expect(seen).toEqual(['req-1']);
  const [doc] = published(write);
  expect(doc._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'UnitJobs', Metrics: [{ Name: 'Things', Unit: 'Count' }] });
  expect(doc).toMatchObject({ stage: 'unit', service: 'forget-me-not', Things: 3 });
});

it('still publishes the metrics of a run that failed', async () => {
  const handler = scheduledJob(JOB, async (_event, { metrics }) => {
    metrics.addMetric('Things', 'Count', 1);
    throw new Error('boom');
  }, runLog);
  await expect(handler(event, context)).rejects.toThrow('boom');
  expect(published(write).map((doc) => doc.Things)).toEqual([1]);
});

it('counts a failed run as RunFailed, so even a run that added nothing publishes something (and Powertools does not warn)', async () => {
  const handler = scheduledJob(JOB, async () => {
    throw new Error('boom');
  }, runLog);
  await expect(handler(event, context)).rejects.toThrow('boom');
  const docs = published(write);
  expect(docs.map((doc) => doc.RunFailed)).toEqual([1]);
  const lines = write.mock.calls.map(([line]) => String(line));
  expect(lines.some((line) => line.includes('No application metrics to publish'))).toBe(false);
});

describe('the record of each run', () => {
  it('records a run that succeeded, with the numbers it returned (flattened one level) and nothing else', async () => {
    const handler = scheduledJob(JOB, async () => ({ overdue: 2, byStatus: { queued: 1, verified: 'x' }, counts: { resent: 3 }, ids: ['r-1'], note: 'a@b.example' }), runLog);
    await handler(event, context);
    expect(runs).toEqual([
      { jobId: 'unitJob', startedAt: expect.any(String), finishedAt: expect.any(String), outcome: 'succeeded', counts: { overdue: 2, 'byStatus.queued': 1, resent: 3 } },
    ]);
    expect(runs[0]!.finishedAt >= runs[0]!.startedAt).toBe(true);
  });

  it('records a run that failed with the error class name only, and the run still fails', async () => {
    class QueueOutageError extends Error {
      override name = 'QueueOutageError';
    }
    const handler = scheduledJob(JOB, async () => {
      throw new QueueOutageError('could not send for a@b.example');
    }, runLog);
    await expect(handler(event, context)).rejects.toThrow(QueueOutageError);
    expect(runs).toEqual([{ jobId: 'unitJob', startedAt: expect.any(String), finishedAt: expect.any(String), outcome: 'failed', error: 'QueueOutageError' }]);
    expect(JSON.stringify(runs)).not.toContain('a@b.example');
  });

  it('does not fail a run whose record cannot be written', async () => {
    const broken: JobRunLog = { record: async () => Promise.reject(new Error('table gone')), lastRuns: async () => [] };
    const handler = scheduledJob(JOB, async () => 'done', broken);
    await expect(handler(event, context)).resolves.toBe('done');
  });

  it('records a run as timed out shortly before Lambda would end it', async () => {
    jest.useFakeTimers();
    try {
      const short = { ...context, getRemainingTimeInMillis: () => 3_000 } as unknown as Context;
      let finish!: () => void;
      const handler = scheduledJob(JOB, () => new Promise<void>((resolve) => (finish = resolve)), runLog);
      const running = handler(event, short);
      await jest.advanceTimersByTimeAsync(1_100);
      expect(runs.map((r) => [r.outcome, r.error])).toEqual([['failed', 'TimedOut']]);
      finish();
      await running;
      expect(runs.map((r) => r.outcome)).toEqual(['failed', 'succeeded']);
    } finally {
      jest.useRealTimers();
    }
  });
});
