/**
 * The two handlers that move rights work along, at their own edges (the domain functions they call are faked; the
 * integration tests run them whole on the local cloud):
 * - the rights worker's batch: a refused body, a job for no request, an incident scope job that the computation refuses
 *   (recorded failed at once, not retried), one that fails (retried; the last delivery before the DLQ records it failed)
 *   and an erasure whose verification found data (retried);
 * - the lost-jobs schedule: a moved request (a worker took it) is not sent again, a failed send is counted and alarmed,
 *   a flood stops at the per-run cap, and a run near its timeout takes no new page.
 */
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const runRequestJob = jest.fn();
const runScopeJob = jest.fn();
const failScopeJob = jest.fn();
const requests = { queuedPage: jest.fn(), markResent: jest.fn() };
const enqueue = jest.fn();

jest.mock('../../lambdas/wiring/audit', () => ({ auditTrails: () => () => ({}) }));
jest.mock('../../lambdas/wiring/jobs', () => ({ requestJobContext: () => () => ({ kind: 'request-deps' }) }));
jest.mock('../../lambdas/wiring/incident-scope', () => ({ scopeJobContext: () => () => ({ kind: 'scope-deps' }) }));
jest.mock('../../lambdas/wiring/rights', () => ({ rightsContext: () => () => ({ requests, enqueue }) }));
jest.mock('../../lambdas/domain/request-jobs', () => ({
  ...jest.requireActual('../../lambdas/domain/request-jobs'),
  runRequestJob: (...args: unknown[]) => runRequestJob(...args),
}));
jest.mock('../../lambdas/domain/incidents', () => ({
  ...jest.requireActual('../../lambdas/domain/incidents'),
  runScopeJob: (...args: unknown[]) => runScopeJob(...args),
  failScopeJob: (...args: unknown[]) => failScopeJob(...args),
}));
// The schedule's run function itself, without the run log and metrics publishing around it (runtime/scheduled-job.ts
// has its own tests).
jest.mock('../../lambdas/runtime/scheduled-job', () => ({ scheduledJob: (_job: unknown, run: unknown) => run }));

import { BreachScopeInputError } from '../../lambdas/adapters/dynamo-breach-scope';
import { ErasureLeftoversError } from '../../lambdas/domain/request-jobs';
import { handler as worker } from '../../lambdas/handlers/rights-request-worker';
import { handler as resendLostJobs } from '../../lambdas/handlers/resend-lost-jobs';

const REQUEST_ID = '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b';
const INCIDENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
const JOB_ID = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const context = { awsRequestId: 'aws-1', functionName: 'rightsRequestWorker', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

function record(body: unknown, receiveCount = 1, messageId = 'm-1'): SQSRecord {
  return {
    messageId,
    receiptHandle: 'r',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:q',
    awsRegion: 'eu-west-1',
  } as unknown as SQSRecord;
}
// A probe rides along in every batch: when all of a batch's records fail, the batch processor fails the whole batch
// (FullBatchFailureError) instead of naming the failed records.
const probe = () => record({ kind: 'probe', probeId: '5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716' }, 1, 'probe');
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: [...records, probe()] });
const failedIds = async (event: SQSEvent) => ((await worker(event, context)) as { batchItemFailures: { itemIdentifier: string }[] }).batchItemFailures.map((f) => f.itemIdentifier);
const scope = { kind: 'breach-scope', incidentId: INCIDENT_ID, jobId: JOB_ID };

beforeEach(() => {
  jest.clearAllMocks();
  runRequestJob.mockResolvedValue('done');
  runScopeJob.mockResolvedValue('saved');
  failScopeJob.mockResolvedValue(undefined);
});

