/**
 * How long each store keeps what it holds, in one place: the CDK stacks (`lib/config.ts`, `lib/stateful-stack.ts`) build
 * lifecycle rules, TTLs, queue retention and log-group retention from these numbers, and the inventory states them in its
 * retention texts, so what the data map and the RoPA say cannot drift from what is deployed.
 *
 * Pure data: no AWS or CDK types, so handlers, the CDK app and the document generators can all import it.
 */

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * Retention of every CloudWatch log group (functions, API access logs, the trail's log group) and of the S3 server access
 * logs, per stage. Each must be a value CloudWatch Logs accepts (`RetentionDays`); `lib/config.ts` checks that.
 */
export const LOG_RETENTION_DAYS: Readonly<Record<Stage, number>> = { dev: 7, staging: 30, prod: 90 };

/** Audit records (audit table TTL written by the app, CloudTrail log files in S3): 13 months, enough for a yearly review. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 395;

/**
 * Breach records (the incidents table, Art. 33(5) documentation) are kept this long after their last change (TTL). The
 * GDPR sets no period; the record must let the supervisory authority verify compliance, so it should outlive the time in
 * which an authority may still act on the breach. Five years covers the limitation periods for fines of the member
 * states we know of (e.g. Germany three years, France six years from the facts unless acted on); a deployment subject to a
 * longer one sets its own.
 */
export const INCIDENT_RETENTION_YEARS = 5;

/** Export and access-report files expire this long after they are written (bucket lifecycle). */
export const EXPORT_EXPIRY_DAYS = 7;
/** An overwritten or deleted export version is gone this long after (bucket lifecycle, noncurrent versions). */
export const EXPORT_NONCURRENT_EXPIRY_DAYS = 1;
/** Overwritten or deleted CloudTrail log file versions expire this long after (bucket lifecycle). */
export const TRAIL_NONCURRENT_EXPIRY_DAYS = 30;

/** SQS retention of the rights-request queue and of its DLQ. */
export const QUEUE_RETENTION_DAYS = 4;
export const DLQ_RETENTION_DAYS = 14;

/** Stages that also deliver CloudTrail events to a CloudWatch Logs group (S3 delivery is always on). */
export const TRAIL_TO_CLOUDWATCH_LOGS: Readonly<Record<Stage, boolean>> = { dev: false, staging: false, prod: true };

/** `7 days (dev), 30 days (staging), 90 days (prod)`: a per-stage number in words. */
export function perStage(days: Readonly<Record<Stage, number>>, stages: readonly Stage[] = STAGES): string {
  return stages.map((s) => `${days[s]} days (${s})`).join(', ');
}
