/**
 * The operations rules (`domain/operations.ts`) over in-memory queues: a redrive moves at most `max`, sends before it
 * deletes, stops at a failed send with the rest put back and an honest count, and refuses an unknown DLQ; the overview
 * says alarms are not available when there is no CloudWatch, and counts overdue requests as the overdue job does.
 */
import { operationsOverview, overdueCounts, QUEUE_PAIRS, redriveDlq, UnknownQueueError, type MovingMessage, type OperatedQueues } from '../../lambdas/domain/operations';
import { REDRIVABLE_DLQS } from '../../lambdas/handlers/operations.schema';
import { RECIPIENT_IDS } from '../../lambdas/recipients';
import { recipientDlqId, recipientQueueId } from '../../lambdas/runtime/resources';

interface Held extends MovingMessage {
  readonly body: string;
}

/** Two queues as arrays; every call is logged in order. */
function memoryQueues(dlqBodies: string[], failSendAt?: number) {
  const queues: Record<string, Held[]> = { rightsRequestQueue: [], rightsRequestDlq: dlqBodies.map((body, i) => ({ receiptHandle: `h${i}`, body })) };
  const hidden = new Set<string>();
  const calls: string[] = [];
  let sends = 0;
  const port: OperatedQueues = {
    depth: async (q) => ({ visible: (queues[q] ?? []).filter((m) => !hidden.has(m.receiptHandle)).length, inFlight: 0, delayed: 0 }),
    receive: async (q, max) => {
      const batch = queues[q]!.filter((m) => !hidden.has(m.receiptHandle)).slice(0, max);
      batch.forEach((m) => hidden.add(m.receiptHandle));
      calls.push(`receive ${batch.length}`);
      return batch;
    },
    send: async (q, m) => {
      if (failSendAt !== undefined && sends++ === failSendAt) throw Object.assign(new Error('down'), { name: 'QueueDoesNotExist' });
      calls.push(`send ${(m as Held).body}`);
      queues[q]!.push({ receiptHandle: `n${(m as Held).body}`, body: (m as Held).body });
    },
    delete: async (q, m) => {
      calls.push(`delete ${(m as Held).body}`);
      queues[q] = queues[q]!.filter((x) => x.receiptHandle !== m.receiptHandle);
    },
    release: async (_q, ms) => {
      calls.push(`release ${ms.length}`);
      ms.forEach((m) => hidden.delete(m.receiptHandle));
    },
  };
  return { port, queues, calls };
}

it('names the queues as runtime/resources.ts does, and the route offers exactly their DLQs', () => {
  expect(QUEUE_PAIRS.map((p) => [p.queue, p.dlq])).toEqual([
    ['rightsRequestQueue', 'rightsRequestDlq'],
    ...RECIPIENT_IDS.map((id) => [recipientQueueId(id), recipientDlqId(id)]),
  ]);
  expect([...REDRIVABLE_DLQS]).toEqual(QUEUE_PAIRS.map((p) => p.dlq));
});

describe('redriveDlq', () => {
  it('moves at most max, each sent before it is deleted, and reports the DLQ after', async () => {
    const { port, queues, calls } = memoryQueues(['a', 'b', 'c']);
    const result = await redriveDlq(port, 'rightsRequestDlq', 2);
    expect(result).toEqual({ dlq: 'rightsRequestDlq', queue: 'rightsRequestQueue', moved: 2, dlqDepth: { visible: 1, inFlight: 0, delayed: 0 } });
    expect(calls).toEqual(['receive 2', 'send a', 'delete a', 'send b', 'delete b']);
    expect(queues.rightsRequestQueue!.map((m) => m.body)).toEqual(['a', 'b']);
  });

  it('stops at an empty receive', async () => {
    const { port } = memoryQueues([]);
    expect((await redriveDlq(port, 'rightsRequestDlq', 100)).moved).toBe(0);
  });

  it('stops at a failed send, puts the rest back at once, and counts only what moved', async () => {
    const { port, queues, calls } = memoryQueues(['a', 'b', 'c'], 1);
    const result = await redriveDlq(port, 'rightsRequestDlq', 10);
    expect(result).toMatchObject({ moved: 1, interruptedBy: 'QueueDoesNotExist', dlqDepth: { visible: 2 } });
    expect(calls).toEqual(['receive 3', 'send a', 'delete a', 'release 2']);
    expect(queues.rightsRequestDlq!.map((m) => m.body)).toEqual(['b', 'c']);
  });

  it('refuses a queue that is not a DLQ', async () => {
    const { port } = memoryQueues(['a']);
    await expect(redriveDlq(port, 'rightsRequestQueue', 1)).rejects.toThrow(UnknownQueueError);
  });
});

