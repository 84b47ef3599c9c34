/**
 * Carries out one queued rights request: export, access or erasure. Idempotent and resumable: a request already finished
 * is skipped, and an erasure records each step as it completes, so a crash (or a redelivery) continues after the last one.
 *
 * Over ports: the requests, the account's retention state, everything held on the subject (store by store), the job's
 * audit trail, the pseudonyms, the clock. The worker's handler wires them (`wiring/jobs.ts`).
 */
import { BACKUP_RETENTION_DAYS, ERASURE_ORDER, ERASURE_PLAN } from '../erasure-plan';
import { inventory, type AppStoreId, type StoreId } from '../inventory';
import { allPurposes, purposeForAccessExport } from '../purpose-summary';
import type { SealedContent, UserRecord } from './accounts';
import type { AuditEntry, AuditNote, AuditOutcome } from './audit';
import { consentView, type ConsentState, type ConsentTopic } from './consent';
import type { RecipientEventPublisher, SubjectIdentifiers } from './recipient-events';
import { accountFacts, exportDocument, SUBJECT_RIGHTS, toCsv } from './export-document';
import { retentionErasureStop, type AccountRetention } from './retention';
import { InvalidTransitionError, requestView, type ErasureStep, type RightsRequest, type RightsStore } from './rights';
import { allAcknowledged, withPending } from './recipient-acks';
import type { RecipientId } from '../recipients';

type Item = Record<string, any>;

/** Everything held on one subject, store by store: found (export, access), erased (by the plan), searched for again. */
export interface SubjectDataPort {
  user(subjectId: string): Promise<UserRecord | undefined>;
  /** The decrypted profile and its sources, or undefined once the key is gone. */
  profile(user: UserRecord): Promise<SealedContent | undefined>;
  identities(subjectId: string): Promise<Item[]>;
  sessions(subjectId: string): Promise<Item[]>;
  consentItems(subjectId: string): Promise<Item[]>;
  requests(subjectId: string): Promise<RightsRequest[]>;
  analyticsEvents(subjectId: string): Promise<Item[]>;
  auditEntries(subjectId: string): Promise<AuditEntry[]>;
  /** Writes the export files; returns their keys. */
  putExport(requestId: string, json: string, csv: string): Promise<{ json: string; csv: string }>;
  eraseExports(requests: readonly RightsRequest[]): Promise<number>;
  eraseAnalytics(subjectId: string): Promise<number>;
  eraseSessions(subjectId: string): Promise<number>;
  eraseIdentities(subjectId: string): Promise<number>;
  pseudonymiseConsent(subjectId: string, pseudonym: string): Promise<number>;
  pseudonymiseRequests(subjectId: string, pseudonym: string, except: string): Promise<number>;
  eraseThrottle(emailIndex: string | undefined): Promise<number>;
  eraseUser(subjectId: string): Promise<number>;
  shredKey(subjectId: string): Promise<number>;
  /** The stores that still hold something of the subject (verification after erasure). */
  leftovers(subjectId: string, keys: { emailIndex?: string; identityKeys: readonly string[] }, except: string): Promise<string[]>;
}

/** The job's audit trail: reads noted along the way are written at the end; `record` writes an entry of its own. */
export interface JobAudit {
  record(note: AuditNote): Promise<void>;
  flushReads(outcome: AuditOutcome): Promise<void>;
}

export interface RequestJobDeps {
  readonly requests: RightsStore;
  /** The account's retention state (with the subject's restriction), or undefined once it is gone. */
  readonly retentionOf: (subjectId: string) => Promise<AccountRetention | undefined>;
  readonly data: SubjectDataPort;
  readonly audit: JobAudit;
  readonly pseudonymOf: (subjectId: string) => Promise<string>;
  /** Drops what this container caches of the subject (its unwrapped data key, pseudonyms) once it is erased. */
  readonly forgetCached: (subjectId: string) => void;
  readonly now: () => Date;
  /** Tells the recipients (Art. 17(2), 19): erasure before anything is deleted, export as it starts. */
  readonly recipients: RecipientEventPublisher;
  /**
   * Whether the request waits for this recipient's ack before it completes (AWAIT_RECIPIENTS; every recipient on AWS).
   * A recipient not waited for is still told.
   */
  readonly awaits: (recipient: RecipientId) => boolean;
  /** The receive count of the message at which the request is marked failed (the next failure sends it to the DLQ). */
  readonly lastReceive: number;
  /** Called after each erasure step is recorded (fault injection in tests: it may throw, as a crash would). */
  readonly afterErasureStep?: (requestId: string, store: AppStoreId) => void;
  /** Errors that must not mark the request failed even on the last receive (an injected fault). */
  readonly isInjectedFault?: (error: unknown) => boolean;
}

