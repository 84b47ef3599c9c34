/**
 * Recipients answer (issue 14 items 4 and 5): each recipient told of an erasure or an export acknowledges it through the ack
 * route, and the request waits for every recipient it told before it completes.
 *
 * ## The contract (what a recipient sends)
 *
 * `POST /v1/recipients/{recipientId}/acks`, `content-type: application/json`, with the three Standard Webhooks headers,
 * signed by the recipient with **its own secret** (`fmn recipients secret <recipientId>` prints it; queue recipients have
 * one too): `webhook-id` (a fresh id per ack, `[A-Za-z0-9_-]{1,64}`), `webhook-timestamp` (seconds since the epoch, now)
 * and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">`). Body:
 *
 * ```json
 * { "messageId": "evt_…",            // the `id` of the message being answered
 *   "requestId": "…",                // the message's `source.id` (source kind rights-request)
 *   "action": "delete",              // the message's `action`: delete (erasure) or provide-part (export)
 *   "outcome": "done",               // done | nothing_found | failed
 *   "counts": { "records": 3 },      // optional, with done: what was deleted or exported, by kind (whole numbers)
 *   "reason": "…",                   // with failed (required) : why, ≤ 500 characters; never logged
 *   "exportPart": { "contentType": "application/json" } } // provide-part with done: see below
 * ```
 *
 * Answers: 200 `{ recipient, requestId, status, duplicate, requestStatus }` when recorded (or already recorded: a
 * duplicate ack, even with another `outcome`, changes nothing once the recipient is acknowledged); 401 when the signature
 * is missing or wrong, the timestamp is more than 5 minutes off, or the `webhook-id` was already accepted for this request
 * (a replay); 403 when the message was not sent to this recipient (another recipient's message, or a request of another
 * type); 404 when no such request; 409 `export-part-missing`: a `provide-part` ack with `done` before the part is uploaded.
 * Every refused ack is audited (ids and outcome, never the body) and changes nothing.
 *
 * **Export parts.** A recipient with an export duty answers `provide-part` with `outcome: "done"` and `exportPart`. The
 * first such ack answers 409 with an `upload` (a presigned S3 `PUT` URL, valid 15 minutes, for
 * `exports/<requestId>/recipients/<recipientId>.json`, with the headers to send); the recipient PUTs its part (JSON) there
 * and sends the ack again (a new `webhook-id`): now the part is there, the ack is recorded, and the subject's download
 * lists the part next to the backend's own files. `nothing_found` needs no part.
 *
 * **Deadlines.** The message's `answerBy` (its declared `answerWithinDays` after the request was received). Past it, the
 * recipient shows as `overdue` on the request, the overdue job counts it, and an administrator may complete the request
 * without it, with a note.
 *
 * ## The waiting (item 5)
 *
 * The rights worker records, as it tells the recipients, one entry per recipient it waits for on the request
 * (`recipients.<id>`: the message id, action, `answerBy`, status `pending`). When its own stores are done it completes
 * the request only if every entry is acknowledged (`done` or `nothing_found`), and otherwise moves it to
 * `awaiting_recipients`; the ack that makes the last entry acknowledged completes it. Every change is a conditional write
 * on the request (`updatedAt`), re-read and retried when another writer won, so two last acks cannot both complete it
 * and no ack is lost. Trap: an erasure pseudonymises the request's subject id, so acks find the request by its id only.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Conflict, NotFound, Refused } from './errors';
import { messageId, type RecipientAction } from './recipient-events';
import {
  InvalidTransitionError,
  RequestNotFoundError,
  type RightsRequest,
  type RightsStore,
} from './rights';
import { RECIPIENT_IDS, recipientOf, type RecipientId } from '../recipients';
import type { AuditNote } from './audit';

/** How far a webhook-timestamp may be from now, either way: the Standard Webhooks default, and the replay window. */
export const ACK_TOLERANCE_SECONDS = 5 * 60;
/** A recipient's failure reason is kept for the administrator, cut to this length. */
export const ACK_REASON_MAX = 500;

