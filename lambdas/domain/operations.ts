/**
 * Operations health as plain rules: what the admins' operations view shows (queues, overdue requests, the scheduled jobs'
 * last runs, the recipients, the alarms) and the redrive of a dead-letter queue. No AWS types: the queues, the alarms
 * and the job runs are ports (`adapters/sqs-operations.ts`, `adapters/cloudwatch-alarms.ts`, `adapters/dynamo-job-runs.ts`).
 *
 * Nothing here reads a message: queues are seen through their counters, and a redrive moves messages without looking
 * into them (a recipient's message carries the identifiers it is declared to receive).
 */
import { RECIPIENT_IDS, type RecipientId } from '../recipients';
import type { JobRun, JobRunLog } from './job-runs';
import { overdueRecipients, recipientsOverview, type RecipientOverview } from './recipient-acks';
import { OPEN_STATUSES, type RequestStatus, type RightsRequest } from './rights';

/**
 * A queue the backend runs and the dead-letter queue its failed messages go to, by the ids `runtime/resources.ts` gives
 * them (`rightsRequestQueue`, `recipient-<id>`, `recipient-<id>-dlq`); spelled here because the domain imports no runtime.
 */
export interface QueuePair {
  readonly queue: string;
  readonly dlq: string;
  /** What its messages are, in a few words. */
  readonly carries: string;
  readonly recipient?: RecipientId;
}

/** Every queue with a DLQ: the rights requests' jobs, and each recipient's events (its webhook dispatcher's, if it has one). */
export const QUEUE_PAIRS: readonly QueuePair[] = [
  { queue: 'rightsRequestQueue', dlq: 'rightsRequestDlq', carries: 'rights-request jobs (request ids)' },
  ...RECIPIENT_IDS.map((recipient) => ({
    queue: `recipient-${recipient}`,
    dlq: `recipient-${recipient}-dlq`,
    carries: `events for the recipient ${recipient}`,
    recipient,
  })),
];

/** The DLQ ids a redrive may name. */
export const DLQ_IDS: readonly string[] = QUEUE_PAIRS.map((pair) => pair.dlq);

