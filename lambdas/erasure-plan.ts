/**
 * What erasure does to each store of the inventory. Typed over every StoreId: declaring a new store in `inventory.ts`
 * without saying here how it is erased does not compile, so a new store cannot be forgotten.
 *
 * Order matters: the subject's key goes last (until then the worker can still read what it deletes), and the stores that
 * lead to the subject (identities, blind indexes) go before the account itself.
 */
import type { AppStoreId, StoreId } from './inventory';
import { DEFAULT_AUDIT_RETENTION_DAYS, LOG_RETENTION_DAYS, perStage } from './retention-periods';

/** Logs AWS services write are not erased per subject: each record covers one call of anyone, and they age out. */
const NOT_PER_SUBJECT = 'Not erased per subject: the service appends records of many people into shared files or streams;';

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
  // Not an erasure step (not in ERASURE_ORDER): nothing in it is about anyone.
  jobRuns: { action: 'keep', why: 'Holds no personal field: the last run of each scheduled job, its outcome and counts.' },
  incidents: {
    action: 'keep',
    why: 'Breach records name subjects by audit pseudonym only, as the audit trail does; kept for their retention period (Art. 33(5)).',
  },
  rightsRequestQueue: { action: 'keep', why: 'Jobs carry request ids only and expire with the queue’s retention.' },
  recipientEvents: {
    action: 'keep',
    why:
      'The erasure event itself is published to each recipient before anything is deleted (it must carry what the recipient ' +
      'finds the subject by); each recipient consumes and deletes its message, or it expires with the queue’s retention.',
  },
  subjectEvents: {
    action: 'keep',
    why:
      'The topic keeps nothing; a subscriber (the app\'s mailer) consumes each message. Events published after the erasure ' +
      'carry no subject id and no free text.',
  },
  subjectKeys: {
    action: 'shred',
    why: 'The subject’s data key is destroyed last: every remaining copy of their ciphertext (backups, streams) becomes unreadable.',
  },
  accessLogs: {
    action: 'keep',
    why:
      `${NOT_PER_SUBJECT} lines expire after ${perStage(LOG_RETENTION_DAYS)}. A download line links an IP address to the ` +
      'request id in the object key, which after erasure leads only to the pseudonymised request.',
  },
  trailBucket: {
    action: 'keep',
    why:
      `${NOT_PER_SUBJECT} log files are integrity-validated (changing one breaks validation) and expire after ` +
      `${DEFAULT_AUDIT_RETENTION_DAYS} days by default. They hold the keys of the items touched (subject id, hashes); after ` +
      'erasure those items are gone and the key is shredded, so the ids lead to no stored data.',
  },
  trailLogGroup: {
    action: 'keep',
    why: `${NOT_PER_SUBJECT} events expire with the log-group retention; the same ids as the trail bucket, leading to nothing after erasure.`,
  },
  apiAccessLogs: {
    action: 'keep',
    why: 'Holds no personal field: request ids, routes as templates, statuses and timings; lines expire with the log-group retention.',
  },
};

/** The steps the erasure worker runs, in order (stores kept as they are appear in the receipt too). */
export const ERASURE_ORDER: readonly AppStoreId[] = [
  'exports',
  'analyticsEvents',
  'sessions',
  'identities',
  'consent',
  'rightsRequests',
  'users',
  'loginThrottle',
  'audit',
  'incidents',
  'rightsRequestQueue',
  'recipientEvents',
  'subjectEvents',
  'subjectKeys',
];

/** Point-in-time recovery keeps 35 days; after that no table backup holds the erased data (and all were shredded anyway). */
export const BACKUP_RETENTION_DAYS = 35;
