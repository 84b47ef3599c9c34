/**
 * What erasure does to each store of the inventory. Typed over every StoreId: declaring a new store in `inventory.ts`
 * without saying here how it is erased does not compile, so a new store cannot be forgotten.
 *
 * Order matters: the subject's key goes last (until then the worker can still read what it deletes), and the stores that
 * lead to the subject (identities, blind indexes) go before the account itself.
 */
import type { StoreId } from './inventory';

export type ErasureAction = 'delete' | 'pseudonymise' | 'keep' | 'shred';

export interface ErasureRule {
  readonly action: ErasureAction;
  /** Why, in words the receipt and the README can show. */
  readonly why: string;
}

export const ERASURE_PLAN: Readonly<Record<StoreId, ErasureRule>> = {
  exports: { action: 'delete', why: 'Export files of the subject’s requests are deleted.' },
  analyticsEvents: { action: 'delete', why: 'Usage events under the subject’s analytics pseudonym are deleted.' },
  sessions: { action: 'delete', why: 'Every session ends and is deleted.' },
  identities: { action: 'delete', why: 'Login identifiers (email blind index, external identities) are deleted.' },
  loginThrottle: { action: 'delete', why: 'The failed-login counter of the subject’s email (keyed by its blind index) is deleted.' },
  consent: {
    action: 'pseudonymise',
    why: 'Current choices and preferences are deleted; the decision ledger is kept as proof (Art. 7(1)) under the audit pseudonym.',
  },
  rightsRequests: { action: 'pseudonymise', why: 'Requests are kept as proof of how they were answered, under the audit pseudonym.' },
  users: { action: 'delete', why: 'The account and its encrypted profile are deleted.' },
  audit: { action: 'keep', why: 'Audit entries hold pseudonyms and field names only; kept for their retention period.' },
  rightsRequestQueue: { action: 'keep', why: 'Jobs carry request ids only and expire with the queue’s retention.' },
  subjectKeys: {
    action: 'shred',
    why: 'The subject’s data key is destroyed last: every remaining copy of their ciphertext (backups, streams) becomes unreadable.',
  },
};

/** The steps the erasure worker runs, in order (stores kept as they are appear in the receipt too). */
export const ERASURE_ORDER: readonly StoreId[] = [
  'exports',
  'analyticsEvents',
  'sessions',
  'identities',
  'consent',
  'rightsRequests',
  'users',
  'loginThrottle',
  'audit',
  'rightsRequestQueue',
  'subjectKeys',
];

/** Point-in-time recovery keeps 35 days; after that no table backup holds the erased data (and all were shredded anyway). */
export const BACKUP_RETENTION_DAYS = 35;
