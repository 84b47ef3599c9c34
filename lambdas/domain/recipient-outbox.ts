/**
 * The recipients' outbox: rectification, restriction and withdrawn consent happen in the request path, and a publish after
 * the write would lose the event whenever it failed (the change is committed, the subject may even have had a 200). So the
 * use case writes a pending event in the same transaction as the change, and a scheduled job (`drainRecipientOutbox`)
 * publishes it and then deletes it. A failed publish leaves the item for the next run; a crash between publish and delete
 * publishes it again, with the same message ids (stable per source, recipient and type), which recipients deduplicate.
 *
 * Pending events hold ids, types, field names and a purpose: never a value. The identifiers a recipient finds the subject
 * by (the email for the email provider) are added by the job as it publishes, from the account as it is then.
 *
 * The same outbox carries the subject's own events (a rights request's changes, `subject-events.ts`): the job publishes
 * those to the subject-events topic as they were written, with no identifier to add.
 *
 * Main course of `drainRecipientOutbox`:
 *   1. take the oldest pending events, at most `limit`;
 *   2. for each, read the identifiers its recipients need (only the subject id when none needs more);
 *   3. publish (one message per concerned recipient), then delete the pending event; a failure keeps it for the next run;
 *   4. report how many went out, how many failed, and the age of the oldest still waiting.
 *
 * Publishing one event after another bound the whole system near 400 events a second (one SNS round trip each; bench P7),
 * so the batch is published as chains: a subject's events for one topic stay in order, one after the other, and a failed
 * one holds back the rest of its chain (a recipient must never see a restriction lifted before it was set); chains of
 * different subjects go out side by side, at most PUBLISHES_IN_FLIGHT at once.
 */
import { randomUUID } from 'node:crypto';
import type { ConsentEvent } from './consent';
import type { ProfileField } from './accounts';
import { identifiersFor, type DataRef } from '../recipients';
import { PROFILE_FIELD_CATEGORIES } from '../inventory';
import type { PurposeId } from '../purposes';
import { recipientsConcerned, type EventSource, type RecipientEvent, type RecipientEventPublisher, type SubjectIdentifiers } from './recipient-events';
import type { SubjectEvent, SubjectEventPublisher } from './subject-events';

/** The subject-cipher field name the previous email is sealed under (binds the ciphertext to its use). */
export const PREVIOUS_EMAIL_FIELD = 'outbox.previousEmail';

/** A recipient event as the outbox keeps it: the subject by id only, nothing a recipient is told about the subject's values. */
export type PendingRecipientEvent =
  | PendingBase & { readonly type: 'restriction-set' | 'restriction-lifted' }
  | PendingBase & {
      readonly type: 'rectification';
      readonly fields: readonly DataRef[];
      /**
       * The email before the change, sealed under the subject's data key (`subject-cipher`, field `outbox.previousEmail`):
       * the email provider finds its subscriber by it. Sealed, it is gone with the subject's key; the item itself lives in
       * the subject's consent partition, which an erasure deletes.
       */
      readonly previousEmailSealed?: string;
    }
  | PendingBase & { readonly type: 'consent-withdrawn'; readonly purpose: PurposeId };

interface PendingBase {
  readonly subjectId: string;
  readonly source: EventSource;
  /** When the change happened, ISO 8601: the recipients' deadline counts from here. */
  readonly at: string;
}

/** The event a pending one becomes once the identifiers are known. */
export function eventOf(pending: PendingRecipientEvent, subject: SubjectIdentifiers, identifiersLost: boolean): RecipientEvent {
  const { subjectId: _s, ...rest } = pending;
  if ('previousEmailSealed' in rest) delete (rest as { previousEmailSealed?: string }).previousEmailSealed;
  return { ...rest, subject, ...(identifiersLost ? { identifiersLost: true as const } : {}) } as RecipientEvent;
}

