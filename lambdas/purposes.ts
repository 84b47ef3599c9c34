/**
 * The catalogue of processing purposes: part of the personal-data inventory. Each route declares one of these ids as the
 * purpose it processes for; the consent gate, the consent API, the audit trail and (later) the RoPA all read from here.
 *
 * Pure data plus derived values; no AWS or HTTP types. The categories of data each purpose processes are not declared here:
 * they follow from what its routes, workers and jobs touch (`purposeCategories` in `data-map.ts`), so they cannot drift.
 */
import { createHash } from 'node:crypto';
import type { RecipientId } from './recipients';

export type LawfulBasis = 'consent' | 'contract' | 'legal-obligation' | 'legitimate-interest';

export interface PurposeDeclaration {
  readonly title: string;
  readonly description: string;
  readonly lawfulBasis: LawfulBasis;
  /** Required purposes come with the service itself (contract, legal obligation); optional ones are the subject's choice. */
  readonly required: boolean;
  /** The policy text the subject is shown for this purpose, and its version. A grant records both (as a hash). */
  readonly policy: { readonly version: string; readonly text: string };
  /**
   * Grants given under an older policy version than this one need re-consent: set it to the current version when a change
   * is material, leave it when the change is not (typo fixes keep existing consents valid).
   */
  readonly reconsentFrom: string;
  /** A consent lapses this many days after it was given (counts as not granted). Absent: it does not lapse. */
  readonly consentValidDays?: number;
  readonly retention: string;
  /**
   * The recipients (`recipients.ts`) that receive data for this purpose; each must declare what it receives for it (a unit
   * test checks both directions). AWS, the hosting processor of every purpose, is not one: the RoPA names it per activity.
   */
  readonly recipients: readonly RecipientId[];
  /** Legitimate-interest purposes the subject may object to (Art. 21). */
  readonly objectable?: boolean;
  /**
   * Whether processing for this purpose continues while the subject has restricted processing (Art. 18): only storage, the
   * exercise of rights and what the law requires do.
   */
  readonly continuesUnderRestriction: boolean;
}

export const purposes = {
  account: {
    title: 'Your account',
    description: 'Creating and running your account: sign-up, login, sessions, your profile and its corrections.',
    lawfulBasis: 'contract',
    required: true,
    policy: { version: '2026-11-01', text: 'We process your email, name and login data to provide your account.' },
    reconsentFrom: '2026-11-01',
    retention: 'Until you erase your account.',
    recipients: ['app-service'],
    // Logging in and correcting data is how a subject exercises rights during a restriction.
    continuesUnderRestriction: true,
  },
  transparency: {
    title: 'Showing you your data and its use',
    description: 'Answering your requests to see what we hold and who accessed it (GDPR Art. 12 and 15).',
    lawfulBasis: 'legal-obligation',
    required: true,
    policy: { version: '2026-11-01', text: 'We keep and show you a record of access to your data, as the law requires.' },
    reconsentFrom: '2026-11-01',
    retention: 'Audit records: 13 months.',
    recipients: [],
    continuesUnderRestriction: true,
  },
  accountability: {
    title: 'Accountability and security',
    description: 'Keeping an audit trail of access to personal data and letting administrators review it (Art. 5(2), 30, 32).',
    lawfulBasis: 'legal-obligation',
    required: true,
    policy: { version: '2026-11-01', text: 'We record who accessed personal data, by pseudonym, to prove lawful processing.' },
    reconsentFrom: '2026-11-01',
    retention: 'Audit records: 13 months.',
    recipients: [],
    continuesUnderRestriction: true,
  },
  'consent-management': {
    title: 'Recording your choices',
    description: 'Keeping the record of your consents, objections and restrictions, so we can prove and honour them (Art. 7(1)).',
    lawfulBasis: 'legal-obligation',
    required: true,
    policy: { version: '2026-11-01', text: 'We keep a record of each choice you make about your data, as the law requires.' },
    reconsentFrom: '2026-11-01',
    retention: 'As long as the processing it authorised could be questioned; kept pseudonymised after erasure.',
    recipients: [],
    continuesUnderRestriction: true,
  },
  'marketing-email': {
    title: 'Newsletter and offers by email',
    description: 'Sending you our newsletter and offers at your email address.',
    lawfulBasis: 'consent',
    required: false,
    policy: { version: '2026-11-01', text: 'We send you our newsletter by email until you withdraw your consent.' },
    reconsentFrom: '2026-11-01',
    consentValidDays: 730,
    retention: 'Until you withdraw; the proof of your consent is kept as long as we could be asked for it.',
    recipients: ['email-provider'],
    continuesUnderRestriction: false,
  },
  analytics: {
    title: 'Usage analytics',
    description: 'Counting how the app is used, by pseudonymous events, to understand and improve it.',
    lawfulBasis: 'consent',
    required: false,
    policy: { version: '2026-11-01', text: 'We record pseudonymous usage events while you allow it.' },
    reconsentFrom: '2026-11-01',
    consentValidDays: 395,
    retention: 'Events: 90 days.',
    recipients: [],
    continuesUnderRestriction: false,
  },
  'product-improvement': {
    title: 'Product improvement',
    description: 'Aggregate analysis of service data to fix bugs and improve features; you may object at any time.',
    lawfulBasis: 'legitimate-interest',
    required: false,
    policy: { version: '2026-11-01', text: 'We analyse aggregate service data to improve the product unless you object.' },
    reconsentFrom: '2026-11-01',
    retention: 'Aggregates only; inputs 90 days.',
    recipients: [],
    objectable: true,
    continuesUnderRestriction: false,
  },
} as const satisfies Record<string, PurposeDeclaration>;

export type PurposeId = keyof typeof purposes;
export const PURPOSE_IDS = Object.keys(purposes) as PurposeId[];

export function isPurposeId(value: string): value is PurposeId {
  return Object.hasOwn(purposes, value);
}

export function purposeOf(id: PurposeId): PurposeDeclaration {
  return purposes[id];
}

/** SHA-256 of the policy text: a grant records the exact text it was given for. */
export function policyHash(id: PurposeId): string {
  return createHash('sha256').update(purposes[id].policy.text, 'utf8').digest('hex');
}

/** Purposes whose processing depends on the subject's choice: they pass the consent gate. */
export function isGated(id: PurposeId): boolean {
  const basis = purposes[id].lawfulBasis;
  return basis === 'consent' || basis === 'legitimate-interest' || !purposeOf(id).continuesUnderRestriction;
}