export type RequestJob = { kind: 'export' | 'access' | 'erasure'; requestId: string };

/** The erasure's verification found the subject's data in these stores: the job fails (and is retried). */
export class ErasureLeftoversError extends Error {
  constructor(readonly stores: readonly string[]) {
    super(`erasure verification found data in ${stores.join(', ')}`);
    this.name = 'ErasureLeftoversError';
  }
}

/** `skipped`: no such request (`missing`), or nothing left to do (finished already, or a retention erasure stopped). */
export async function runRequestJob(
  deps: RequestJobDeps,
  job: RequestJob,
  meta: { receiveCount: number },
): Promise<'done' | 'skipped' | 'missing'> {
  const { requests, audit } = deps;
  let request = await requests.get(job.requestId);
  if (!request || request.type !== job.kind) return 'missing';
  // A duplicate delivery of a finished (or abandoned) request changes nothing.
  if (request.status === 'completed' || request.status === 'rejected' || request.status === 'failed') return 'skipped';
  // A retention erasure not started yet is stopped if the subject came back, restricted processing, or an admin placed a
  // legal hold since it was filed.
  if (request.origin === 'retention' && (request.status === 'verified' || request.status === 'queued')) {
    const account = await deps.retentionOf(request.subjectId);
    const stop = account ? retentionErasureStop(account, request) : undefined;
    if (stop) {
      await requests.transition(request, 'rejected', { by: 'worker', note: stop }, deps.now());
      return 'skipped';
    }
  }
  if (request.status === 'verified') request = await requests.transition(request, 'queued', { by: 'worker' }, deps.now());
  if (request.status === 'queued') request = await requests.transition(request, 'in_progress', { by: 'worker' }, deps.now());

  try {
    if (request.type === 'erasure') await erase(deps, request);
    else await exportFor(deps, request as RightsRequest & { type: 'export' | 'access' });
    await audit.flushReads('success');
    return 'done';
  } catch (error) {
    await audit.flushReads('failure').catch(() => undefined);
    if (meta.receiveCount >= deps.lastReceive && !deps.isInjectedFault?.(error)) {
      // The message goes to the DLQ next; the request says so instead of staying "in progress" forever.
      const current = await requests.get(request.requestId);
      if (current?.status === 'in_progress') {
        await requests
          .transition(current, 'failed', { by: 'worker', note: 'Could not be completed automatically; an administrator will follow up.' }, deps.now())
          .catch(() => undefined);
      }
    }
    throw error;
  }
}

// ---- export and access ----------------------------------------------------------------------------------------------

async function exportFor(deps: RequestJobDeps, initial: RightsRequest & { type: 'export' | 'access' }): Promise<void> {
  let request: RightsRequest = initial;
  const { data, audit } = deps;
  const subjectId = request.subjectId;
  const user = await data.user(subjectId);
  const content = user ? await data.profile(user) : undefined;
  // Recipients that hold data of their own provide their part; a retry republishes the same message ids.
  if (request.type === 'export') request = await tellRecipients(deps, 'export', request, identifiersOf(subjectId, content));
  const consentItems = await data.consentItems(subjectId);
  const states = new Map<ConsentTopic, ConsentState>(
    consentItems.filter((i) => String(i.sk).startsWith('state#')).map((i) => [i.topic as ConsentTopic, i as ConsentState]),
  );
  const strip = <T extends Record<string, unknown>>(item: T, ...keys: string[]) =>
    Object.fromEntries(Object.entries(item).filter(([k]) => !keys.includes(k)));
  const now = deps.now();
  const document = exportDocument({
    requestId: request.requestId,
    kind: initial.type,
    generatedAt: now.toISOString(),
    subjectId,
    data: {
      account: user && {
        profile: content?.profile ?? null,
        sources: content?.sources ?? null,
        ...accountFacts(user),
      },
      identities: (await data.identities(subjectId)).map((i) => ({ kind: i.kind, createdAt: i.createdAt })),
      sessions: (await data.sessions(subjectId)).map((s) => strip(s, 'tokenHash', 'subjectId', 'roles')),
      consent: {
        current: consentView(states, now),
        history: consentItems.filter((i) => String(i.sk).startsWith('event#')).map((e) => strip(e, 'subjectId', 'sk')),
        preferences: consentItems.filter((i) => String(i.sk).startsWith('pref#')).map((p) => strip(p, 'subjectId')),
      },
      analyticsEvents: (await data.analyticsEvents(subjectId)).map((e) => ({ name: e.name, at: e.at, properties: e.properties })),
      rightsRequests: (await data.requests(subjectId)).map((r) => requestView(r)),
      accessLog: (await data.auditEntries(subjectId)).map((e) => ({
        at: e.at,
        action: e.action,
        actorRole: e.actorRole,
        purpose: e.purpose,
        categories: e.categories,
        fields: e.fields,
        origin: e.origin,
        outcome: e.outcome,
      })),
    },
    context:
      initial.type === 'access'
        ? {
            purposes: allPurposes(purposeForAccessExport),
            stores: Object.fromEntries(
              (Object.keys(inventory) as StoreId[]).map((id) => [id, { description: inventory[id].description, retention: inventory[id].retention }]),
            ),
            rights: SUBJECT_RIGHTS,
          }
        : undefined,
  });
  const exportKeys = await data.putExport(request.requestId, JSON.stringify(document, null, 2), toCsv(document));
  await audit.record({ action: 'export', subjectId, fields: Object.keys(document.data).map((k) => `export.${k}`) });
  await finish(deps, request, { exportKeys });
}