/** Only events some recipient is concerned by go to the outbox: the rest would publish nothing. */
function ifAnyRecipient(pending: PendingRecipientEvent): PendingRecipientEvent | undefined {
  return recipientsConcerned(eventOf(pending, { subjectId: pending.subjectId }, false)).length > 0 ? pending : undefined;
}

/**
 * The recipient event a consent decision causes: a restriction set or lifted (every holder, Art. 19), a consent withdrawn
 * for a purpose some recipient serves. Grants and objections tell nobody.
 */
export function consentOutboxEvent(event: ConsentEvent): PendingRecipientEvent | undefined {
  const base = { subjectId: event.subjectId, source: { kind: 'consent-event', id: event.eventId } as const, at: event.at };
  switch (event.action) {
    case 'restrict':
      return ifAnyRecipient({ ...base, type: 'restriction-set' });
    case 'lift-restriction':
      return ifAnyRecipient({ ...base, type: 'restriction-lifted' });
    case 'withdraw':
      return event.topic === 'restriction' ? undefined : ifAnyRecipient({ ...base, type: 'consent-withdrawn', purpose: event.topic });
    default:
      return undefined;
  }
}

const profileRef = (field: string): DataRef | undefined =>
  Object.hasOwn(PROFILE_FIELD_CATEGORIES, field) ? (`users.profile.${field}` as DataRef) : undefined;

/** The subject corrected their own profile (PATCH /v1/me): the changed fields' names, for the recipients receiving one. */
export function profileChangeOutboxEvent(
  subjectId: string,
  changed: readonly ProfileField[],
  at: Date,
  id: string = randomUUID(),
  previousEmailSealed?: string,
): PendingRecipientEvent | undefined {
  const fields = changed.map(profileRef).filter((f): f is DataRef => f !== undefined);
  if (fields.length === 0) return undefined;
  const previous = previousEmailSealed && changed.includes('email' as ProfileField) ? { previousEmailSealed } : {};
  return ifAnyRecipient({ subjectId, source: { kind: 'profile-change', id }, at: at.toISOString(), type: 'rectification', fields, ...previous });
}

/** An admin completed a rectification request: its fields (`profile.<name>`) for the recipients receiving one. */
export function rectificationOutboxEvent(
  request: { readonly requestId: string; readonly subjectId: string; readonly fields?: readonly string[] },
  at: Date,
): PendingRecipientEvent | undefined {
  // A request kept under a pseudonym (its subject erased) has no recipient left to tell: the erasure told them.
  if (request.subjectId.startsWith('erased#')) return undefined;
  const fields = (request.fields ?? [])
    .map((f) => (f.startsWith('profile.') ? profileRef(f.slice('profile.'.length)) : undefined))
    .filter((f): f is DataRef => f !== undefined);
  if (fields.length === 0) return undefined;
  return ifAnyRecipient({
    subjectId: request.subjectId,
    source: { kind: 'rights-request', id: request.requestId },
    at: at.toISOString(),
    type: 'rectification',
    fields,
  });
}

/** A pending event as stored, with the key the job deletes it by. */
export interface StoredPendingEvent {
  readonly key: string;
  readonly event: PendingRecipientEvent;
}

/** A rights request's events for the subject (`subject-events.ts`), one item per write of the request. */
export interface StoredSubjectEvents {
  readonly key: string;
  readonly subjectId: string;
  readonly at: string;
  readonly subjectEvents: readonly SubjectEvent[];
}

export type StoredOutboxItem = StoredPendingEvent | StoredSubjectEvents;

export interface RecipientOutboxDeps {
  /** The oldest pending items, oldest first. */
  pending(limit: number): Promise<StoredOutboxItem[]>;
  /** Removes a published item (nothing if it is gone already). */
  done(stored: StoredOutboxItem): Promise<void>;
  /** The subject's email (for recipients that receive it), or undefined once the account or its key is gone. */
  emailOf(subjectId: string): Promise<string | undefined>;
  /** Opens a sealed previous email (`previousEmailSealed`), or undefined once the subject's key is gone. */
  previousEmailOf(subjectId: string, sealed: string): Promise<string | undefined>;
  readonly recipients: RecipientEventPublisher;
  /** The subject-events topic (`subject-events.ts`). */
  readonly subjects: SubjectEventPublisher;
  readonly now: () => Date;
  /** A failure, by class only (the event is kept for the next run). */
  readonly report: (what: string, error: unknown) => void;
}

