/**
 * The use cases of rights requests: a subject files one; an administrator approves, rejects, extends or completes one.
 * Over the ports of `rights.ts`; the clock, the modes and the re-verification window come in with them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { assertExtendable, dueDateFor, extendDueDate } from './deadlines';
import { verifyPassword } from './passwords';
import { rectificationOutboxEvent } from './recipient-outbox';
import { isAcknowledged, overdueRecipients, RecipientsNotOverdueError } from './recipient-acks';
import { RECIPIENT_IDS } from '../recipients';
import {
  DuplicateRequestError,
  InvalidTransitionError,
  NEEDS_REVERIFICATION,
  OPEN_STATUSES,
  RequestNotFoundError,
  ReverificationRequiredError,
  newRequest,
  type CompletionEvidence,
  type RequestType,
  type RightsDeps,
  type RightsRequest,
} from './rights';

export interface FilingDeps extends RightsDeps {
  /** The subject's password hash, read only when a request needs re-verification and brings a password. */
  readonly passwordHashOf: (subjectId: string) => Promise<string | undefined>;
  /** Called after the request is committed as queued and before its job is sent (where a crash loses the job). */
  readonly committed?: () => void;
}

export interface Filer {
  readonly subjectId: string;
  /** Epoch seconds of the session's login. */
  readonly authTime?: number;
}

export interface Filing {
  readonly type: RequestType;
  readonly fields?: readonly string[];
  readonly password?: string;
}

export interface Filed {
  readonly request: RightsRequest;
  /** Erasure only: the token that later opens the receipt, shown once. */
  readonly receiptToken?: string;
  /** Set when the job could not be sent: the class of the error, for the log (the request waits for an admin). */
  readonly notQueued?: string;
}

/**
 * A subject files a request: 1. exports and erasure need a recent login or the password again; 2. one open request per
 * type; 3. recorded (queued, if automatic) before the job is sent, so the worker never sees a request still moving: a
 * crash between the two is recovered by the resendLostJobs schedule; 4. a job that cannot be sent leaves the request
 * verified, for an administrator to queue (approve).
 */
export async function fileRequest(deps: FilingDeps, filer: Filer, filing: Filing): Promise<Filed> {
  const now = deps.now();
  if (NEEDS_REVERIFICATION.has(filing.type)) {
    const fresh = filer.authTime !== undefined && now.getTime() / 1000 - filer.authTime <= deps.reverifyMinutes * 60;
    if (!fresh) {
      const hash = filing.password ? await deps.passwordHashOf(filer.subjectId) : undefined;
      if (!hash || !(await verifyPassword(filing.password!, hash))) throw new ReverificationRequiredError(deps.reverifyMinutes);
    }
  }
  const open = (await deps.requests.listForSubject(filer.subjectId)).filter((r) => r.type === filing.type && OPEN_STATUSES.includes(r.status));
  if (open.length > 0) throw new DuplicateRequestError();

  // After erasure the subject has no session: a receipt token, shown once, lets them read the receipt.
  const receiptToken = filing.type === 'erasure' ? randomBytes(32).toString('base64url') : undefined;
  const mode = deps.modes[filing.type];
  const request = newRequest({
    subjectId: filer.subjectId,
    type: filing.type,
    mode,
    now,
    dueAt: dueDateFor(now),
    fields: filing.fields,
    receiptTokenHash: receiptToken ? createHash('sha256').update(receiptToken).digest('hex') : undefined,
  });
  await deps.requests.create(request);
  deps.committed?.();
  if (mode !== 'automatic') return { request, receiptToken };
  try {
    await deps.enqueue(request);
    return { request, receiptToken };
  } catch (error) {
    // Recorded and verified, but not queued: an admin queues it again (approve). The subject still gets their answer.
    const verified = await deps.requests.transition(request, 'verified', { by: 'system', note: 'Could not be queued; an administrator will.' }, deps.now());
    return { request: verified, receiptToken, notQueued: (error as Error).name };
  }
}

// ---- an administrator's actions -------------------------------------------------------------------------------------

export type AdminAction<B> = (deps: RightsDeps, request: RightsRequest, body: B) => Promise<RightsRequest>;

/** Reads the request (404 if none), then acts on it. */
export async function actOnRequest<B>(deps: RightsDeps, requestId: string, act: AdminAction<B>, body: B): Promise<RightsRequest> {
  const request = await deps.requests.get(requestId);
  if (!request) throw new RequestNotFoundError();
  return act(deps, request, body);
}

export async function approve(deps: RightsDeps, request: RightsRequest): Promise<RightsRequest> {
  // Rectification is carried out by a person (then completed); only the automatic kinds have workers.
  if (request.type === 'rectification') throw new InvalidTransitionError(request.status, 'queued');
  const queued = await deps.requests.transition(request, 'queued', { by: 'admin', note: 'approved' }, deps.now());
  await deps.enqueue(queued);
  return queued;
}

export function reject(deps: RightsDeps, request: RightsRequest, body: { reason: string }): Promise<RightsRequest> {
  return deps.requests.transition(request, 'rejected', { by: 'admin', note: body.reason }, deps.now());
}

export async function extend(deps: RightsDeps, request: RightsRequest, body: { months: 1 | 2; reason: string }): Promise<RightsRequest> {
  const now = deps.now();
  assertExtendable(request, now);
  if (!['received', 'verified', 'queued', 'in_progress', 'awaiting_recipients', 'failed'].includes(request.status)) {
    throw new InvalidTransitionError(request.status, request.status);
  }
  const dueAt = extendDueDate(request.originalDueAt, body.months);
  const next: RightsRequest = {
    ...request,
    dueAt,
    extension: { dueAt, months: body.months, reason: body.reason, at: now.toISOString() },
    history: [...request.history, { status: request.status, at: now.toISOString(), by: 'admin', note: `deadline extended to ${dueAt}: ${body.reason}` }],
    updatedAt: now.toISOString(),
  };
  await deps.requests.replace(request, next, ['rightsRequests.dueAt', 'rightsRequests.extension']);
  return next;
}

/**
 * Completes a request handled by hand; a rectification's corrected fields are then corrected at their recipients too
 * (Art. 19). A request awaiting its recipients can be completed without them only once every recipient still owing an
 * answer is past its deadline (`answerBy`); the note says why (it stays in the history).
 */
export function complete(
  deps: RightsDeps,
  request: RightsRequest,
  body: { note: string; evidence: readonly CompletionEvidence[] },
): Promise<RightsRequest> {
  const now = deps.now();
  if (request.status === 'awaiting_recipients') {
    const day = now.toISOString().slice(0, 10);
    const owing = RECIPIENT_IDS.filter((id) => {
      const progress = request.recipients?.[id];
      return progress !== undefined && !isAcknowledged(progress.status);
    });
    const withinDeadline = owing.filter((id) => !overdueRecipients(request.recipients, day).includes(id));
    if (withinDeadline.length > 0) throw new RecipientsNotOverdueError(withinDeadline);
  }
  const outbox = request.type === 'rectification' ? rectificationOutboxEvent(request, now) : undefined;
  return deps.requests.transition(request, 'completed', { by: 'admin', note: body.note, evidence: body.evidence }, now, {}, outbox);
}
