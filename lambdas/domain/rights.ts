/**
 * Data-subject rights requests as plain rules: types, the state machine, modes, re-verification, and the deadline.
 * Storage, the queue and the work itself are adapters and workers; nothing here knows about AWS or HTTP.
 */
import { randomUUID } from 'node:crypto';
import { Conflict, NotFound, Refused } from './errors';
import type { AuditNote } from './audit';
import type { PendingRecipientEvent } from './recipient-outbox';
import { LEGAL_HOLD_STOP_NOTE } from './retention';
import { recipientViews, type RequestRecipients } from './recipient-acks';

export const REQUEST_TYPES = ['access', 'export', 'rectification', 'erasure'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const REQUEST_STATUSES = ['received', 'verified', 'queued', 'in_progress', 'awaiting_recipients', 'completed', 'rejected', 'failed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** `awaiting_recipients`: this backend's own stores are done, and some recipient it told has not acknowledged yet. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['received', 'verified', 'queued', 'in_progress', 'awaiting_recipients'];

export type RequestMode = 'automatic' | 'manual';
export type RequestModes = Readonly<Record<RequestType, RequestMode>>;

/** Rectification needs a person to judge the correction; the others can run unattended. */
export const DEFAULT_MODES: RequestModes = { access: 'automatic', export: 'automatic', erasure: 'automatic', rectification: 'manual' };

/** Which changes the state machine allows. `failed` may be retried (queued again) by an admin. */
const TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  received: ['verified', 'rejected'],
  verified: ['queued', 'rejected', 'completed'],
  // Back to verified only when the job could not be sent: an admin then queues it again (approve).
  queued: ['in_progress', 'rejected', 'completed', 'verified'],
  in_progress: ['completed', 'failed', 'in_progress', 'awaiting_recipients'],
  // Completed by the last recipient's ack, or by an admin once every recipient still owing an answer is past its deadline.
  awaiting_recipients: ['completed'],
  failed: ['queued', 'rejected'],
  completed: [],
  rejected: [],
};

export function canMove(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export interface StatusChange {
  readonly status: RequestStatus;
  readonly at: string;
  /** `subject`, `admin`, `worker` or `system`: a role, never a person's id. */
  readonly by: string;
  /** A reason (rejection, extension) or an admin's note; written for the subject to read. */
  readonly note?: string;
  /** A completion by hand: what was done where, one line per system (Art. 5(2): the controller can show it). */
  readonly evidence?: readonly CompletionEvidence[];
}

/** What an officer did by hand in one system to answer a request. */
export interface CompletionEvidence {
  /** The system or store, as the officer names it (`CRM`, `billing database`, `paper archive`). */
  readonly where: string;
  readonly action: EvidenceAction;
  /** Free text: how, with which reference. Replaced at erasure like every admin note. */
  readonly detail?: string;
}

export const EVIDENCE_ACTIONS = ['deleted', 'corrected', 'exported', 'sent', 'restricted', 'checked-none-held', 'other'] as const;
export type EvidenceAction = (typeof EVIDENCE_ACTIONS)[number];

export interface ErasureStep {
  readonly store: string;
  readonly action: 'deleted' | 'pseudonymised' | 'kept' | 'shredded';
  readonly count: number;
  readonly at: string;
}

export interface ErasureReceipt {
  readonly requestId: string;
  readonly completedAt: string;
  readonly steps: readonly ErasureStep[];
  readonly verification: { readonly ok: boolean; readonly storesChecked: readonly string[]; readonly at: string };
  /** Point-in-time recovery keeps 35 days of table history; after this date no backup holds the erased data. */
  readonly backupsAgeOutBy: string;
  readonly note: string;
}

export interface RightsRequest {
  readonly requestId: string;
  readonly subjectId: string;
  readonly type: RequestType;
  readonly status: RequestStatus;
  readonly mode: RequestMode;
  readonly receivedAt: string;
  /** Same as receivedAt: the sort key of the by-subject index. */
  readonly createdAt: string;
  /** YYYY-MM-DD (UTC): the answer is due by the end of this day; the extended date once extended (the index sorts on it). */
  readonly dueAt: string;
  /** One calendar month after receipt, kept when the deadline is extended. */
  readonly originalDueAt: string;
  readonly extension?: { readonly dueAt: string; readonly months: number; readonly reason: string; readonly at: string };
  readonly history: readonly StatusChange[];
  /** Rectification: the names of the fields the subject says are wrong (never the values). */
  readonly fields?: readonly string[];
  /** Export and access: the exported objects' keys in the exports bucket. */
  readonly exportKeys?: { readonly json: string; readonly csv: string };
  /** Erasure: steps done so far (a crash resumes after the last one), then the receipt. */
  readonly erasureSteps?: readonly ErasureStep[];
  readonly receipt?: ErasureReceipt;
  /**
   * Erasure only, between its first step and its verification: the blind index and identity keys the verification searches
   * for once the records that hold them are gone. Removed when the erasure completes.
   */
  readonly pendingVerification?: { readonly emailIndex?: string; readonly identityKeys: readonly string[] };
  /**
   * Erasure and export: per recipient told, its message id, deadline and acknowledgement (`domain/recipient-acks.ts`).
   * The request completes only when every one is acknowledged (or an admin completes it past their deadlines).
   */
  readonly recipients?: RequestRecipients;
  /** SHA-256 of the receipt token given to the subject at erasure, who no longer has a session afterwards. */
  readonly receiptTokenHash?: string;
  /** Who filed it: absent for the subject; `retention` for the retention job (an inactive account's erasure). */
  readonly origin?: RequestOrigin;
  /** Epoch seconds, set when the request is completed or rejected: the TTL that ends its retention as proof. */
  readonly expiresAt?: number;
  readonly updatedAt: string;
}

export type RequestOrigin = 'retention';

/** The states a request never leaves: from them its record is kept as proof for a fixed time (see `domain/retention.ts`). */
export const FINAL_STATUSES: readonly RequestStatus[] = ['completed', 'rejected'];

export class ReverificationRequiredError extends Refused<'reverification-required'> {
  constructor(minutes: number) {
    super('reverification-required', { minutes });
  }
}

export class RequestNotFoundError extends NotFound<'request-not-found'> {
  constructor() {
    super('request-not-found', {});
  }
}

export class InvalidTransitionError extends Conflict<'invalid-transition'> {
  constructor(from: RequestStatus, to: RequestStatus) {
    super('invalid-transition', { from, to });
  }
}

export class DuplicateRequestError extends Conflict<'request-open'> {
  constructor() {
    super('request-open', {});
  }
}

/** An export is downloadable once its request is completed (and only if it produced files). */
export class ExportNotReadyError extends Conflict<'export-not-ready'> {
  constructor() {
    super('export-not-ready', {});
  }
}

/** Types whose result discloses or destroys data: they need a recent login or the password again. */
export const NEEDS_REVERIFICATION: ReadonlySet<RequestType> = new Set(['export', 'erasure', 'access']);

/** A new request, verified at receipt; an automatic one is recorded as queued already, before its job is sent. */
export function newRequest(input: {
  subjectId: string;
  type: RequestType;
  mode: RequestMode;
  now: Date;
  dueAt: string;
  fields?: readonly string[];
  receiptTokenHash?: string;
  /** Set when the service files the request itself (the retention job); the history then names `system`, with a note. */
  origin?: RequestOrigin;
}): RightsRequest {
  const at = input.now.toISOString();
  const filedBy = input.origin ? { by: 'system', note: ORIGIN_NOTES[input.origin] } : { by: 'subject' };
  return {
    requestId: randomUUID(),
    subjectId: input.subjectId,
    type: input.type,
    status: input.mode === 'automatic' ? 'queued' : 'verified',
    mode: input.mode,
    receivedAt: at,
    createdAt: at,
    dueAt: input.dueAt,
    originalDueAt: input.dueAt,
    history: [
      { status: 'received', at, ...filedBy },
      // The request arrived on an authenticated, re-verified session (or from the service itself): identity is confirmed.
      { status: 'verified', at, by: filedBy.by },
      ...(input.mode === 'automatic' ? [{ status: 'queued' as const, at, by: 'system' }] : []),
    ],
    ...(input.fields ? { fields: input.fields } : {}),
    ...(input.receiptTokenHash ? { receiptTokenHash: input.receiptTokenHash } : {}),
    ...(input.origin ? { origin: input.origin } : {}),
    updatedAt: at,
  };
}

const ORIGIN_NOTES: Readonly<Record<RequestOrigin, string>> = {
  retention: 'Filed by the retention job: no login within the retention period, and none during the notice period.',
};


/** What stands in for an administrator's free text (a reason or note) once the subject is erased. */
export const ERASED_TEXT = 'Removed at erasure: it was free text that could name people.';

/** Notes an administrator's action writes itself: fixed sentences, not typed text. */
const FIXED_ADMIN_NOTES: ReadonlySet<string> = new Set(['approved', LEGAL_HOLD_STOP_NOTE]);

/**
 * The record kept as proof after erasure, without free text. Statuses, times, roles and due dates prove how the request was
 * answered; a reason or note an administrator typed (rejection, extension, completion) could name the subject or others,
 * so it is replaced. Notes the service writes (system, worker, fixed admin notes) are fixed sentences and stay. A
 * recipient's failure reason (free text too) stays while the request is open, for the admin following it up, unless
 * `recipientReasons: 'remove'`.
 */
export function withoutFreeText(request: RightsRequest, options: { recipientReasons?: 'keep-while-open' | 'remove' } = {}): RightsRequest {
  const removeReasons = options.recipientReasons === 'remove' || FINAL_STATUSES.includes(request.status);
  return {
    ...request,
    history: request.history.map((change) => {
      const note = change.by !== 'admin' || change.note === undefined || FIXED_ADMIN_NOTES.has(change.note) ? change.note : ERASED_TEXT;
      // The systems and actions stay (they prove what was done); how, in the officer's words, goes like a note.
      const evidence = change.evidence?.map((e) => (e.detail === undefined ? e : { ...e, detail: ERASED_TEXT }));
      return { ...change, ...(note !== undefined ? { note } : {}), ...(evidence ? { evidence } : {}) };
    }),
    ...(request.extension ? { extension: { ...request.extension, reason: ERASED_TEXT } } : {}),
    // A recipient's failure reason is free text from a processor: kept for the admin while the request is open, then gone.
    ...(request.recipients && removeReasons ? { recipients: withoutReasons(request.recipients) } : {}),
  };
}

function withoutReasons(recipients: RequestRecipients): RequestRecipients {
  return Object.fromEntries(
    Object.entries(recipients).map(([id, p]) => [id, p && p.reason !== undefined ? { ...p, reason: ERASED_TEXT } : p]),
  ) as RequestRecipients;
}

/**
 * What a subject sees of a request: everything but internal keys, and per recipient its status (an administrator also
 * sees a failed recipient's reason: `admin`). `day` (YYYY-MM-DD) decides which recipients are overdue.
 */
export function requestView(request: RightsRequest, options: { admin?: boolean; day?: string } = {}) {
  const {
    subjectId: _s,
    exportKeys,
    erasureSteps: _e,
    receiptTokenHash: _r,
    updatedAt: _u,
    createdAt: _c,
    pendingVerification: _p,
    recipients,
    ...rest
  } = request;
  const day = options.day ?? new Date().toISOString().slice(0, 10);
  return {
    ...rest,
    ...(recipients ? { recipients: recipientViews(recipients, day, { withReason: options.admin === true }) } : {}),
    downloadable: request.status === 'completed' && exportKeys !== undefined,
  };
}

// ---- ports ----------------------------------------------------------------------------------------------------------

/** Where requests are kept. Every change is conditional on the state it was read in (InvalidTransitionError otherwise). */
export interface RightsStore {
  create(request: RightsRequest): Promise<void>;
  get(requestId: string): Promise<RightsRequest | undefined>;
  listForSubject(subjectId: string): Promise<RightsRequest[]>;
  /** Moves a request to `to` (with `extra` attributes) if nobody moved it meanwhile; returns the new request. */
  transition(
    request: RightsRequest,
    to: RequestStatus,
    change: Omit<StatusChange, 'status' | 'at'>,
    now: Date,
    extra?: Partial<RightsRequest>,
    /** The recipients' pending event, recorded in the same transaction as the move. */
    outbox?: PendingRecipientEvent,
  ): Promise<RightsRequest>;
  /** Replaces the request if unchanged since read, with an audit entry naming `fields` (or `note`). */
  replace(previous: RightsRequest, changed: RightsRequest, fields: readonly string[], note?: AuditNote, outbox?: PendingRecipientEvent): Promise<void>;
}

/** The queue of jobs: ids only, never personal values. */
export type EnqueueJob = (request: Pick<RightsRequest, 'requestId' | 'type'>) => Promise<void>;

export interface RightsDeps {
  readonly requests: RightsStore;
  readonly modes: RequestModes;
  /** How recent a login must be for an export or erasure without the password. */
  readonly reverifyMinutes: number;
  readonly now: () => Date;
  readonly enqueue: EnqueueJob;
}
