/**
 * Consent as plain rules, modelled on authorization: an append-only ledger of decisions, a projection of the current state
 * per purpose written with each decision, and one `decide` that every route, worker and job asks before processing.
 */
import { randomUUID } from 'node:crypto';
import { Conflict, Refused } from './errors';
import { PURPOSE_IDS, isGated, policyHash, purposeOf, type PurposeId } from '../purposes';
import { consentOutboxEvent, type PendingRecipientEvent } from './recipient-outbox';

export type ConsentAction = 'grant' | 'withdraw' | 'object' | 'withdraw-objection' | 'restrict' | 'lift-restriction';
export type ConsentMethod = 'signup' | 'settings' | 'api' | 'admin-on-behalf';

/** The key of the restriction's own projection item; not a purpose. */
export const RESTRICTION = 'restriction';
export type ConsentTopic = PurposeId | typeof RESTRICTION;

export interface ConsentEvent {
  readonly subjectId: string;
  readonly eventId: string;
  readonly topic: ConsentTopic;
  readonly action: ConsentAction;
  /** Position in this topic's history, from 1; the projection carries the last one. */
  readonly seq: number;
  readonly policyVersion?: string;
  readonly policyHash?: string;
  readonly method: ConsentMethod;
  /** Server time, ISO 8601. */
  readonly at: string;
  /** The API client the decision came through (an app id, never an IP address or user agent). */
  readonly clientId: string;
  /** When a grant lapses, ISO 8601; absent when it does not. */
  readonly validUntil?: string;
}

/** The current state of one topic, as the projection stores it. */
export interface ConsentState {
  readonly topic: ConsentTopic;
  readonly seq: number;
  readonly lastAction: ConsentAction;
  readonly policyVersion?: string;
  readonly at: string;
  readonly method: ConsentMethod;
  readonly validUntil?: string;
}

/** The projection a decision leaves behind: what the ledger's adapter stores beside the event. */
export function stateAfter(event: ConsentEvent): ConsentState {
  return {
    topic: event.topic,
    seq: event.seq,
    lastAction: event.action,
    policyVersion: event.policyVersion,
    at: event.at,
    method: event.method,
    validUntil: event.validUntil,
  };
}

export type Refusal = 'not-granted' | 'needs-reconsent' | 'expired' | 'objected' | 'restricted';

export interface Decision {
  readonly allowed: boolean;
  readonly reason?: Refusal;
}

/** May we process for `purpose` now? The one check behind the HTTP gate, workers and jobs. */
export function decide(purpose: PurposeId, states: ReadonlyMap<ConsentTopic, ConsentState>, now: Date): Decision {
  const declaration = purposeOf(purpose);
  if (states.get(RESTRICTION)?.lastAction === 'restrict' && !declaration.continuesUnderRestriction) {
    return { allowed: false, reason: 'restricted' };
  }
  const state = states.get(purpose);
  switch (declaration.lawfulBasis) {
    case 'consent': {
      if (state?.lastAction !== 'grant') return { allowed: false, reason: 'not-granted' };
      if (!state.policyVersion || state.policyVersion < declaration.reconsentFrom) return { allowed: false, reason: 'needs-reconsent' };
      if (state.validUntil && Date.parse(state.validUntil) <= now.getTime()) return { allowed: false, reason: 'expired' };
      return { allowed: true };
    }
    case 'legitimate-interest':
      return state?.lastAction === 'object' ? { allowed: false, reason: 'objected' } : { allowed: true };
    default:
      return { allowed: true };
  }
}

export class ConsentRequiredError extends Refused<'consent-required'> {
  constructor(purpose: PurposeId, reason: Refusal) {
    super('consent-required', { purpose, reason });
  }
}

export class NotConsentBasedError extends Conflict<'wrong-lawful-basis'> {
  constructor(purpose: string, expected: 'consent' | 'legitimate-interest') {
    super('wrong-lawful-basis', { purpose, expected });
  }
}

export class ConsentConflictError extends Conflict<'consent-changed'> {
  constructor() {
    super('consent-changed', {});
  }
}

/** The ledger and its projection, written together. */
export interface ConsentStore {
  states(subjectId: string): Promise<Map<ConsentTopic, ConsentState>>;
  /**
   * Appends the event and replaces the projection in one transaction, if the projection is still `previous` (at its seq;
   * none: still absent), and moves the consent figures' counters from `previous` to the new state (`consent-stats.ts`);
   * with `outbox`, the recipients' pending event goes into the same transaction (it is published later, never lost).
   */
  append(event: ConsentEvent, previous: ConsentState | undefined, outbox?: PendingRecipientEvent): Promise<'ok' | 'conflict'>;
  history(subjectId: string, limit: number, cursor?: string): Promise<{ events: ConsentEvent[]; next?: string }>;
}

export interface ConsentDeps {
  readonly consents: ConsentStore;
  readonly now: () => Date;
}

const MAX_ATTEMPTS = 8;