// ---- erasure --------------------------------------------------------------------------------------------------------

async function erase(deps: RequestJobDeps, initial: RightsRequest): Promise<void> {
  const { data, requests } = deps;
  let request = initial;
  const subjectId = request.subjectId;
  const pseudonym = await deps.pseudonymOf(subjectId);

  // Before anything is deleted: what the verification must later search for, once the records holding it are gone.
  if (!request.pendingVerification) {
    const user = await data.user(subjectId);
    const identityKeys = (await data.identities(subjectId)).map((i) => i.identityKey as string);
    const next = { ...request, pendingVerification: { emailIndex: user?.emailIndex, identityKeys }, updatedAt: deps.now().toISOString() };
    await requests.replace(request, next, ['rightsRequests.pendingVerification']);
    request = next;
  }

  // Before the first step, while the profile can still be decrypted: the email provider finds the subject by the email.
  // Once a step is recorded the event went out (a failed publish fails the job before any step), so a resumed erasure
  // does not need the profile; a retry before that republishes the same message ids.
  if ((request.erasureSteps ?? []).length === 0) {
    const user = await data.user(subjectId);
    request = await tellRecipients(deps, 'erasure', request, identifiersOf(subjectId, user ? await data.profile(user) : undefined));
  }

  const done = new Set((request.erasureSteps ?? []).map((s) => s.store));
  for (const store of ERASURE_ORDER) {
    if (done.has(store)) continue;
    const count = await eraseStore(store, subjectId, pseudonym, request, data);
    const rule = ERASURE_PLAN[store];
    const step: ErasureStep = {
      store,
      action: rule.action === 'delete' ? 'deleted' : rule.action === 'pseudonymise' ? 'pseudonymised' : rule.action === 'shred' ? 'shredded' : 'kept',
      count,
      at: deps.now().toISOString(),
    };
    // The step's record and its audit entry commit together: a crash after this line resumes at the next store.
    request = await recordStep(deps, request, step, subjectId);
    deps.afterErasureStep?.(request.requestId, store);
  }
  // Every step is done (some perhaps by another container, before a redelivery): nothing cached here outlives it.
  deps.forgetCached(subjectId);

  const leftovers = await data.leftovers(subjectId, request.pendingVerification!, request.requestId);
  if (leftovers.length > 0) throw new ErasureLeftoversError(leftovers);
  const completedAt = deps.now();
  const receipt = {
    requestId: request.requestId,
    completedAt: completedAt.toISOString(),
    steps: request.erasureSteps ?? [],
    verification: { ok: true, storesChecked: ERASURE_ORDER.filter((s) => ERASURE_PLAN[s].action !== 'keep'), at: completedAt.toISOString() },
    backupsAgeOutBy: new Date(completedAt.getTime() + BACKUP_RETENTION_DAYS * 86_400_000).toISOString(),
    note:
      'Your account and personal data are deleted; your data key is destroyed, so backups cannot be read either. Records of ' +
      'your consents and requests are kept only under a pseudonym, as proof. Audit entries never held your data.',
  };
  // Last: the request itself keeps only the pseudonym, and the search keys go.
  await finish(deps, request, { subjectId: `erased#${pseudonym}`, receipt, pendingVerification: undefined }, completedAt);
}

/**
 * Records an erasure step on the request. A recipient's ack may land on the request meanwhile (it changes only
 * `recipients`): then the request is read again and the step recorded on it, as long as no other worker recorded a step.
 */
