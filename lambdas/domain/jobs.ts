/**
 * Jobs on the rights-request queue. A message carries ids only, never personal values, so a message stuck in the DLQ or
 * read by an operator reveals nothing about anyone.
 *
 * The rights issue adds `export` and `erasure`; `probe` lets operators prove the queue → worker path end to end without
 * touching personal data.
 */
import { z } from 'zod';

export const probeJob = z.strictObject({ kind: z.literal('probe'), probeId: z.uuid() });

/** Carries out a rights request; the message holds its id only. */
export const requestJob = z.strictObject({ kind: z.enum(['export', 'access', 'erasure']), requestId: z.uuid() });

export const rightsJob = z.union([probeJob, requestJob]);
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

export interface JobOutcome {
  readonly kind: RightsJob['kind'];
  readonly done: boolean;
}
