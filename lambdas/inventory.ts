/**
 * The personal-data inventory: every store that holds data about a person, the fields in it, their category, and how long
 * they are kept. Routes and workers declare what they touch against it (see `routes.ts`), the OpenAPI document and the
 * infrastructure grants are derived from those declarations, and later the data map, RoPA and erasure plan are too.
 *
 * Pure data: no AWS or HTTP types, so handlers, CDK code and tools can all import it.
 */
import type { BucketId, QueueId, TableId } from './shared/resources';

/** GDPR Art. 4(1) categories used in this backend. `none` marks a field that identifies nobody. */
export type DataCategory =
  | 'identifier' // subject id, session id, pseudonyms
  | 'contact' // email, phone, postal address
  | 'identity' // names, display name
  | 'credentials' // password hashes, session token hashes
  | 'preferences' // locale, settings
  | 'consent' // consent decisions and their proof
  | 'usage' // analytics events, device labels
  | 'request' // data-subject rights requests
  | 'audit' // who did what, pseudonymous
  | 'key-material' // wrapped per-subject data keys
  | 'none';

export interface FieldDeclaration {
  readonly category: DataCategory;
  /** True when the field can identify a person on its own or combined with others (Art. 4(1)). */
  readonly personal: boolean;
  /** Art. 9 special category (health, religion…). None today; declared so a future field cannot slip in silently. */
  readonly special?: boolean;
  /** Stored encrypted under the subject's data key (crypto-shredded on erasure). */
  readonly encrypted?: boolean;
  readonly description: string;
}

export interface StoreDeclaration {
  readonly kind: 'table' | 'bucket' | 'queue';
  readonly description: string;
  /** Storage limitation (Art. 5(1)(e)), in plain words; the mechanism is named too (TTL, lifecycle, retention period). */
  readonly retention: string;
  readonly fields: Readonly<Record<string, FieldDeclaration>>;
}

const subjectId: FieldDeclaration = {
  category: 'identifier',
  personal: true,
  description: 'Random UUID of the data subject; never derived from the email.',
};

