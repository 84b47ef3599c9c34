/**
 * What the domain refuses, in its own terms: a kind (what a caller can do about it) and a machine code (which rule said
 * no), with the facts a caller needs (ids, numbers, names of purposes; never personal values). No HTTP here: the HTTP layer
 * maps each code to a problem document (status, slug, title, detail, headers) in one table (`http/problems.ts`,
 * `problemOf`), which the type below keeps complete.
 */
import type { PurposeId } from '../purposes';
import type { Refusal } from './consent';
import type { RequestStatus } from './rights';

/** Every code the domain throws, with the facts each carries. */
export interface DomainErrorFacts {
  'email-unverified': {};
  'email-required': {};
  'email-taken': {};
  'invalid-credentials': {};
  'too-many-attempts': { readonly retryAfterSeconds: number };
  'current-password-required': {};
  'recent-login-required': { readonly withinSeconds: number };
  'reauthentication-required': { readonly withinSeconds: number };
  'reauthentication-failed': {};
  'session-ended': {};
  'profile-erased': {};
  'account-changed': {};
  'consent-required': { readonly purpose: PurposeId; readonly reason: Refusal };
  'wrong-lawful-basis': { readonly purpose: string; readonly expected: 'consent' | 'legitimate-interest' };
  'consent-changed': {};
  'already-extended': {};
  'extension-too-late': {};
  'subject-not-found': {};
  'reverification-required': { readonly minutes: number };
  'request-not-found': {};
  'invalid-transition': { readonly from: RequestStatus; readonly to: RequestStatus };
  'request-open': {};
  'export-not-ready': {};
  'ack-unauthenticated': {};
  'ack-forbidden': {};
  'recipient-not-found': {};
  'export-part-missing': { readonly upload: { readonly url: string; readonly method: 'PUT'; readonly headers: Record<string, string>; readonly expiresAt: string } };
  'recipients-not-overdue': { readonly recipients: readonly string[] };
  'audit-search-range': { readonly reason: 'backwards' | 'too-wide'; readonly maxDays: number };
  'audit-export-too-large': { readonly maxEntries: number };
  'consent-decision-not-found': {};
  'incident-not-found': {};
  'incident-changed': {};
  'incident-closed': {};
  'personal-data-in-text': { readonly field: string };
  'late-notice-reasons-required': { readonly deadline: string };
  'incident-times': { readonly field: string; readonly rule: string };
}

export type DomainErrorCode = keyof DomainErrorFacts;

/**
 * `not-found`: nothing of the caller's by that id; `conflict`: the state does not allow it (now); `invalid`: the input
 * can never work; `gone`: it existed and was erased; `refused`: the caller must prove more (who they are, consent);
 * `throttled`: later.
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'invalid' | 'gone' | 'refused' | 'throttled';

export abstract class DomainError<C extends DomainErrorCode = DomainErrorCode> extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(
    readonly code: C,
    readonly facts: DomainErrorFacts[C],
  ) {
    // The code only: messages are for logs, and the logger records the class, never the message.
    super(code);
    this.name = new.target.name;
  }
}

// One per kind; a code's class extends the kind it is.
export abstract class NotFound<C extends DomainErrorCode> extends DomainError<C> { readonly kind = 'not-found'; }
export abstract class Conflict<C extends DomainErrorCode> extends DomainError<C> { readonly kind = 'conflict'; }
export abstract class Invalid<C extends DomainErrorCode> extends DomainError<C> { readonly kind = 'invalid'; }
export abstract class Gone<C extends DomainErrorCode> extends DomainError<C> { readonly kind = 'gone'; }
export abstract class Refused<C extends DomainErrorCode> extends DomainError<C> { readonly kind = 'refused'; }
export abstract class Throttled<C extends DomainErrorCode> extends DomainError<C> { readonly kind = 'throttled'; }