/**
 * Records one decision. Reads the topic's state, appends the event conditional on that state, and starts over if another
 * decision landed in between, so ledger and projection always agree and the last event is the state.
 * Returns the event and every topic's state after it: this topic's new projection (the conditional append proves it
 * current) and the others as read just before, so the caller's answer needs no second read of the partition.
 */
export async function recordDecision(
  deps: ConsentDeps,
  input: { subjectId: string; topic: ConsentTopic; action: ConsentAction; method: ConsentMethod; clientId: string },
): Promise<{ event: ConsentEvent; states: Map<ConsentTopic, ConsentState> }> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const states = await deps.consents.states(input.subjectId);
    const current = states.get(input.topic);
    const now = deps.now();
    const purpose = input.topic === RESTRICTION ? undefined : purposeOf(input.topic);
    const validDays = purpose && input.action === 'grant' ? purpose.consentValidDays : undefined;
    const event: ConsentEvent = {
      subjectId: input.subjectId,
      eventId: randomUUID(),
      topic: input.topic,
      action: input.action,
      seq: (current?.seq ?? 0) + 1,
      ...(purpose && input.topic !== RESTRICTION ? { policyVersion: purpose.policy.version, policyHash: policyHash(input.topic) } : {}),
      method: input.method,
      at: now.toISOString(),
      clientId: input.clientId,
      ...(validDays ? { validUntil: new Date(now.getTime() + validDays * 86_400_000).toISOString() } : {}),
    };
    // Restriction set or lifted, consent withdrawn for a purpose a recipient serves: the recipients are told (Art. 19).
    if ((await deps.consents.append(event, current, consentOutboxEvent(event))) === 'ok') return { event, states: new Map(states).set(input.topic, stateAfter(event)) };
    await new Promise((r) => setTimeout(r, Math.random() * 15 * attempt));
  }
  throw new ConsentConflictError();
}

export function grant(deps: ConsentDeps, subjectId: string, purpose: PurposeId, granted: boolean, method: ConsentMethod, clientId: string) {
  if (purposeOf(purpose).lawfulBasis !== 'consent') throw new NotConsentBasedError(purpose, 'consent');
  return recordDecision(deps, { subjectId, topic: purpose, action: granted ? 'grant' : 'withdraw', method, clientId });
}

export function object(deps: ConsentDeps, subjectId: string, purpose: PurposeId, objecting: boolean, clientId: string) {
  if (!purposeOf(purpose).objectable) throw new NotConsentBasedError(purpose, 'legitimate-interest');
  return recordDecision(deps, { subjectId, topic: purpose, action: objecting ? 'object' : 'withdraw-objection', method: 'api', clientId });
}

export function restrict(deps: ConsentDeps, subjectId: string, restricted: boolean, clientId: string) {
  return recordDecision(deps, { subjectId, topic: RESTRICTION, action: restricted ? 'restrict' : 'lift-restriction', method: 'api', clientId });
}

export interface PurposeConsentView {
  readonly purpose: PurposeId;
  readonly lawfulBasis: string;
  readonly required: boolean;
  /** Whether processing for the purpose may happen now. */
  readonly active: boolean;
  readonly status: 'granted' | 'not-granted' | 'withdrawn' | 'needs-reconsent' | 'expired' | 'objected' | 'restricted' | 'not-applicable';
  readonly decidedAt?: string;
  readonly method?: ConsentMethod;
  readonly grantedPolicyVersion?: string;
  readonly currentPolicyVersion: string;
  readonly validUntil?: string;
}

export function consentView(states: ReadonlyMap<ConsentTopic, ConsentState>, now: Date) {
  const restriction = states.get(RESTRICTION);
  const restricted = restriction?.lastAction === 'restrict';
  const purposes: PurposeConsentView[] = PURPOSE_IDS.map((purpose) => {
    const declaration = purposeOf(purpose);
    const state = states.get(purpose);
    const decision = decide(purpose, states, now);
    let status: PurposeConsentView['status'];
    if (decision.allowed) status = declaration.lawfulBasis === 'consent' ? 'granted' : 'not-applicable';
    else if (decision.reason === 'not-granted') status = state?.lastAction === 'withdraw' ? 'withdrawn' : 'not-granted';
    else status = decision.reason!;
    return {
      purpose,
      lawfulBasis: declaration.lawfulBasis,
      required: declaration.required,
      active: decision.allowed,
      status,
      decidedAt: state?.at,
      method: state?.method,
      grantedPolicyVersion: state?.lastAction === 'grant' ? state.policyVersion : undefined,
      currentPolicyVersion: declaration.policy.version,
      validUntil: state?.lastAction === 'grant' ? state.validUntil : undefined,
    };
  });
  return { purposes, restriction: { restricted, since: restricted ? restriction?.at : undefined } };
}

/** Purposes a route's gate checks (contract and legal-obligation purposes pass unless restriction stops them). */
export { isGated };
