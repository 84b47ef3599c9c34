/**
 * Scheduled jobs, declared like routes and workers: the API stack gives each a function (grants from `personalData`), an
 * EventBridge rule on `schedule` and an alarm on its metric; the local cloud runs each at start-up and on an interval.
 */
import type { PurposeId } from './purposes';
import { ACTIVITY_FIELDS, NOTICE_FIELDS, OUTBOX_FIELDS, SUBJECT_OUTBOX_FIELDS, QUEUE_JOB_FIELDS, RETENTION_FIELDS, touches, withAudit, type CryptoUse, type DataTouch, type RouteSetting } from './http/route-definition';

export interface ScheduleDefinition {
  /** Stable id: names the Lambda function, the rule and the alarm. */
  readonly id: string;
  /** The handler file, `lambdas/handlers/<handler>.ts`. */
  readonly handler: string;
  readonly description: string;
  /** EventBridge schedule expression: `rate(1 hour)`, `cron(0 6 * * ? *)`. */
  readonly schedule: string;
  readonly timeoutSeconds: number;
  readonly personalData: readonly DataTouch[];
  /** The CloudWatch metric the job emits (dimension `stage`), alarmed on as soon as it is above zero. */
  readonly metric: { readonly namespace: string; readonly name: string; readonly alarm: string };
  /** As for routes: KMS uses, deploy-time settings, and the purpose its audit entries name. */
  readonly crypto?: readonly CryptoUse[];
  readonly settings?: readonly RouteSetting[];
  readonly purpose?: PurposeId;
}

export const METRICS_NAMESPACE = 'ForgetMeNot';

/**
 * Every job records the end of each run (`runtime/scheduled-job.ts`): its last run, outcome and counts, which the
 * operations view shows (GET /v1/admin/operations). Job ids, times and numbers only.
 */
export const JOB_RUN_WRITE = touches('jobRuns', ['write'], ['jobId', 'startedAt', 'finishedAt', 'outcome', 'counts', 'error']);

export const overdueRequestsJob: ScheduleDefinition = {
  id: 'overdueRequests',
  handler: 'overdue-requests',
  description:
    'Counts open rights requests past their due date (Art. 12(3)), or waiting for a recipient past its deadline to acknowledge, ' +
    'and emits the OverdueRightsRequests metric.',
  schedule: 'rate(1 hour)',
  timeoutSeconds: 60,
  // Counts on the byStatus index (status, dueAt), and for requests awaiting recipients each recipient's deadline and status
  // (a projection that leaves out a recipient's free-text reason): no personal value is read, so there is no audit entry.
  personalData: [touches('rightsRequests', ['read'], ['status', 'dueAt', 'requestId', 'recipients']), JOB_RUN_WRITE],
  metric: {
    namespace: METRICS_NAMESPACE,
    name: 'OverdueRightsRequests',
    alarm:
      'A data-subject request is past its legal deadline, or waits for a recipient past its deadline: answer, extend, chase ' +
      'the recipient or complete without it (GET /v1/admin/requests?overdue=true, GET /v1/admin/requests?status=awaiting_recipients).',
  },
};

/**
 * Storage limitation for accounts (`domain/retention.ts`): daily, finds accounts without a login for the retention period on
 * the sparse activity index (a Query per month, no Scan), records a notice, and after the grace period files an erasure
 * request (origin `retention`) that the rights workers carry out like a subject's own. A legal hold stops both, and so does
 * the subject's restriction of processing (Art. 18(1)(c): they need the data for a legal claim). Inactive admins are
 * counted (metric InactiveAdmins) for the other admins, never noticed or erased.
 */
export const retentionJob: ScheduleDefinition = withAudit({
  id: 'retention',
  handler: 'retention',
  description: 'Inactive accounts: records a notice, then after the grace period files an erasure request (legal hold and restriction excepted).',
  schedule: 'rate(1 day)',
  timeoutSeconds: 300,
  personalData: [
    touches('users', ['read', 'write'], ['subjectId', ...ACTIVITY_FIELDS, ...NOTICE_FIELDS, ...RETENTION_FIELDS]),
    // Roles only to spare admins (reported, never erased by the job).
    touches('users', ['read'], ['roles']),
    touches('rightsRequests', ['read', 'write'], [
      'requestId', 'subjectId', 'type', 'status', 'mode', 'receivedAt', 'createdAt', 'dueAt', 'originalDueAt', 'history', 'origin', 'updatedAt',
    ]),
    touches('rightsRequestQueue', ['write'], ['requestId', 'kind']),
    // The restriction's projection item: read with each account, and checked again in the notice's and filing's transaction.
    touches('consent', ['read'], ['subjectId', 'sk', 'lastAction', 'at']),
    // The subject is told of the request it files (and of a move to verified when it cannot be queued).
    touches('consent', ['write'], [...SUBJECT_OUTBOX_FIELDS]),
    JOB_RUN_WRITE,
  ],
  purpose: 'account',
  settings: ['retention', 'rightsModes'],
  metric: {
    namespace: METRICS_NAMESPACE,
    name: 'RetentionNeedsAttention',
    alarm:
      'A retention erasure could not be queued (approve it: GET /v1/admin/requests?status=verified), or an account could ' +
      'not be processed (see the retention job log).',
  },
});

