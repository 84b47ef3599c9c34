/** The operations view's and the DLQ redrive's schemas (GET /v1/admin/operations, POST …/queues/{queue}/redrive). */
import * as z from 'zod/mini';
import { lazySchema } from '../http/route-definition';
import { RECIPIENT_IDS } from '../recipients';
import { recipientDlqId } from '../runtime/resources';

/** The DLQs a redrive may name: the rights requests' and each recipient's (`QUEUE_PAIRS` in domain/operations.ts). */
export const REDRIVABLE_DLQS = ['rightsRequestDlq', ...RECIPIENT_IDS.map(recipientDlqId)] as const;

export const redriveParams = z.strictObject({
  queue: z.enum(REDRIVABLE_DLQS).check(z.describe('The dead-letter queue to move messages out of, back to its own queue.')),
});

/** At most this many messages per call (`REDRIVE_MAX`); call again for more. */
export const redriveBody = z
  .strictObject({
    max: z.optional(
      z.int().check(z.minimum(1), z.maximum(100), z.describe('How many messages to move at most (default 10, at most 100 per call).')),
    ),
  })
  .register(z.globalRegistry, { id: 'RedriveRequest' });

const depth = () =>
  z
    .object({ visible: z.int(), inFlight: z.int(), delayed: z.int() })
    .check(z.describe("SQS's approximate counters: waiting, received but not yet deleted, delayed. Never a message."));

export const redriveResult = lazySchema(() =>
  z
    .object({
      dlq: z.string(),
      queue: z.string().check(z.describe('The queue the messages went back to.')),
      moved: z.int().check(z.describe('Messages sent to the queue and then deleted from the DLQ.')),
      interruptedBy: z.optional(z.string().check(z.describe('A send failed: the error class; the rest stays in the DLQ.'))),
      dlqDepth: depth(),
    })
    .register(z.globalRegistry, { id: 'RedriveResult' }),
);

export const operationsOverview = lazySchema(() =>
  z
    .object({
      at: z.string(),
      queues: z.array(
        z.object({
          queue: z.string(),
          dlq: z.string(),
          carries: z.string(),
          recipient: z.optional(z.enum(RECIPIENT_IDS)),
          depth: depth(),
          dlqDepth: depth(),
        }),
      ),
      overdue: z
        .object({ total: z.int(), byStatus: z.record(z.string(), z.int()), waitingOnRecipients: z.int() })
        .check(z.describe('Open requests past their due date, by status, and those waiting on a recipient past its deadline.')),
      jobs: z.array(
        z.object({
          job: z.string(),
          schedule: z.string(),
          lastRun: z.optional(
            z.object({
              jobId: z.string(),
              startedAt: z.string(),
              finishedAt: z.string(),
              outcome: z.enum(['succeeded', 'failed']),
              counts: z.optional(z.record(z.string(), z.number())),
              error: z.optional(z.string().check(z.describe('The error class of a failed run (TimedOut: it reached its timeout).'))),
            }),
          ),
        }),
      ),
      recipients: z.array(
        z.object({
          recipient: z.enum(RECIPIENT_IDS),
          name: z.string(),
          kind: z.enum(['own-service', 'processor', 'third-party']),
          delivery: z.enum(['queue', 'webhook']),
          answerWithinDays: z.int(),
          status: z.enum(['ok', 'overdue', 'failing']),
          awaiting: z.object({ pending: z.int(), overdue: z.int(), failed: z.int() }),
        }),
      ),
      alarms: z.union([
        z.object({
          available: z.literal(true),
          alarms: z.array(
            z.object({
              name: z.string(),
              state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
              since: z.optional(z.string()),
              description: z.optional(z.string()),
            }),
          ),
        }),
        z.object({ available: z.literal(false), reason: z.string() }),
      ]),
    })
    .register(z.globalRegistry, { id: 'OperationsOverview' }),
);
