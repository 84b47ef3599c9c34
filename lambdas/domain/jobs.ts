/**
 * Jobs on the rights-request queue. A message carries ids only, never personal values, so a message stuck in the DLQ or
 * read by an operator reveals nothing about anyone.
 *
 * The rights issue adds `export` and `erasure`; breach response adds `breach-scope`; `probe` lets operators prove the queue → worker path end to end without
 * touching personal data.
 */
import * as z from 'zod/mini';

export const probeJob = z.strictObject({ kind: z.literal('probe'), probeId: z.uuid() });

/** Carries out a rights request; the message holds its id only. */
export const requestJob = z.strictObject({ kind: z.enum(['export', 'access', 'erasure']), requestId: z.uuid() });

/** Computes an incident's breach scope (domain/incidents.ts); the message holds the incident's and the job's ids only. */
export const breachScopeJob = z.strictObject({ kind: z.literal('breach-scope'), incidentId: z.uuid(), jobId: z.uuid() });

export const rightsJob = z.union([probeJob, requestJob, breachScopeJob]);
export type RightsJob = z.infer<typeof rightsJob>;

export class UnknownJobError extends Error {
  constructor() {
    super('Message is not a known rights job');
    this.name = 'UnknownJobError';
  }
}

/** Parses a queue message body; malformed messages throw so the batch reports them and they end in the DLQ. */
export function parseJob(body: string): RightsJob {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new UnknownJobError();
  }
  const parsed = rightsJob.safeParse(value);
  if (!parsed.success) throw new UnknownJobError();
  return parsed.data;
}

/**
 * Lost jobs. A request is recorded as `queued` before its job is sent (so the worker never meets a request still moving);
 * a crash between that commit and the send leaves it queued with no message. The job that re-sends them finds requests
 * queued with no change for `RESEND_AFTER_MINUTES`: the worker moves a request out of `queued` within seconds of its
 * message, so a quiet queued request has lost its message, or sits behind a backlog (a second message is harmless there:
 * the worker is idempotent).
 */
export const RESEND_AFTER_MINUTES = 10;

export type ResendDecision =
  /** Recently queued (or re-sent): its message may still be on its way. */
  | { readonly action: 'wait' }
  /** Queued with no change for the threshold: send its job again. */
  | { readonly action: 'resend' };

/** Whether a queued request's job is sent again at `now`: when it has not changed for `afterMinutes` (boundary included). */
export function resendDecision(
  request: { readonly status: string; readonly updatedAt: string },
  now: Date,
  afterMinutes = RESEND_AFTER_MINUTES,
): ResendDecision {
  if (request.status !== 'queued') return { action: 'wait' };
  const updated = Date.parse(request.updatedAt);
  if (Number.isNaN(updated)) throw new RangeError('Invalid date');
  return now.getTime() - updated >= afterMinutes * 60_000 ? { action: 'resend' } : { action: 'wait' };
}