export const ACK_OUTCOMES = ['done', 'nothing_found', 'failed'] as const;
export type AckOutcome = (typeof ACK_OUTCOMES)[number];

/** What a recipient waited for stands at: `pending` until it answers; `done` and `nothing_found` acknowledge. */
export type RecipientAckStatus = 'pending' | AckOutcome;

/** The actions that are acknowledged: the two request types that wait for their recipients. */
export const ACKED_ACTIONS = ['delete', 'provide-part'] as const satisfies readonly RecipientAction[];
export type AckedAction = (typeof ACKED_ACTIONS)[number];

/** One recipient's part of a request, stored on the request (`recipients.<id>`). No personal data but `reason`. */
export interface RecipientProgress {
  readonly messageId: string;
  readonly action: AckedAction;
  /** YYYY-MM-DD, from the message. */
  readonly answerBy: string;
  readonly status: RecipientAckStatus;
  /** When the last recorded ack arrived. */
  readonly at?: string;
  readonly counts?: Readonly<Record<string, number>>;
  /** Free text from the recipient (a failure's reason): shown to administrators, never logged, removed at erasure. */
  readonly reason?: string;
  /** Export: the key of the part the recipient uploaded. */
  readonly partKey?: string;
  /** `webhook-id`s of recorded acks, each with when it was accepted: a second use inside the window is a replay. */
  readonly ackIds?: readonly { readonly id: string; readonly at: string }[];
  /**
   * `false` on the entry of a recipient the deployment does not wait for (AWAIT_RECIPIENTS) whose ack arrived before the
   * worker told it: the ack is shown, but the request never waits for it (a `failed` one would otherwise hold it forever).
   */
  readonly awaited?: false;
}

export type RequestRecipients = Readonly<Partial<Record<RecipientId, RecipientProgress>>>;

/** What the ack route reads from the request: the body, already checked against its schema. */
export interface AckBody {
  readonly messageId: string;
  readonly requestId: string;
  readonly action: AckedAction;
  readonly outcome: AckOutcome;
  readonly counts?: Readonly<Record<string, number>>;
  readonly reason?: string;
  readonly exportPart?: { readonly contentType: 'application/json' };
}

/** The three Standard Webhooks headers, as received (absent ones undefined). */
export interface AckHeaders {
  readonly 'webhook-id'?: string;
  readonly 'webhook-timestamp'?: string;
  readonly 'webhook-signature'?: string;
}

// ---- errors (mapped to problem documents in http/problems.ts) ----------------------------------------------------------

/** 401: no valid signature of this recipient, a timestamp out of the window, or a replayed webhook-id. Says no more. */
export class AckUnauthenticatedError extends Refused<'ack-unauthenticated'> {
  constructor(readonly why: 'signature' | 'timestamp' | 'replay') {
    super('ack-unauthenticated', {});
  }
}

/** 403: a validly signed ack for a message that was not sent to this recipient. */
export class AckForbiddenError extends Refused<'ack-forbidden'> {
  constructor() {
    super('ack-forbidden', {});
  }
}

/** 404: no recipient is declared with that id. */
export class UnknownRecipientError extends NotFound<'recipient-not-found'> {
  constructor() {
    super('recipient-not-found', {});
  }
}

/** 409: an export part acknowledged as done before it was uploaded; carries where to upload it. */
export class ExportPartMissingError extends Conflict<'export-part-missing'> {
  constructor(upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string }) {
    super('export-part-missing', { upload });
  }
}

/** 409: an admin completing a request that still waits for recipients within their deadline. */
export class RecipientsNotOverdueError extends Conflict<'recipients-not-overdue'> {
  constructor(recipients: readonly RecipientId[]) {
    super('recipients-not-overdue', { recipients });
  }
}

// ---- signature -------------------------------------------------------------------------------------------------------