/**
 * Lost jobs (`domain/jobs.ts`): a request is committed as queued, then its job is sent; a crash in between (create-request,
 * approve, the retention job) leaves it queued with no message. Every 5 minutes this job finds requests queued with no
 * change for 10 minutes on the byStatus index (a Query on the `queued` partition, no Scan) and sends their job again; the
 * worker is idempotent, so a message that was only late costs a skipped duplicate.
 *
 * Why a sweeper and not an outbox on a DynamoDB stream: it needs no stream consumer, it works the same on the local cloud
 * (DynamoDB Local and the local scheduler) as on AWS, and it also recovers a send lost to an SQS outage, not only to a
 * crash. The price is up to 15 minutes' delay for the rare lost job.
 */
export const resendLostJobsJob: ScheduleDefinition = {
  id: 'resendLostJobs',
  handler: 'resend-lost-jobs',
  description: 'Re-sends the job of rights requests queued for 10 minutes with no progress (a crash between commit and send).',
  schedule: 'rate(5 minutes)',
  timeoutSeconds: 60,
  // Ids, types, states and change times only (index projection): no personal field is read or written, so no audit entry.
  personalData: [
    touches('rightsRequests', ['read', 'write'], ['requestId', 'type', 'status', 'updatedAt']),
    touches('rightsRequestQueue', ['write'], [...QUEUE_JOB_FIELDS]),
    JOB_RUN_WRITE,
  ],
  metric: {
    namespace: METRICS_NAMESPACE,
    name: 'RightsJobsResent',
    alarm:
      'A rights request sat queued with no job message (a crash or a queue outage between commit and send); its job was ' +
      'sent again, or could not be (see the resendLostJobs log). Repeated re-sends of one request: check the DLQ.',
  },
};

/**
 * The recipients' outbox (`domain/recipient-outbox.ts`): rectification, restriction and withdrawn consent record a pending
 * recipient event in the transaction of the change; every minute this job publishes the oldest (one message per concerned
 * recipient, through the same publisher as the rights worker) and deletes each once published. A failed publish keeps the
 * item for the next run, and the metric raises the alarm.
 *
 * Why a schedule and not a DynamoDB stream, nor a publish in the request path: as for lost jobs, no stream consumer to run,
 * the same on the local cloud as on AWS, and it recovers from an SNS outage as well as from a crash; the request path
 * stays one transaction. And only this function needs what adding the email takes (the profile and the data key), not
 * every route that records a change. The price is up to a minute before recipients hear of it; they have days to act.
 */
export const drainRecipientOutboxJob: ScheduleDefinition = withAudit({
  id: 'drainRecipientOutbox',
  handler: 'drain-recipient-outbox',
  description:
    "Publishes the outbox's pending events (recipients: rectification, restriction, consent withdrawn; the subject: a rights " +
    "request's changes) recorded with each change, then deletes them.",
  schedule: 'rate(1 minute)',
  timeoutSeconds: 60,
  personalData: [
    // The sparse byOutbox index (whole items: ids, types, field names), and the delete of each published one.
    touches('consent', ['read', 'delete'], [...OUTBOX_FIELDS, ...SUBJECT_OUTBOX_FIELDS]),
    // The email, only for an event a recipient that finds the subject by email must hear of.
    touches('users', ['read'], ['subjectId', 'profile']),
    touches('subjectKeys', ['read'], ['subjectId', 'wrappedKey', 'createdAt']),
    // `previous`: the email before an email change, opened from the outbox item
    touches('recipientEvents', ['write'], ['subjectId', 'email', 'previous']),
    // A rights request's changes, as they were written to the outbox (subject id, and the reason written for the subject).
    touches('subjectEvents', ['write'], ['subjectId', 'reason']),
    JOB_RUN_WRITE,
  ],
  crypto: ['subjectKeys'],
  purpose: 'accountability',
  metric: {
    namespace: METRICS_NAMESPACE,
    name: 'RecipientEventsNotPublished',
    alarm:
      "A recipient event (rectification, restriction, consent withdrawn) could not be published; it stays in the outbox and " +
      'is retried every minute (see the drainRecipientOutbox log: SNS or KMS errors).',
  },
});

export const schedules: readonly ScheduleDefinition[] = [overdueRequestsJob, retentionJob, resendLostJobsJob, drainRecipientOutboxJob];