export const inventory = {
  users: {
    kind: 'table',
    description: 'Registered accounts: profile fields encrypted per subject, found by a blind index of the email.',
    retention:
      'Until erasure, or inactivity: 24 months without a login (RETENTION_INACTIVE_MONTHS / -c retentionInactiveMonths), then ' +
      'a notice and 30 days (RETENTION_GRACE_DAYS) before the retention job files an erasure request; an admin legal hold stops it.',
    fields: {
      subjectId,
      emailIndex: { category: 'contact', personal: true, description: 'HMAC-SHA256 blind index of the normalised email.' },
      profile: {
        category: 'contact',
        personal: true,
        encrypted: true,
        description: 'Encrypted profile: email, names, phone, address, locale.',
      },
      passwordHash: { category: 'credentials', personal: true, description: 'scrypt hash of the password; absent for provider-only accounts.' },
      roles: { category: 'none', personal: false, description: 'subject, admin.' },
      createdAt: { category: 'none', personal: false, description: 'When the account was created.' },
      updatedAt: { category: 'none', personal: false, description: 'Last change; also the optimistic-concurrency token.' },
      lastActiveAt: { category: 'usage', personal: false, description: 'Last login (or registration): the start of the inactivity period.' },
      activityMonth: { category: 'none', personal: false, description: 'YYYY-MM of lastActiveAt: partition of the sparse byActivityMonth index.' },
      inactivityNoticeAt: { category: 'usage', personal: false, description: 'When the subject was told the account is inactive; cleared by a login.' },
      inactivityErasureAt: { category: 'usage', personal: false, description: 'From when the retention job files the erasure, fixed at notice time.' },
      retentionErasureRequestId: { category: 'request', personal: false, description: 'The erasure request the retention job filed.' },
      legalHold: {
        category: 'request',
        personal: true,
        description: "An admin's legal hold (reason and time): blocks the retention notice and erasure. The reason is free text and may name people.",
      },
    },
  },
  identities: {
    kind: 'table',
    description: 'Claims on login identifiers (email blind index, external identity HMAC), each owned by one subject.',
    retention: 'Until erasure; moved when the email is corrected.',
    fields: {
      identityKey: { category: 'identifier', personal: true, description: 'email#<blind index> or oidc#<HMAC of issuer and subject>.' },
      subjectId,
      kind: { category: 'none', personal: false, description: 'email or oidc.' },
      createdAt: { category: 'none', personal: false, description: 'When the claim was made.' },
    },
  },
  loginThrottle: {
    kind: 'table',
    description: 'Failed-login counters per account (blind index) and per client (HMAC of the address, never the address).',
    retention: 'TTL: the end of the counting window or lock, at most one hour.',
    fields: {
      counterKey: { category: 'identifier', personal: true, description: 'account#<blind index> or client#<HMAC>.' },
      failures: { category: 'usage', personal: false, description: 'Failures in the current window.' },
      lockedUntil: { category: 'usage', personal: false, description: 'Epoch seconds.' },
      windowStart: { category: 'usage', personal: false, description: 'Start of the counting window, epoch seconds.' },
      expiresAt: { category: 'none', personal: false, description: 'When the counter is forgotten, epoch seconds (TTL attribute).' },
    },
  },
  subjectKeys: {
    kind: 'table',
    description: "Each subject's data key, wrapped by the KMS data key. Deleting the item crypto-shreds the subject.",
    retention: 'Deleted at erasure.',
    fields: {
      subjectId,
      wrappedKey: { category: 'key-material', personal: false, description: 'KMS-wrapped AES-256 data key.' },
      createdAt: { category: 'none', personal: false, description: 'When the key was generated.' },
    },
  },
  sessions: {
    kind: 'table',
    description: 'Login sessions, keyed by the SHA-256 of the token; no raw IP address or user agent.',
    retention: 'Idle and absolute expiry (TTL attribute expiresAt plus a check on read).',
    fields: {
      tokenHash: { category: 'credentials', personal: true, description: 'SHA-256 of the session token.' },
      subjectId,
      roles: { category: 'none', personal: false, description: 'Roles granted to the session.' },
      deviceLabel: { category: 'usage', personal: true, description: 'Coarse device label (e.g. "Firefox on Linux"); never the user agent.' },
      createdAt: { category: 'usage', personal: false, description: 'Login time.' },
      lastUsedAt: { category: 'usage', personal: false, description: 'Last use, updated at most every few minutes.' },
      idleExpiresAt: { category: 'none', personal: false, description: 'Idle expiry, epoch seconds.' },
      expiresAt: { category: 'none', personal: false, description: 'Absolute expiry, epoch seconds (TTL attribute).' },
    },
  },
  consent: {
    kind: 'table',
    description:
      'Append-only consent ledger (event#<time>#<topic>#<seq>) and its per-purpose projection (state#<topic>), written in one ' +
      'transaction; also the newsletter preference (pref#newsletter).',
    retention: 'Kept as pseudonymised proof after erasure (Art. 7(1)); no TTL.',
    fields: {
      subjectId,
      sk: { category: 'none', personal: false, description: 'event#…, state#<topic> or pref#<name>.' },
      topic: { category: 'consent', personal: false, description: 'Purpose id, or restriction.' },
      action: { category: 'consent', personal: true, description: 'grant, withdraw, object, withdraw-objection, restrict, lift-restriction.' },
      lastAction: { category: 'consent', personal: true, description: 'On the projection: the last action.' },
      seq: { category: 'none', personal: false, description: "Position in the topic's history." },
      eventId: { category: 'none', personal: false, description: 'Random id of the event.' },
      policyVersion: { category: 'consent', personal: false, description: 'Version of the policy text the decision was made on.' },
      policyHash: { category: 'consent', personal: false, description: 'SHA-256 of that text.' },
      method: { category: 'consent', personal: false, description: 'signup, settings, api or admin-on-behalf.' },
      at: { category: 'consent', personal: false, description: 'Server time of the decision.' },
      clientId: { category: 'usage', personal: false, description: 'The app the decision came through: a client id the deployment declares, or unknown.' },
      validUntil: { category: 'consent', personal: false, description: 'When a grant lapses.' },
      subscribed: { category: 'preferences', personal: true, description: 'Newsletter preference (pref#newsletter).' },
    },
  },
  analyticsEvents: {
    kind: 'table',
    description: 'Usage events, stored only while the subject grants `analytics`; keyed by a pseudonym, never the subject id.',
    retention: 'TTL (expiresAt): 90 days.',
    fields: {
      analyticsId: { category: 'identifier', personal: true, description: 'HMAC of the subject id under the pseudonym key (analytics use).' },
      sk: { category: 'none', personal: false, description: '<time>#<event id>.' },
      name: { category: 'usage', personal: false, description: 'Event name from a fixed pattern (screen.view, button.tap…).' },
      properties: { category: 'usage', personal: false, description: 'Small map of numbers, booleans and short tokens; no free text.' },
      at: { category: 'usage', personal: false, description: 'Client time of the event.' },
      expiresAt: { category: 'none', personal: false, description: 'Retention end (TTL).' },
    },
  },
  rightsRequests: {
    kind: 'table',
    description: 'Data-subject rights requests: type, state history, due date, and for erasure the receipt.',
    retention:
      'Kept as proof of how each request was answered: 3 years after it is completed or rejected (TTL expiresAt); ' +
      'pseudonymised (subject id replaced) at erasure.',
    fields: {
      requestId: { category: 'request', personal: false, description: 'Random request id.' },
      subjectId,
      type: { category: 'request', personal: false, description: 'access, export, rectification or erasure.' },
      status: { category: 'request', personal: false, description: 'Lifecycle state.' },
      mode: { category: 'request', personal: false, description: 'automatic or manual.' },
      receivedAt: { category: 'request', personal: false, description: 'When the request arrived.' },
      createdAt: { category: 'none', personal: false, description: 'Same as receivedAt; sort key of the by-subject index.' },
      dueAt: { category: 'request', personal: false, description: 'Due date in force (YYYY-MM-DD).' },
      originalDueAt: { category: 'request', personal: false, description: 'One calendar month after receipt.' },
      extension: { category: 'request', personal: true, description: 'Extended due date, months and the reason given (free text that may name people; replaced at erasure).' },
      history: { category: 'request', personal: true, description: 'State changes: status, time, role, and a note (an admin\'s free text may name people; replaced at erasure).' },
      fields: { category: 'request', personal: false, description: 'Rectification: names of the profile fields said to be wrong (a closed list).' },
      exportKeys: { category: 'none', personal: false, description: 'Object keys of the export in the exports bucket.' },
      erasureSteps: { category: 'request', personal: false, description: 'Erasure progress: per store, what was done and when.' },
      receipt: { category: 'request', personal: false, description: 'Erasure receipt: no personal data.' },
      receiptTokenHash: { category: 'credentials', personal: false, description: 'SHA-256 of the receipt token.' },
      pendingVerification: {
        category: 'identifier',
        personal: true,
        description: 'During an erasure only: blind index and identity keys to search for; removed when it completes.',
      },
      updatedAt: { category: 'none', personal: false, description: 'Optimistic-concurrency token.' },
      origin: { category: 'request', personal: false, description: 'Who filed it: absent for the subject, retention for the retention job.' },
      expiresAt: { category: 'none', personal: false, description: 'Set when the request is completed or rejected: epoch seconds (TTL attribute).' },
    },
  },
  audit: {
    kind: 'table',
    description: 'Structured, hash-chained audit trail: pseudonyms and field names only, never values.',
    retention: 'TTL (expiresAt), 13 months by default (AUDIT_RETENTION_DAYS / -c auditRetentionDays); kept after erasure.',
    fields: {
      chainId: { category: 'audit', personal: true, description: 'subject#<pseudonym>, or system; a chain head item has seq 0.' },
      seq: { category: 'none', personal: false, description: 'Position in the chain, from 1.' },
      entryId: { category: 'none', personal: false, description: 'Random id of the entry.' },
      at: { category: 'none', personal: false, description: 'When, ISO 8601.' },
      day: { category: 'none', personal: false, description: 'YYYY-MM-DD partition of the by-day index.' },
      subjectPseudonym: { category: 'audit', personal: true, description: 'HMAC of the subject id under the pseudonym key.' },
      actorId: { category: 'audit', personal: true, description: 'subject:<pseudonym> or system:<origin>.' },
      actorRole: { category: 'none', personal: false, description: 'subject, admin, system or worker.' },
      action: { category: 'audit', personal: false, description: 'What was done: read, create, update, delete, login, …' },
      purpose: { category: 'audit', personal: false, description: 'The purpose the processing served.' },
      categories: { category: 'audit', personal: false, description: 'Data categories touched.' },
      fields: { category: 'audit', personal: false, description: 'Field names touched, never values.' },
      outcome: { category: 'audit', personal: false, description: 'success or failure.' },
      correlationId: { category: 'none', personal: false, description: 'Request or message id, to join with logs.' },
      origin: { category: 'none', personal: false, description: 'route:<id> or worker:<id>.' },
      prevHash: { category: 'none', personal: false, description: 'Hash of the previous entry of the chain.' },
      hash: { category: 'none', personal: false, description: "SHA-256 of this entry's content." },
      expiresAt: { category: 'none', personal: false, description: 'Retention end, epoch seconds (TTL attribute).' },
      headSeq: { category: 'none', personal: false, description: 'On the head item: seq of the last entry.' },
      headHash: { category: 'none', personal: false, description: 'On the head item: hash of the last entry.' },
    },
  },
  exports: {
    kind: 'bucket',
    description: 'Export and access-report files, downloaded through short-lived presigned links.',
    retention: 'Lifecycle expiry after 7 days.',
    fields: {
      subjectExport: { category: 'contact', personal: true, description: "A copy of everything held on the subject." },
    },
  },
  rightsRequestQueue: {
    kind: 'queue',
    description: 'Jobs for the rights-request workers; messages carry ids only, never personal values.',
    retention: 'SQS retention period (4 days); the DLQ keeps failed jobs 14 days.',
    fields: {
      requestId: { category: 'request', personal: false, description: 'Which request to carry out.' },
      kind: { category: 'request', personal: false, description: 'The request type (export, access, erasure).' },
    },
  },
} as const satisfies Record<TableId | BucketId | Exclude<QueueId, 'rightsRequestDlq'>, StoreDeclaration>;

/** Categories of the fields inside the encrypted `users.profile`, so audit entries can name them precisely. */
export const PROFILE_FIELD_CATEGORIES = {
  email: 'contact',
  phone: 'contact',
  postalAddress: 'contact',
  displayName: 'identity',
  givenName: 'identity',
  familyName: 'identity',
  locale: 'preferences',
} as const satisfies Record<string, DataCategory>;

export type StoreId = keyof typeof inventory;
export type FieldOf<S extends StoreId> = keyof (typeof inventory)[S]['fields'] & string;