export interface DrainResult {
  readonly published: number;
  readonly failed: number;
  /** Age in seconds of the oldest event still waiting after the run (0 when none is). */
  readonly oldestWaitingSeconds: number;
}

/** Events per batch of the drain job: each batch's reads are recorded (flushReads) before the next one is taken. */
export const DRAIN_BATCH = 100;

/** Chains published at once (each one SNS call at a time); the SNS client's sockets allow 50. */
export const PUBLISHES_IN_FLIGHT = 16;

/** Publishes the oldest pending events (see the module comment). */
export async function drainRecipientOutbox(deps: RecipientOutboxDeps, limit: number): Promise<DrainResult> {
  const batch = await deps.pending(limit);
  let published = 0;
  let failed = 0;
  let oldestWaiting: number | undefined;
  const publishChain = async (chain: readonly StoredOutboxItem[]) => {
    for (const stored of chain) {
      try {
        if ('subjectEvents' in stored) await deps.subjects.publish(stored.subjectEvents);
        else await deps.recipients.publish(await eventWithIdentifiers(deps, stored.event));
        await deps.done(stored);
        published++;
      } catch (error) {
        failed++;
        // the rest of the chain waits behind it, and is older than nothing in it: the failed one is the chain's oldest
        const at = Date.parse(storedAt(stored));
        oldestWaiting = oldestWaiting === undefined ? at : Math.min(oldestWaiting, at);
        deps.report('subjectEvents' in stored ? 'subject events not published' : `recipient event ${stored.event.type} not published`, error);
        return;
      }
    }
  };
  const chains = [...chainsOf(batch).values()];
  let next = 0;
  const lane = async () => {
    while (next < chains.length) await publishChain(chains[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(PUBLISHES_IN_FLIGHT, chains.length) }, lane));
  const oldestWaitingSeconds = oldestWaiting === undefined ? 0 : Math.max(0, Math.floor((deps.now().getTime() - oldestWaiting) / 1000));
  return { published, failed, oldestWaitingSeconds };
}

function storedAt(stored: StoredOutboxItem): string {
  return 'subjectEvents' in stored ? stored.at : stored.event.at;
}

/** The batch as ordered chains, one per subject and topic (the recipients' topic, or the subject-events topic). */
function chainsOf(batch: readonly StoredOutboxItem[]): Map<string, StoredOutboxItem[]> {
  const chains = new Map<string, StoredOutboxItem[]>();
  for (const stored of batch) {
    const key = 'subjectEvents' in stored ? `subject:${stored.subjectId}` : `recipients:${stored.event.subjectId}`;
    const chain = chains.get(key);
    if (chain) chain.push(stored);
    else chains.set(key, [stored]);
  }
  return chains;
}

async function eventWithIdentifiers(deps: RecipientOutboxDeps, pending: PendingRecipientEvent): Promise<RecipientEvent> {
  const bare = eventOf(pending, { subjectId: pending.subjectId }, false);
  const needsEmail = recipientsConcerned(bare).some((r) => identifiersFor(r).includes('email'));
  if (!needsEmail) return bare;
  const email = await deps.emailOf(pending.subjectId);
  // The account is gone (erased meanwhile): the erasure told every recipient; those found only by email cannot be told more.
  if (!email) return eventOf(pending, { subjectId: pending.subjectId }, true);
  const sealed = pending.type === 'rectification' ? pending.previousEmailSealed : undefined;
  const previousEmail = sealed ? await deps.previousEmailOf(pending.subjectId, sealed) : undefined;
  return eventOf(pending, { subjectId: pending.subjectId, email, ...(previousEmail ? { previous: { email: previousEmail } } : {}) }, false);
}
