/**
 * Telling the subject (issue 14, item 6): every change of a rights request's state, and every extension of its deadline,
 * becomes an event on the subject-events topic, which the app's mailer subscribes to ("your export is ready", "we need
 * more time, because …"). The events carry what a mailer needs to pick and fill a message, and nothing about the person
 * beyond the subject id it looks the address up by.
 *
 * They go through the recipients' outbox (`recipient-outbox.ts`): the write that changes the request also writes the
 * pending events, in the same transaction, and the drain job publishes them. `subjectEventsOf` is called by the requests
 * adapter on every write of a request, so every transition (including states added later) is told without the use case
 * doing anything.
 *
 * Main course of `subjectEventsOf(previous, next)`:
 *   1. the history entries `next` has beyond `previous` (all of them for a new request): one event each;
 *   2. an entry that extends the deadline (same state, a new `extension`) is an `extended` event with the extension's reason;
 *   3. each event gets an id stable per request and history position: a drain that publishes twice sends the same ids.
 */
import type { RequestStatus, RequestType, RightsRequest } from './rights';

export const SUBJECT_EVENT_FORMAT = 'forget-me-not/subject-event@1';

/** `status`: the request moved to `status`; `extended`: its deadline moved to `dueAt`, for `reason`. */
export type SubjectEventKind = 'status' | 'extended';

/** One event as published (the message body). Every key is listed in `SUBJECT_EVENT_KEYS`. */
export interface SubjectEvent {
  readonly format: typeof SUBJECT_EVENT_FORMAT;
  /** `<requestId>:<n>`, n the position in the request's history: stable, so a mailer deduplicates on it. */
  readonly eventId: string;
  readonly kind: SubjectEventKind;
  readonly requestId: string;
  readonly requestType: RequestType;
  readonly status: RequestStatus;
  /** The position of the change in the request's history, from 0: the order to read events of one request in. */
  readonly sequence: number;
  /** When the change happened, ISO 8601. */
  readonly at: string;
  /** YYYY-MM-DD: the answer is due by the end of this day (the extended date once extended). */
  readonly dueAt: string;
  /** Who made the change, as a role: `subject`, `admin`, `worker` or `system`. */
  readonly by: string;
  /**
   * The text written for the subject with the change: a rejection's or extension's reason, an admin's completion note,
   * or one of the service's fixed sentences. Absent when there is none, and after erasure (free text is not kept).
   */
  readonly reason?: string;
  /** An export or access report ready to download (GET /v1/me/requests/{requestId}/download). */
  readonly downloadable?: boolean;
  /** Whom to tell, by subject id; absent once the subject is erased (`subjectErased`). */
  readonly subject?: { readonly subjectId: string };
  /**
   * The subject's data is erased: the id leads nowhere, so it is not sent. Events of the erasure still pending when it
   * ran (in the subject's partition) are erased with the rest, so a mailer cannot count on the `received` one; the subject
   * holds the erasure's receipt token (GET /v1/erasure-receipts/{requestId}), which is the confirmation.
   */
  readonly subjectErased?: true;
}

/** Every key a subject event may have: a test checks published messages against it. */
export const SUBJECT_EVENT_KEYS = [
  'format', 'eventId', 'kind', 'requestId', 'requestType', 'status', 'sequence', 'at', 'dueAt', 'by', 'reason', 'downloadable',
  'subject', 'subjectErased',
] as const satisfies readonly (keyof SubjectEvent)[];

/** The events of one write of a request, as the outbox keeps them (in the order they happened). */
export interface PendingSubjectEvents {
  /** The partition the outbox item lives in: the request's subject id as written (the pseudonym once erased). */
  readonly subjectId: string;
  readonly requestId: string;
  /** The first event's sequence: with the request id, the outbox item's key (one item per write). */
  readonly firstSequence: number;
  /** When the write happened (the last event's time): the drain takes the oldest first. */
  readonly at: string;
  readonly events: readonly SubjectEvent[];
}

const isErased = (subjectId: string) => subjectId.startsWith('erased#');

/**
 * The events a write of a request causes (see the module comment), or undefined when it changes nothing the subject is
 * told of (a step of the erasure, a re-send, a move to the state it was in).
 */
export function subjectEventsOf(previous: RightsRequest | undefined, next: RightsRequest): PendingSubjectEvents | undefined {
  const from = previous?.history.length ?? 0;
  const added = next.history.slice(from);
  if (added.length === 0) return undefined;
  const extended = next.extension !== undefined && next.extension.at !== previous?.extension?.at;
  const erased = isErased(next.subjectId);
  const events = added.map((change, i): SubjectEvent => {
    const sequence = from + i;
    const last = i === added.length - 1;
    const extension = extended && last && change.status === previous?.status ? next.extension : undefined;
    const reason = extension ? extension.reason : change.note;
    const downloadable = change.status === 'completed' && next.exportKeys !== undefined;
    return {
      format: SUBJECT_EVENT_FORMAT,
      eventId: `${next.requestId}:${sequence}`,
      kind: extension ? 'extended' : 'status',
      requestId: next.requestId,
      requestType: next.type,
      status: change.status,
      sequence,
      at: change.at,
      dueAt: extension ? extension.dueAt : next.dueAt,
      by: change.by,
      ...(reason !== undefined && !erased ? { reason } : {}),
      ...(downloadable ? { downloadable: true } : {}),
      ...(erased ? { subjectErased: true as const } : { subject: { subjectId: next.subjectId } }),
    };
  });
  return { subjectId: next.subjectId, requestId: next.requestId, firstSequence: from, at: events.at(-1)!.at, events };
}

/** Publishes a write's events, in order; throws if any was refused (the whole write is published again: ids are stable). */
export interface SubjectEventPublisher {
  publish(events: readonly SubjectEvent[]): Promise<void>;
}