/** SQS's approximate counters: messages waiting, received and not yet deleted (in flight), and delayed. */
export interface QueueDepth {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

/** One message on its way between two queues: its body and attributes, never looked into. */
export interface MovingMessage {
  readonly receiptHandle: string;
}

/** The queues, by their ids (QUEUE_PAIRS): counters, and the four calls a redrive makes. */
export interface OperatedQueues {
  depth(queue: string): Promise<QueueDepth>;
  /** Up to `max` (at most 10) messages, hidden from other receivers for as long as a move takes. */
  receive(queue: string, max: number): Promise<MovingMessage[]>;
  /** Sends the message's body and attributes, unchanged, to `queue`. */
  send(queue: string, message: MovingMessage): Promise<void>;
  delete(queue: string, message: MovingMessage): Promise<void>;
  /** Makes messages visible again at once (a move that stopped half-way). */
  release(queue: string, messages: readonly MovingMessage[]): Promise<void>;
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmState {
  readonly name: string;
  readonly state: AlarmStateValue;
  /** When it last changed state. */
  readonly since?: string;
  /** What the alarm means and what to do (the alarm's description, from lib/). */
  readonly description?: string;
}

/** The deployment's alarms; absent where there is no CloudWatch (the local cloud). */
export interface AlarmReader {
  alarms(): Promise<AlarmState[]>;
}

/** What the overdue counts read: the byStatus index (counts, and each awaited recipient's deadline and status). */
export interface OverdueRequestsReader {
  countDueBefore(status: RequestStatus, day: string): Promise<number>;
  awaitingRecipientDeadlines(day?: string): Promise<Pick<RightsRequest, 'requestId' | 'recipients'>[]>;
}

export interface OverdueCounts {
  /** Open requests past their due date plus those waiting on a recipient past its deadline. */
  readonly total: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Requests within their own due date that wait for a recipient past its deadline. */
  readonly waitingOnRecipients: number;
}

/**
 * How many requests are overdue on `day` (the overdue job's count, and the operations view's):
 * 1. each open status counted on the index with `dueAt < day`; 2. among requests awaiting recipients and not counted yet,
 * those with a recipient past its deadline; 3. the sum.
 */
export async function overdueCounts(requests: OverdueRequestsReader, day: string): Promise<OverdueCounts> {
  const counts = await Promise.all(OPEN_STATUSES.map(async (status) => [status, await requests.countDueBefore(status, day)] as const));
  const awaiting = await requests.awaitingRecipientDeadlines(day);
  const waitingOnRecipients = awaiting.filter((r) => overdueRecipients(r.recipients, day).length > 0).length;
  return {
    total: counts.reduce((sum, [, n]) => sum + n, 0) + waitingOnRecipients,
    byStatus: Object.fromEntries(counts),
    waitingOnRecipients,
  };
}

export interface QueueHealth extends QueuePair {
  readonly depth: QueueDepth;
  readonly dlqDepth: QueueDepth;
}

export interface JobHealth {
  readonly job: string;
  readonly schedule: string;
  readonly lastRun?: JobRun;
}

export type AlarmsView = { readonly available: true; readonly alarms: readonly AlarmState[] } | { readonly available: false; readonly reason: string };

export interface OperationsOverview {
  readonly at: string;
  readonly queues: readonly QueueHealth[];
  readonly overdue: OverdueCounts;
  readonly jobs: readonly JobHealth[];
  readonly recipients: readonly RecipientOverview[];
  readonly alarms: AlarmsView;
}

export interface OperationsDeps {
  readonly queues: Pick<OperatedQueues, 'depth'>;
  readonly requests: OverdueRequestsReader;
  readonly runs: Pick<JobRunLog, 'lastRuns'>;
  /** The scheduled jobs (`lambdas/schedules.ts`): ids and schedules. */
  readonly jobs: readonly { readonly id: string; readonly schedule: string }[];
  readonly alarms?: AlarmReader;
  readonly now: () => Date;
}

/** Said instead of alarm states where the API cannot see CloudWatch; never a made-up "OK". */
export const ALARMS_NOT_AVAILABLE = 'not available locally: the local cloud has no CloudWatch (on AWS this lists the stage\'s alarms)';

/**
 * The alarms, or why there are none. CloudWatch refusing or failing (throttled, a missing permission) costs the view its
 * alarms only, never the queues and counts a person came to read: the reason names the error's class, never a message.
 */
async function readAlarms(reader: AlarmReader | undefined): Promise<AlarmsView> {
  if (!reader) return { available: false, reason: ALARMS_NOT_AVAILABLE };
  try {
    return { available: true, alarms: await reader.alarms() };
  } catch (error) {
    return { available: false, reason: `CloudWatch could not be read (${error instanceof Error ? error.name : 'unknown error'}); the other parts are current` };
  }
}

/**
 * The operations view, every part read at once:
 * 1. each queue's and its DLQ's counters (never a message); 2. the overdue counts; 3. each job with its last run (a job
 * that never ran has none); 4. the recipients' state (as GET /v1/admin/recipients); 5. the alarms, or why there are none.
 */
export async function operationsOverview(deps: OperationsDeps): Promise<OperationsOverview> {
  const now = deps.now();
  const day = now.toISOString().slice(0, 10);
  const [queues, overdue, runs, awaiting, alarms] = await Promise.all([
    Promise.all(QUEUE_PAIRS.map(async (pair) => ({ ...pair, depth: await deps.queues.depth(pair.queue), dlqDepth: await deps.queues.depth(pair.dlq) }))),
    overdueCounts(deps.requests, day),
    deps.runs.lastRuns(deps.jobs.map((j) => j.id)),
    deps.requests.awaitingRecipientDeadlines(),
    readAlarms(deps.alarms),
  ]);
  const runOf = new Map(runs.map((run) => [run.jobId, run]));
  return {
    at: now.toISOString(),
    queues,
    overdue,
    jobs: deps.jobs.map((job) => ({ job: job.id, schedule: job.schedule, ...(runOf.has(job.id) ? { lastRun: runOf.get(job.id)! } : {}) })),
    recipients: recipientsOverview(awaiting, day),
    alarms,
  };
}

/** Messages one redrive call moves at most: a call stays well inside the API's 29 seconds; call again for more. */
export const REDRIVE_MAX = 100;

export class UnknownQueueError extends Error {
  constructor(readonly queue: string) {
    super(`no dead-letter queue named ${queue}: one of ${DLQ_IDS.join(', ')}`);
    this.name = 'UnknownQueueError';
  }
}

export interface RedriveResult {
  readonly dlq: string;
  readonly queue: string;
  /** Sent to the source queue and deleted from the DLQ. */
  readonly moved: number;
  /** Set when a send failed and the move stopped there (the error's class name): the rest stays in the DLQ. */
  readonly interruptedBy?: string;
  /** The DLQ's counters after the move (approximate, as SQS's are). */
  readonly dlqDepth: QueueDepth;
}

/**
 * Moves up to `max` messages from a DLQ back to its source queue, oldest receive first:
 * 1. find the pair (else UnknownQueueError); 2. receive a batch, send each message, then delete it from the DLQ (sent
 * before deleted: a failure in between duplicates a message, which the workers and recipients take as a repeat, and never
 * loses one); a failed send releases the rest of the batch at once and ends the move, said in the result;
 * 3. stop at `max` or when a receive comes back empty; 4. the DLQ's counters after the move.
 *
 * The same loop runs on AWS and locally (fauxqs has no StartMessageMoveTask), bounded per call, and `moved` counts the
 * messages actually moved.
 */
export async function redriveDlq(queues: OperatedQueues, dlq: string, max: number): Promise<RedriveResult> {
  const pair = QUEUE_PAIRS.find((p) => p.dlq === dlq);
  if (!pair) throw new UnknownQueueError(dlq);
  let moved = 0;
  let interruptedBy: string | undefined;
  while (moved < max && !interruptedBy) {
    const batch = await queues.receive(pair.dlq, Math.min(10, max - moved));
    if (batch.length === 0) break;
    for (const [i, message] of batch.entries()) {
      try {
        await queues.send(pair.queue, message);
      } catch (error) {
        await queues.release(pair.dlq, batch.slice(i));
        interruptedBy = error instanceof Error ? error.name : 'Error';
        break;
      }
      await queues.delete(pair.dlq, message);
      moved++;
    }
  }
  return { dlq: pair.dlq, queue: pair.queue, moved, ...(interruptedBy ? { interruptedBy } : {}), dlqDepth: await queues.depth(pair.dlq) };
}