describe('operationsOverview', () => {
  const requests = {
    countDueBefore: async (status: string) => (status === 'verified' ? 2 : 0),
    awaitingRecipientDeadlines: async (day?: string) =>
      day ? [{ requestId: 'r1', recipients: { 'app-service': { status: 'pending', answerBy: '2026-12-01' } } }] : [],
  } as unknown as Parameters<typeof overdueCounts>[0];

  it('counts overdue requests as the overdue job does', async () => {
    expect(await overdueCounts(requests, '2026-12-06')).toEqual({
      total: 3,
      byStatus: { received: 0, verified: 2, queued: 0, in_progress: 0, awaiting_recipients: 0 },
      waitingOnRecipients: 1,
    });
  });

  it('joins each job with its last run, and says alarms are not available without CloudWatch', async () => {
    const { port } = memoryQueues(['a']);
    const run = { jobId: 'retention', startedAt: 's', finishedAt: 'f', outcome: 'failed' as const, error: 'TimedOut' };
    const view = await operationsOverview({
      queues: { depth: (q) => port.depth(q).catch(() => ({ visible: 0, inFlight: 0, delayed: 0 })) },
      requests,
      runs: { lastRuns: async () => [run] },
      jobs: [{ id: 'overdueRequests', schedule: 'rate(1 hour)' }, { id: 'retention', schedule: 'rate(1 day)' }],
      now: () => new Date('2026-12-06T10:00:00Z'),
    });
    expect(view.jobs).toEqual([{ job: 'overdueRequests', schedule: 'rate(1 hour)' }, { job: 'retention', schedule: 'rate(1 day)', lastRun: run }]);
    expect(view.alarms).toEqual({ available: false, reason: expect.stringMatching(/^not available locally/) });
    expect(view.queues[0]).toMatchObject({ queue: 'rightsRequestQueue', dlqDepth: { visible: 1 } });
  });

  it('lists the alarms it can read, and when CloudWatch fails keeps the rest of the view and names only the error class', async () => {
    const { port } = memoryQueues(['a']);
    const base = {
      queues: { depth: (q: string) => port.depth(q).catch(() => ({ visible: 0, inFlight: 0, delayed: 0 })) },
      requests,
      runs: { lastRuns: async () => [] },
      jobs: [{ id: 'retention', schedule: 'rate(1 day)' }],
      now: () => new Date('2026-12-06T10:00:00Z'),
    };
    const firing = { name: 'dlq-not-empty', state: 'ALARM' as const };
    const read = await operationsOverview({ ...base, alarms: { alarms: async () => [firing] } });
    expect(read.alarms).toEqual({ available: true, alarms: [firing] });

    const denied = Object.assign(new Error('User arn:aws:iam::1:user/x is not authorized'), { name: 'AccessDeniedException' });
    const failed = await operationsOverview({ ...base, alarms: { alarms: async () => Promise.reject(denied) } });
    expect(failed.alarms).toEqual({ available: false, reason: expect.stringContaining('AccessDeniedException') });
    expect(JSON.stringify(failed.alarms)).not.toContain('not authorized');
    expect(failed.jobs).toEqual([{ job: 'retention', schedule: 'rate(1 day)' }]);
    expect(failed.queues.length).toBeGreaterThan(0);
  });
});
