/**
 * `scheduledJob`: one Metrics configuration for every scheduled job. What a run adds is published once it ends, in the
 * job's namespace with the `stage` dimension the alarms watch, also when the run fails; the run sees the Lambda context.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';

process.env.STAGE = 'unit';
const { scheduledJob } = require('../../lambdas/runtime/scheduled-job') as typeof import('../../lambdas/runtime/scheduled-job');

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
afterEach(() => write.mockRestore());

it('publishes what the run added in the job\'s namespace with the stage dimension, and hands the run its context', async () => {
  const seen: string[] = [];
  const handler = scheduledJob({ metric: { namespace: 'UnitJobs', name: 'Things', alarm: 'a' } }, async (_event, { metrics, context: ctx }) => {
    seen.push(ctx.awsRequestId);
    metrics.addMetric('Things', 'Count', 3);
    return 'done';
  });
  await expect(handler(event, context)).resolves.toBe('done');
  expect(seen).toEqual(['req-1']);
  const [doc] = published(write);
  expect(doc._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'UnitJobs', Metrics: [{ Name: 'Things', Unit: 'Count' }] });
  expect(doc).toMatchObject({ stage: 'unit', service: 'forget-me-not', Things: 3 });
});

it('still publishes the metrics of a run that failed', async () => {
  const handler = scheduledJob({ metric: { namespace: 'UnitJobs', name: 'Things', alarm: 'a' } }, async (_event, { metrics }) => {
    metrics.addMetric('Things', 'Count', 1);
    throw new Error('boom');
  });
  await expect(handler(event, context)).rejects.toThrow('boom');
  expect(published(write).map((doc) => doc.Things)).toEqual([1]);
});

it('counts a failed run as RunFailed, so even a run that added nothing publishes something (and Powertools does not warn)', async () => {
  const handler = scheduledJob({ metric: { namespace: 'UnitJobs', name: 'Things', alarm: 'a' } }, async () => {
    throw new Error('boom');
  });
  await expect(handler(event, context)).rejects.toThrow('boom');
  const docs = published(write);
  expect(docs.map((doc) => doc.RunFailed)).toEqual([1]);
  const lines = write.mock.calls.map(([line]) => String(line));
  expect(lines.some((line) => line.includes('No application metrics to publish'))).toBe(false);
});