/**
 * Standard Webhooks verification with an injected clock: the timestamp within `ACK_TOLERANCE_SECONDS` of now, and one of
 * the space-separated `v1,` signatures equal (in constant time) to the HMAC-SHA256 of `<id>.<timestamp>.<body>` under one
 * of the secrets. The same computation as the `standardwebhooks` package (a unit test checks against it).
 */
export function verifyAckSignature(secrets: readonly string[], headers: AckHeaders, rawBody: string, now: Date): void {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures || !/^[A-Za-z0-9_-]{1,64}$/.test(id) || !/^\d{1,12}$/.test(timestamp)) {
    throw new AckUnauthenticatedError('signature');
  }
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > ACK_TOLERANCE_SECONDS) throw new AckUnauthenticatedError('timestamp');
  const given = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  for (const secret of secrets) {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest();
    if (given.some((g) => g.length === expected.length && timingSafeEqual(g, expected))) return;
  }
  throw new AckUnauthenticatedError('signature');
}

// ---- recording an ack ------------------------------------------------------------------------------------------------

export interface AckDeps {
  readonly requests: Pick<RightsStore, 'get' | 'replace' | 'transition'>;
  /** The recipient's secrets in force at `at` (`whsec_…`): the current one, and a previous one during a rotation. */
  secretsOf(recipient: RecipientId, at: Date): Promise<readonly string[]>;
  /** Whether the recipient's export part is in the exports bucket. */
  partExists(key: string): Promise<boolean>;
  /** A presigned PUT for the part. */
  uploadFor(key: string): Promise<{ url: string; headers: Record<string, string>; expiresAt: string }>;
  /** Writes the audit entry of a refused ack (ids and outcome only). */
  auditRefused(note: AuditNote): Promise<void>;
  /** Whether requests wait for this recipient's ack (AWAIT_RECIPIENTS), as the worker decides it. */
  readonly awaits: (recipient: RecipientId) => boolean;
  readonly now: () => Date;
}

export interface AckInput {
  readonly recipientId: string;
  readonly headers: AckHeaders;
  readonly rawBody: string;
  readonly body: AckBody;
}

export interface AckAnswer {
  readonly recipient: RecipientId;
  readonly requestId: string;
  readonly status: RecipientAckStatus;
  /** True when the ack changed nothing (the recipient was already acknowledged, or sent the same failure again). */
  readonly duplicate: boolean;
  readonly requestStatus: RightsRequest['status'];
}

/** Where a recipient's export part goes, beside the backend's own export files. */
export const partKeyOf = (requestId: string, recipient: RecipientId): string => `exports/${requestId}/recipients/${recipient}.json`;

/** How many times a conditional write that lost to another writer is re-read and tried again. */
const MAX_ATTEMPTS = 8;

/**
 * Records an ack. 1. the recipient is known; 2. its signature (current or previous secret) and timestamp verify; 3. the
 * request exists and the message id is the one sent to this recipient for this request (else 403); 4. the webhook-id was
 * not accepted before (replay); 5. the outcome is recorded on the request with a condition, and the last acknowledgement
 * completes a request that awaits its recipients. A refused ack is audited and changes nothing.
 */
export async function acknowledge(deps: AckDeps, input: AckInput): Promise<AckAnswer> {
  try {
    const recipient = RECIPIENT_IDS.find((id) => id === input.recipientId);
    if (!recipient) throw new UnknownRecipientError();
    return await record(deps, recipient, input);
  } catch (error) {
    if (
      error instanceof AckUnauthenticatedError ||
      error instanceof AckForbiddenError ||
      error instanceof RequestNotFoundError ||
      error instanceof UnknownRecipientError
    ) {
      // About no one: an unverified ack names a request it may not know. Ids and the refusal only, never the body.
      await deps.auditRefused({ action: 'recipient.ack', fields: ['rightsRequests.recipients'], outcome: 'failure' });
    }
    throw error;
  }
}