async function recordStep(deps: RequestJobDeps, initial: RightsRequest, step: ErasureStep, subjectId: string): Promise<RightsRequest> {
  let request = initial;
  for (let attempt = 1; ; attempt++) {
    const next = { ...request, erasureSteps: [...(request.erasureSteps ?? []), step], updatedAt: step.at };
    try {
      await deps.requests.replace(request, next, [], { action: 'erase', subjectId, fields: [`${step.store}.*`] });
      return next;
    } catch (error) {
      const current = error instanceof InvalidTransitionError && attempt < 5 ? await deps.requests.get(request.requestId) : undefined;
      // Compared by count, not by JSON: a map read back from DynamoDB need not keep its keys in the order they were written
      // (DynamoDB Local returns them in another), so equal steps could compare unequal and the job fail for nothing.
      const sameSteps = (current?.erasureSteps ?? []).length === (request.erasureSteps ?? []).length;
      if (current?.status !== 'in_progress' || !sameSteps) throw error;
      request = current;
    }
  }
}

/**
 * Ends the worker's part: `completed` if every recipient waited for has acknowledged (or none is), else
 * `awaiting_recipients`, for the last ack to complete. An ack recorded meanwhile changes the request under the worker: it
 * is read again and the decision made again, so an ack is never lost and a request never waits for an ack already in.
 */
async function finish(deps: RequestJobDeps, initial: RightsRequest, extra: Partial<RightsRequest>, at = deps.now()): Promise<void> {
  let request = initial;
  for (let attempt = 1; ; attempt++) {
    const to = allAcknowledged(request.recipients) ? 'completed' : 'awaiting_recipients';
    try {
      await deps.requests.transition(request, to, { by: 'worker' }, at, extra);
      return;
    } catch (error) {
      const current = error instanceof InvalidTransitionError && attempt < 5 ? await deps.requests.get(request.requestId) : undefined;
      if (current?.status !== 'in_progress') throw error;
      request = current;
    }
  }
}

// ---- recipients -----------------------------------------------------------------------------------------------------

/**
 * What recipients may find the subject by; each message carries only what its recipient is declared to receive. Without
 * the decrypted profile (account gone, key destroyed) the email is lost: recipients that know the subject only by it
 * cannot be told (`identifiersLost`).
 */
function identifiersOf(subjectId: string, content: SealedContent | undefined): { subject: SubjectIdentifiers; identifiersLost?: true } {
  const email = content?.profile.email;
  return email ? { subject: { subjectId, email } } : { subject: { subjectId }, identifiersLost: true };
}

/**
 * The event's time is the request's receipt, so a republished message is the same message, body included. Then the
 * request records each recipient told that it waits for (`pending`, with the message's id and deadline), which is what
 * `finish` and the ack route decide on. A crash between the two republishes the same messages on retry, then records.
 */
async function tellRecipients(
  deps: RequestJobDeps,
  type: 'erasure' | 'export',
  initial: RightsRequest,
  identifiers: ReturnType<typeof identifiersOf>,
): Promise<RightsRequest> {
  const told = await deps.recipients.publish({ type, source: { kind: 'rights-request', id: initial.requestId }, at: initial.receivedAt, ...identifiers });
  const awaited = told.filter(deps.awaits);
  let request = initial;
  for (let attempt = 1; ; attempt++) {
    const recipients = withPending(request, awaited);
    if (!recipients) return request;
    const next: RightsRequest = { ...request, recipients, updatedAt: deps.now().toISOString() };
    try {
      await deps.requests.replace(request, next, ['rightsRequests.recipients']);
      return next;
    } catch (error) {
      // An early ack recorded meanwhile: read again, add what is still missing.
      const current = error instanceof InvalidTransitionError && attempt < 5 ? await deps.requests.get(request.requestId) : undefined;
      if (current?.status !== 'in_progress') throw error;
      request = current;
    }
  }
}

async function eraseStore(store: AppStoreId, subjectId: string, pseudonym: string, request: RightsRequest, data: SubjectDataPort): Promise<number> {
  switch (store) {
    case 'exports':
      return data.eraseExports(await data.requests(subjectId));
    case 'analyticsEvents':
      return data.eraseAnalytics(subjectId);
    case 'sessions':
      return data.eraseSessions(subjectId);
    case 'identities':
      return data.eraseIdentities(subjectId);
    case 'consent':
      return data.pseudonymiseConsent(subjectId, pseudonym);
    case 'rightsRequests':
      return data.pseudonymiseRequests(subjectId, pseudonym, request.requestId);
    case 'users':
      return data.eraseUser(subjectId);
    case 'subjectKeys':
      return data.shredKey(subjectId);
    case 'loginThrottle':
      return data.eraseThrottle(request.pendingVerification?.emailIndex);
    case 'audit':
    case 'jobRuns':
    case 'incidents':
    case 'rightsRequestQueue':
    case 'recipientEvents':
    case 'subjectEvents':
      return 0;
  }
}