describe('rights request worker', () => {
  it('fails only the record whose body is not a job, and never hands it to a job', async () => {
    expect(await failedIds(batch(record('{"kind":"nope"}', 1, 'bad'), record({ kind: 'export', requestId: REQUEST_ID }, 1, 'good')))).toEqual(['bad']);
    expect(runRequestJob).toHaveBeenCalledTimes(1);
  });

  it('treats a job for a request that no longer exists as done (nothing to retry)', async () => {
    runRequestJob.mockResolvedValue('missing');
    expect(await failedIds(batch(record({ kind: 'erasure', requestId: REQUEST_ID })))).toEqual([]);
    expect(runRequestJob).toHaveBeenCalledWith({ kind: 'request-deps' }, { kind: 'erasure', requestId: REQUEST_ID }, { receiveCount: 1 });
  });

  it('retries an erasure whose verification found data left', async () => {
    runRequestJob.mockRejectedValue(new ErasureLeftoversError(['sessions']));
    expect(await failedIds(batch(record({ kind: 'erasure', requestId: REQUEST_ID }, 2, 'erasure')))).toEqual(['erasure']);
  });

  it('records a scope the computation refuses as failed at once, without a retry', async () => {
    runScopeJob.mockRejectedValue(new BreachScopeInputError('from is not a date or time (ISO 8601)'));
    expect(await failedIds(batch(record(scope)))).toEqual([]);
    expect(failScopeJob).toHaveBeenCalledWith({ kind: 'scope-deps' }, scope);
  });

  it('retries a failed scope job, and records it failed only on the last delivery before the DLQ', async () => {
    runScopeJob.mockRejectedValue(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    expect(await failedIds(batch(record(scope, 4, 'early')))).toEqual(['early']);
    expect(failScopeJob).not.toHaveBeenCalled();

    expect(await failedIds(batch(record(scope, 5, 'last')))).toEqual(['last']);
    expect(failScopeJob).toHaveBeenCalledTimes(1);
  });

  it('fails the whole batch when every record in it fails', async () => {
    runScopeJob.mockRejectedValue(new Error('down'));
    await expect(worker({ Records: [record(scope, 2)] }, context)).rejects.toThrow('All records failed');
  });

  it('still sends the last failed scope job to the DLQ when recording the failure fails too', async () => {
    runScopeJob.mockRejectedValue(new Error('down'));
    failScopeJob.mockRejectedValue(new Error('also down'));
    expect(await failedIds(batch(record(scope, 5, 'last')))).toEqual(['last']);
  });

  it('answers a probe without touching any request or incident', async () => {
    expect(await failedIds({ Records: [probe()] })).toEqual([]);
    expect(runRequestJob).not.toHaveBeenCalled();
    expect(runScopeJob).not.toHaveBeenCalled();
  });
});

describe('lost jobs schedule', () => {
  const now = Date.now();
  const queued = (i: number, minutesAgo = 60) => ({ requestId: `r-${i}`, type: 'export', status: 'queued', updatedAt: new Date(now - minutesAgo * 60_000).toISOString() });
  const metrics = { addMetric: jest.fn() };
  const run = (remainingMs = 60_000) =>
    (resendLostJobs as unknown as (event: unknown, tools: unknown) => Promise<{ counts: Record<string, number>; complete: boolean }>)({}, {
      metrics,
      context: { getRemainingTimeInMillis: () => remainingMs },
    });

  beforeEach(() => {
    requests.markResent.mockResolvedValue(true);
    enqueue.mockResolvedValue(undefined);
  });

  it('sends again only quiet queued requests, skips one a worker took meanwhile, and counts a failed send for the alarm', async () => {
    requests.queuedPage.mockResolvedValueOnce({ requests: [queued(1), queued(2, 0), queued(3), queued(4)], next: { pk: 'p' } }).mockResolvedValueOnce({ requests: [queued(5)] });
    requests.markResent.mockImplementation(async (r: { requestId: string }) => r.requestId !== 'r-3');
    enqueue.mockImplementation(async (r: { requestId: string }) => {
      if (r.requestId === 'r-4') throw Object.assign(new Error('sqs down'), { name: 'QueueDoesNotExist' });
    });

    const result = await run();

    expect(result).toEqual({ counts: { resent: 2, waiting: 1, moved: 1, notSent: 1 }, complete: true });
    expect(enqueue.mock.calls.map(([r]) => r.requestId)).toEqual(['r-1', 'r-4', 'r-5']);
    expect(requests.queuedPage).toHaveBeenLastCalledWith(100, { pk: 'p' });
    // re-sent plus not sent: the alarm fires on either
    expect(metrics.addMetric).toHaveBeenCalledWith(expect.any(String), expect.anything(), 3);
  });

  it('stops at the per-run cap and says the run is not complete', async () => {
    requests.queuedPage.mockResolvedValueOnce({ requests: Array.from({ length: 100 }, (_, i) => queued(i)), next: { pk: 'more' } }).mockResolvedValueOnce({ requests: [queued(100), queued(101)] });

    const result = await run();

    expect(result.complete).toBe(false);
    expect(result.counts.resent).toBe(100);
    expect(enqueue).toHaveBeenCalledTimes(100);
  });

  it('takes no page when the run is near its timeout, leaving the work to the next run', async () => {
    const result = await run(5_000);
    expect(result).toEqual({ counts: { resent: 0, waiting: 0, moved: 0, notSent: 0 }, complete: false });
    expect(requests.queuedPage).not.toHaveBeenCalled();
  });
});