async function record(deps: AckDeps, recipient: RecipientId, input: AckInput): Promise<AckAnswer> {
  const now = deps.now();
  verifyAckSignature(await deps.secretsOf(recipient, now), input.headers, input.rawBody, now);
  const { body } = input;
  const webhookId = input.headers['webhook-id']!;
  for (let attempt = 1; ; attempt++) {
    const request = await deps.requests.get(body.requestId);
    if (!request) throw new RequestNotFoundError();
    const expectedAction: AckedAction | undefined = request.type === 'erasure' ? 'delete' : request.type === 'export' ? 'provide-part' : undefined;
    const sent = messageId({ kind: 'rights-request', id: request.requestId }, recipient, request.type === 'erasure' ? 'erasure' : 'export');
    const progress = request.recipients?.[recipient];
    // The message must be the one sent to this recipient for this request: a valid signature of recipient A over a
    // message sent to B names B's message id, which differs from A's.
    if (!expectedAction || body.action !== expectedAction || body.messageId !== sent || (progress && progress.messageId !== sent)) {
      throw new AckForbiddenError();
    }
    if (!progress && !concernedBy(recipient, request)) throw new AckForbiddenError();
    const nowIso = now.toISOString();
    const windowStart = now.getTime() - 2 * ACK_TOLERANCE_SECONDS * 1000;
    if (progress?.ackIds?.some((a) => a.id === webhookId && Date.parse(a.at) >= windowStart)) throw new AckUnauthenticatedError('replay');

    const current: RecipientProgress = progress ?? {
      ...pendingProgress(recipient, request, sent, expectedAction),
      // ahead of the worker: it will record only the recipients it waits for, so this one is marked if it is not one
      ...(deps.awaits(recipient) ? {} : { awaited: false as const }),
    };
    if (isAcknowledged(current.status) || (current.status === 'failed' && body.outcome === 'failed')) {
      return { recipient, requestId: request.requestId, status: current.status, duplicate: true, requestStatus: request.status };
    }
    let partKey: string | undefined;
    if (expectedAction === 'provide-part' && body.outcome === 'done') {
      partKey = partKeyOf(request.requestId, recipient);
      if (!(await deps.partExists(partKey))) {
        const upload = await deps.uploadFor(partKey);
        throw new ExportPartMissingError({ ...upload, method: 'PUT' });
      }
    }
    const next: RecipientProgress = {
      ...current,
      status: body.outcome,
      at: nowIso,
      ...(body.counts && body.outcome === 'done' ? { counts: body.counts } : {}),
      ...(body.outcome === 'failed' ? { reason: (body.reason ?? '').slice(0, ACK_REASON_MAX) } : { reason: undefined }),
      ...(partKey ? { partKey } : {}),
      ackIds: [...(current.ackIds ?? []).filter((a) => Date.parse(a.at) >= windowStart), { id: webhookId, at: nowIso }],
    };
    const recipients = { ...(request.recipients ?? {}), [recipient]: next };
    try {
      const changed: RightsRequest = { ...request, recipients, updatedAt: nowIso };
      if (request.status === 'awaiting_recipients' && allAcknowledged(recipients)) {
        const completed = await deps.requests.transition(request, 'completed', { by: 'system', note: LAST_ACK_NOTE }, now, { recipients });
        return { recipient, requestId: request.requestId, status: next.status, duplicate: false, requestStatus: completed.status };
      }
      const ackNote: AuditNote = subjectNote(request, { action: 'recipient.ack', fields: ['rightsRequests.recipients'] });
      await deps.requests.replace(request, changed, ['rightsRequests.recipients'], ackNote);
      return { recipient, requestId: request.requestId, status: next.status, duplicate: false, requestStatus: changed.status };
    } catch (error) {
      // Another ack (or the worker) changed the request since it was read: read it again and retry.
      if (error instanceof InvalidTransitionError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}

/** The history note of a request completed by its last recipient's ack. */
export const LAST_ACK_NOTE = 'Every recipient acknowledged.';

/** The audit note about the request's subject: by id, or by pseudonym once the subject is erased. */
export function subjectNote(request: RightsRequest, note: Omit<AuditNote, 'subjectId' | 'subjectPseudonym'>): AuditNote {
  return request.subjectId.startsWith('erased#')
    ? { ...note, subjectPseudonym: request.subjectId.slice('erased#'.length) }
    : { ...note, subjectId: request.subjectId };
}

export const isAcknowledged = (status: RecipientAckStatus): boolean => status === 'done' || status === 'nothing_found';

/** True when every recipient waited for has acknowledged (none waited for: true). */
export const allAcknowledged = (recipients: RequestRecipients | undefined): boolean =>
  Object.values(recipients ?? {}).every((p) => p !== undefined && (p.awaited === false || isAcknowledged(p.status)));

/** Whether the request's type is owed by this recipient at all (an ack may arrive before the worker recorded it). */
function concernedBy(recipient: RecipientId, request: RightsRequest): boolean {
  if (request.type === 'erasure') return true;
  return request.type === 'export' && recipientOf(recipient).duties.export === 'provide-part';
}

const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);

/** The entry of a recipient the request waits for, as the worker records it when it tells the recipient. */
export function pendingProgress(recipient: RecipientId, request: RightsRequest, id?: string, action?: AckedAction): RecipientProgress {
  const type = request.type === 'erasure' ? 'erasure' : 'export';
  return {
    messageId: id ?? messageId({ kind: 'rights-request', id: request.requestId }, recipient, type),
    action: action ?? (type === 'erasure' ? 'delete' : 'provide-part'),
    // the same day the message names: its time is the request's receipt
    answerBy: addDays(request.receivedAt, recipientOf(recipient).answerWithinDays),
    status: 'pending',
  };
}

/**
 * Adds a pending entry for each recipient told that the request does not hold yet (an early ack may already have made
 * one). Returns the recipients to store, or undefined when nothing changes.
 */
export function withPending(request: RightsRequest, told: readonly RecipientId[]): RequestRecipients | undefined {
  const missing = told.filter((id) => request.recipients?.[id] === undefined);
  if (missing.length === 0) return undefined;
  return { ...(request.recipients ?? {}), ...Object.fromEntries(missing.map((id) => [id, pendingProgress(id, request)])) };
}

// ---- what is shown ---------------------------------------------------------------------------------------------------

/** What a request shows per recipient: `acknowledged` (done or nothing found), `failed`, `overdue` or `pending`. */
export type RecipientViewStatus = 'pending' | 'acknowledged' | 'overdue' | 'failed';

export interface RecipientView {
  readonly recipient: RecipientId;
  readonly name: string;
  readonly action: AckedAction;
  readonly status: RecipientViewStatus;
  readonly outcome?: AckOutcome;
  readonly answerBy: string;
  readonly acknowledgedAt?: string;
  readonly counts?: Readonly<Record<string, number>>;
  /** Administrators only, and only while the request is open: a recipient's free text. */
  readonly reason?: string;
}

/** A recipient's status on `day` (YYYY-MM-DD): overdue from the day after `answerBy`, as requests are. */
export function viewStatus(progress: RecipientProgress, day: string): RecipientViewStatus {
  if (isAcknowledged(progress.status)) return 'acknowledged';
  if (progress.status === 'failed') return 'failed';
  return day > progress.answerBy ? 'overdue' : 'pending';
}

export function recipientViews(recipients: RequestRecipients | undefined, day: string, options: { withReason: boolean }): RecipientView[] {
  return RECIPIENT_IDS.flatMap((id) => {
    const progress = recipients?.[id];
    if (!progress) return [];
    return [
      {
        recipient: id,
        name: recipientOf(id).name,
        action: progress.action,
        status: viewStatus(progress, day),
        ...(progress.status !== 'pending' ? { outcome: progress.status } : {}),
        answerBy: progress.answerBy,
        ...(progress.at && isAcknowledged(progress.status) ? { acknowledgedAt: progress.at } : {}),
        ...(progress.counts ? { counts: progress.counts } : {}),
        ...(options.withReason && progress.reason !== undefined ? { reason: progress.reason } : {}),
      },
    ];
  });
}

/** Recipients still owing an answer past their deadline on `day`. */
export const overdueRecipients = (recipients: RequestRecipients | undefined, day: string): RecipientId[] =>
  RECIPIENT_IDS.filter((id) => {
    const progress = recipients?.[id];
    return progress !== undefined && !isAcknowledged(progress.status) && day > progress.answerBy;
  });

// ---- a webhook that never got through ----------------------------------------------------------------------------------

/** What a request shows for a recipient whose webhook failed every try: a fixed sentence, never the recipient's answer. */
export const DELIVERY_FAILED_REASON = "Not delivered: the webhook failed every try, and the message is in the recipient's DLQ (fmn dlq list).";

/**
 * The webhook dispatcher's last try failed, so the message goes to the recipient's DLQ: the request it was about (an
 * erasure or export that waits for this recipient) shows the recipient as failed, for an administrator to see which one.
 * Other messages, requests that do not wait for it, and recipients that acknowledged meanwhile are left alone.
 */
export async function recordDeliveryFailure(
  deps: { readonly requests: Pick<RightsStore, 'get' | 'replace'>; readonly now: () => Date },
  recipient: RecipientId,
  body: string,
): Promise<boolean> {
  let message: { source?: { kind?: unknown; id?: unknown }; type?: unknown };
  try {
    message = JSON.parse(body) as typeof message;
  } catch {
    return false;
  }
  if (message.source?.kind !== 'rights-request' || typeof message.source.id !== 'string') return false;
  if (message.type !== 'erasure' && message.type !== 'export') return false;
  for (let attempt = 1; ; attempt++) {
    const request = await deps.requests.get(message.source.id);
    const progress = request?.recipients?.[recipient];
    if (!request || !progress || progress.status !== 'pending') return false;
    const at = deps.now().toISOString();
    const recipients = { ...request.recipients, [recipient]: { ...progress, status: 'failed' as const, at, reason: DELIVERY_FAILED_REASON } };
    try {
      await deps.requests.replace(
        request,
        { ...request, recipients, updatedAt: at },
        ['rightsRequests.recipients'],
        subjectNote(request, { action: 'update', fields: ['rightsRequests.recipients'] }),
      );
      return true;
    } catch (error) {
      if (error instanceof InvalidTransitionError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}

// ---- the recipients at a glance, for administrators ------------------------------------------------------------------

/** `failing`: some request shows it failed (a failed ack, or its webhook message in the DLQ); `overdue`: past a deadline. */
export type RecipientHealth = 'ok' | 'overdue' | 'failing';

export interface RecipientOverview {
  readonly recipient: RecipientId;
  readonly name: string;
  readonly kind: string;
  readonly delivery: 'queue' | 'webhook';
  readonly answerWithinDays: number;
  readonly status: RecipientHealth;
  /** Among requests awaiting their recipients: how many wait for this one, and how many of those are overdue or failed. */
  readonly awaiting: { readonly pending: number; readonly overdue: number; readonly failed: number };
}

/** Per declared recipient, where the requests awaiting it stand on `day` (from each recipient's status and deadline only). */
export function recipientsOverview(awaiting: readonly Pick<RightsRequest, 'recipients'>[], day: string): RecipientOverview[] {
  return RECIPIENT_IDS.map((id) => {
    const counts = { pending: 0, overdue: 0, failed: 0 };
    for (const request of awaiting) {
      const progress = request.recipients?.[id];
      if (!progress || isAcknowledged(progress.status)) continue;
      const status = viewStatus(progress, day);
      if (status === 'failed') counts.failed++;
      else if (status === 'overdue') counts.overdue++;
      else counts.pending++;
    }
    const declaration = recipientOf(id);
    return {
      recipient: id,
      name: declaration.name,
      kind: declaration.kind,
      delivery: declaration.delivery.kind,
      answerWithinDays: declaration.answerWithinDays,
      status: counts.failed > 0 ? 'failing' : counts.overdue > 0 ? 'overdue' : 'ok',
      awaiting: counts,
    };
  });
}
