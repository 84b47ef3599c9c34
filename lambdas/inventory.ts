/**
 * The personal-data inventory: every store that holds data about a person, the fields in it, their category, and how long
 * they are kept. Routes and workers declare what they touch against it (see `routes.ts`), the OpenAPI document and the
 * infrastructure grants are derived from those declarations, and later the data map, RoPA and erasure plan are too.
 *
 * Pure data: no AWS or HTTP types, so handlers, CDK code and tools can all import it.
 */
import type { PurposeId } from './purposes';
import {
  DEFAULT_AUDIT_RETENTION_DAYS,
  DLQ_RETENTION_DAYS,
  EXPORT_EXPIRY_DAYS,
  INCIDENT_RETENTION_YEARS,
  LOG_RETENTION_DAYS,
  QUEUE_RETENTION_DAYS,
  STAGES,
  TRAIL_NONCURRENT_EXPIRY_DAYS,
  TRAIL_TO_CLOUDWATCH_LOGS,
  perStage,
} from './retention-periods';
import type { BucketId, KeyId, QueueId, TableId, TopicId } from './runtime/resources';

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
  | 'network-identifier' // IP addresses of requests, as AWS services log them
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

/**
 * An AWS service that writes a store by itself, outside the backend's code: no handler reads or writes it, so no route
 * declares a touch of it and the field-use trace never sees it. Declared so the data map, the RoPA and the README say what
 * it holds, how long and what erasure does.
 */
export interface AwsWriter {
  /** The AWS feature that writes it, e.g. `S3 server access logging`. */
  readonly service: string;
  /** The AWS service that feature belongs to, as the RoPA lists processors' services: `Amazon S3`, `AWS CloudTrail`. */
  readonly awsService: string;
  /** What makes it write a record. */
  readonly records: string;
  /** The purpose its records serve (they show up in that activity of the RoPA). */
  readonly purpose: PurposeId;
}

/** Encryption at rest: a customer-managed KMS key of the stateful stack, or SSE-S3 where AWS supports nothing else. */
export type StoreEncryption =
  | { readonly key: KeyId; readonly note?: string }
  | { readonly key: 'SSE-S3'; readonly why: string };

export interface StoreDeclaration {
  readonly kind: 'table' | 'bucket' | 'queue' | 'log-group';
  /** `backend`: the handlers write it (declared touches, checked by the field-use test); otherwise the AWS service that does. */
  readonly writtenBy: 'backend' | AwsWriter;
  readonly description: string;
  /** Storage limitation (Art. 5(1)(e)), in plain words; the mechanism is named too (TTL, lifecycle, retention period). */
  readonly retention: string;
  readonly encryption: StoreEncryption;
  readonly fields: Readonly<Record<string, FieldDeclaration>>;
}

/** Stores written by AWS services on their own (see `AwsWriter`); each lives in the stateful or the API stack. */
export const AWS_LOG_STORE_IDS = ['accessLogs', 'trailBucket', 'trailLogGroup', 'apiAccessLogs'] as const;
type AwsLogStoreKey = (typeof AWS_LOG_STORE_IDS)[number];

const LOG_RETENTION = perStage(LOG_RETENTION_DAYS);
const TRAIL_LOG_GROUP_STAGES = STAGES.filter((s) => TRAIL_TO_CLOUDWATCH_LOGS[s]);

/** What a CloudTrail record of the trail holds about a person: the same in the bucket and in the log group. */
const trailRecordFields = {
  eventTime: { category: 'none', personal: false, description: 'When the call was made.' },
  eventName: { category: 'none', personal: false, description: 'The API call: GetItem, PutItem, Query, … or a management event.' },
  userIdentity: {
    category: 'identifier',
    personal: true,
    description: "The caller's IAM principal: a function's role session for the backend's own calls, an operator's IAM user or role otherwise.",
  },
  sourceIPAddress: {
    category: 'network-identifier',
    personal: true,
    description: "The caller's IP address: an AWS address for the functions' calls, the operator's own address for console, CLI and `fmn` calls.",
  },
  userAgent: { category: 'usage', personal: true, description: "The caller's SDK, CLI or browser user agent." },
  requestParameters: {
    category: 'identifier',
    personal: true,
    description:
      'Table and key of the items touched (subject id, blind index, session token hash, HMAC keys: pseudonymous ids); ' +
      'DynamoDB leaves non-key attribute values out of data events, so no profile value is there.',
  },
} as const satisfies Record<string, FieldDeclaration>;

const subjectId: FieldDeclaration = {
  category: 'identifier',
  personal: true,
  description: 'Random UUID of the data subject; never derived from the email.',
};

export const inventory = {
  users: {
    kind: 'table',
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
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
      secondFactor: {
        category: 'credentials',
        personal: true,
        description:
          "Admins only: the TOTP secret sealed under the subject's key, SHA-256 hashes of the unused recovery codes, and the last accepted time step.",
      },
      roles: { category: 'none', personal: false, description: 'subject, admin.' },
      createdAt: { category: 'none', personal: false, description: 'When the account was created.' },
      updatedAt: { category: 'none', personal: false, description: 'Last change; also the optimistic-concurrency token.' },
      // When this person last logged in, was warned and will be erased: facts about an identified person (Art. 4(1)).
      lastActiveAt: { category: 'usage', personal: true, description: 'Last login (or registration): the start of the inactivity period.' },
      activityMonth: { category: 'usage', personal: true, description: 'YYYY-MM#NN, the month of lastActiveAt and a shard of the subject: partition of the sparse byActivityMonth index.' },
      inactivityNoticeAt: { category: 'usage', personal: true, description: 'When the subject was told the account is inactive; cleared by a login.' },
      inactivityErasureAt: { category: 'usage', personal: true, description: 'From when the retention job files the erasure, fixed at notice time.' },
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
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
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
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
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
  jobRuns: {
    kind: 'table',
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
    description: 'The last run of each scheduled job: when, how it ended, and its counts. No personal data: job ids, times and numbers.',
    retention: 'One item per scheduled job, overwritten by the next run; no TTL (a handful of items, none about a person).',
    fields: {
      jobId: { category: 'none', personal: false, description: 'The job id from lambdas/schedules.ts.' },
      startedAt: { category: 'none', personal: false, description: 'When the run started (ISO 8601).' },
      finishedAt: { category: 'none', personal: false, description: 'When it ended (ISO 8601).' },
      outcome: { category: 'none', personal: false, description: 'succeeded or failed.' },
      counts: { category: 'none', personal: false, description: 'What the run counted (numbers under fixed names), when it succeeded.' },
      error: { category: 'none', personal: false, description: 'A failed run: the error class name only, never its message.' },
    },
  },
  subjectKeys: {
    kind: 'table',
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
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
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
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
      reauthenticatedAt: {
        category: 'usage',
        personal: false,
        description: 'Last time an admin gave password and second factor again on this session; destructive admin routes need it recent.',
      },
    },
  },
  consent: {
    kind: 'table',
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
    description:
      'Append-only consent ledger (event#<time>#<topic>#<seq>) and its per-purpose projection (state#<topic>), written in one ' +
      'transaction; the consent figures\' sharded counters (stats#NN partitions, moved in the same transaction); also the newsletter preference (pref#newsletter) and the recipients\' outbox (outbox#…): events for ' +
      'recipients written with the change they report, until the drain job has published them.',
    retention:
      'Kept as pseudonymised proof after erasure (Art. 7(1)); no TTL. Outbox items: deleted once published (within minutes), ' +
      'or by the erasure.',
    fields: {
      subjectId,
      sk: { category: 'none', personal: false, description: 'event#…, state#<topic> or pref#<name>; on a counter, n#… or d#… (its bucket).' },
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
      count: {
        category: 'none',
        personal: false,
        description:
          'On the consent figures\' counters only (partitions stats#NN, no subject): one shard\'s share of the subjects in a ' +
          'bucket (purpose, policy version, state, lapse day) or of a day\'s decisions; moved in the decision\'s transaction.',
      },
      subscribed: { category: 'preferences', personal: true, description: 'Newsletter preference (pref#newsletter).' },
      outbox: { category: 'none', personal: false, description: 'pending#NN (a shard of the subject), on outbox items only: partition of the sparse byOutbox index.' },
      recipientEvent: {
        category: 'request',
        personal: false,
        description: 'Outbox: a recipient event to publish (type, source id, time, changed field names or purpose); never a value.',
      },
      subjectEvents: {
        category: 'request',
        personal: true,
        description:
          "Outbox: a rights request's changes to tell the subject of (request id, type, state, due date, and the reason " +
          'written for the subject, if any); until the drain job publishes them to the subject-events topic.',
      },
    },
  },
  analyticsEvents: {
    kind: 'table',
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
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
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
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
      recipients: {
        category: 'request',
        personal: true,
        description:
          "Erasure and export: per recipient told, its message id, deadline, acknowledgement (outcome, time, counts, the export part's key, " +
          "the ack ids seen) and a failure's reason (a recipient's free text; replaced once the request is final and its subject erased).",
      },
      expiresAt: { category: 'none', personal: false, description: 'Set when the request is completed or rejected: epoch seconds (TTL attribute).' },
    },
  },
  audit: {
    kind: 'table',
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
    description: 'Structured, hash-chained audit trail: pseudonyms and field names only, never values.',
    retention: `TTL (expiresAt), ${DEFAULT_AUDIT_RETENTION_DAYS} days (13 months) by default (AUDIT_RETENTION_DAYS / -c auditRetentionDays); kept after erasure.`,
    fields: {
      chainId: { category: 'audit', personal: true, description: 'subject#<pseudonym>, or system; a chain head item has seq 0.' },
      seq: { category: 'none', personal: false, description: 'Position in the chain, from 1.' },
      entryId: { category: 'none', personal: false, description: 'Random id of the entry.' },
      at: { category: 'none', personal: false, description: 'When, ISO 8601.' },
      day: { category: 'none', personal: false, description: 'YYYY-MM-DD of at (hashed with the entry).' },
      dayShard: { category: 'none', personal: false, description: 'YYYY-MM-DD#NN, the day and a shard of the chain: partition of the byDayShard index (not hashed).' },
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
  incidents: {
    kind: 'table',
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
    description:
      'Personal-data breaches (Arts. 33 and 34): facts, effects, the scope found and the notices given, as the controller ' +
      'must document them (Art. 33(5)). People appear only as audit pseudonyms; free text shaped like an email address or a ' +
      'phone number is refused.',
    retention:
      `TTL (expiresAt), ${INCIDENT_RETENTION_YEARS} years after the record last changed: documentation the supervisory ` +
      'authority may ask for while it can still act on the breach; kept after a subject\'s erasure (pseudonyms only).',
    fields: {
      incidentId: { category: 'none', personal: false, description: 'Random incident id.' },
      sk: { category: 'none', personal: false, description: 'record, or scope#<jobId>#<page> for a page of the scope\'s pseudonyms.' },
      listed: { category: 'none', personal: false, description: 'On records only: partition of the byAwareness index.' },
      awareAt: { category: 'audit', personal: false, description: 'When the controller became aware: the 72 hours run from here.' },
      detectedAt: { category: 'audit', personal: false, description: 'When the breach was detected.' },
      stores: { category: 'audit', personal: false, description: 'Affected stores (inventory ids).' },
      window: { category: 'audit', personal: false, description: 'When the breach may have happened (from, to).' },
      description: { category: 'audit', personal: false, description: 'The officer\'s account of the breach (no contact details: refused).' },
      nature: { category: 'audit', personal: false, description: 'confidentiality, integrity and/or availability.' },
      status: { category: 'audit', personal: false, description: 'open or closed.' },
      authorityNotice: { category: 'audit', personal: false, description: 'Art. 33(3) points, notification time, delay reasons, case reference (the officer\'s text).' },
      subjectNotice: { category: 'audit', personal: false, description: 'Art. 34 assessment, points or exemption, notification time (the officer\'s text).' },
      scope: { category: 'audit', personal: false, description: 'The scope job: state, categories, counts and accesses by origin (no pseudonyms).' },
      pseudonyms: { category: 'identifier', personal: true, description: 'On a scope page: audit pseudonyms of the subjects concerned (HMACs, never ids).' },
      createdAt: { category: 'none', personal: false, description: 'When the record was made.' },
      updatedAt: { category: 'none', personal: false, description: 'Optimistic-concurrency token.' },
      expiresAt: { category: 'none', personal: false, description: 'Retention end, epoch seconds (TTL attribute).' },
    },
  },
  exports: {
    kind: 'bucket',
    writtenBy: 'backend',
    encryption: { key: 'dataKey', note: 'SSE-KMS with an S3 bucket key' },
    description: 'Export and access-report files, downloaded through short-lived presigned links.',
    retention: `Lifecycle expiry after ${EXPORT_EXPIRY_DAYS} days.`,
    fields: {
      subjectExport: {
        category: 'contact',
        personal: true,
        description: "A copy of everything held on the subject, and the recipients' parts of it (each uploaded by its recipient through a presigned PUT).",
      },
    },
  },
  rightsRequestQueue: {
    kind: 'queue',
    writtenBy: 'backend',
    encryption: { key: 'queueKey', note: 'the DLQ too' },
    description: 'Jobs for the rights-request workers (and incident scope jobs); messages carry ids only, never personal values.',
    retention: `SQS retention period (${QUEUE_RETENTION_DAYS} days); the DLQ keeps failed jobs ${DLQ_RETENTION_DAYS} days.`,
    fields: {
      requestId: { category: 'request', personal: false, description: 'Which request to carry out.' },
      kind: { category: 'request', personal: false, description: 'The request type (export, access, erasure), or breach-scope.' },
      incidentId: { category: 'none', personal: false, description: 'breach-scope: which incident to scope.' },
      jobId: { category: 'none', personal: false, description: 'breach-scope: the scope run, so a superseded run is dropped.' },
    },
  },
  recipientEvents: {
    kind: 'queue',
    writtenBy: 'backend',
    encryption: { key: 'queueKey', note: 'the DLQs too, and the topic under recipientEventsKey on the way' },
    description:
      'Rights and consent events for the recipients (Art. 17(2), 19), published to the recipient-events topic: one SQS queue ' +
      'per declared recipient, each message carrying only the identifiers that recipient is declared to receive.',
    retention:
      `SQS retention period (${QUEUE_RETENTION_DAYS} days), or until the recipient consumes the message; its DLQ keeps ` +
      `undeliverable messages ${DLQ_RETENTION_DAYS} days.`,
    fields: {
      subjectId: { ...subjectId, description: "The subject's id, for recipients declared to receive it (lambdas/recipients.ts)." },
      email: {
        category: 'contact',
        personal: true,
        description: "The subject's email, only for recipients declared to receive it (the email provider finds subscribers by it).",
      },
      previous: {
        category: 'contact',
        personal: true,
        description:
          'On a rectification of an identifier the recipient receives (the email): its value before the change, by which the ' +
          'recipient still finds its record; read from the outbox item, where it is sealed under the subject\'s data key.',
      },
    },
  },
  subjectEvents: {
    kind: 'queue',
    writtenBy: 'backend',
    encryption: { key: 'subjectEventsKey', note: "the topic; each subscriber's queue under a key of the app's choosing" },
    description:
      "A rights request's changes, published to the subject-events topic for the app's mailer to tell the subject (\"your " +
      'export is ready", "we need more time, because …"). The topic keeps nothing: SNS delivers each message to the ' +
      "subscriptions the app adds (its mailer's queue or function) and drops it.",
    retention:
      "None on the topic; the subscriber's queue keeps a message until the mailer consumes it, or for its retention period " +
      '(the app declares it).',
    fields: {
      subjectId: { ...subjectId, description: 'Whom to tell (the mailer looks the address up by it); absent once the subject is erased.' },
      reason: {
        category: 'request',
        personal: true,
        description:
          "The text written for the subject with the change (a rejection's or extension's reason, a completion note): shown " +
          'to the subject anyway (GET /v1/me/requests), so the mailer may put it in the mail; never sent after erasure.',
      },
    },
  },
  // ---- written by AWS services, not by the backend's code ----------------------------------------------------------
  accessLogs: {
    kind: 'bucket',
    writtenBy: {
      service: 'S3 server access logging',
      awsService: 'Amazon S3',
      records: 'every request to the exports bucket (prefix exports/), above all the presigned downloads, and to the trail bucket (prefix trail/)',
      purpose: 'accountability',
    },
    encryption: {
      key: 'SSE-S3',
      why: 'S3 documents SSE-S3 as the only default encryption a server-access-log destination bucket supports (no SSE-KMS)',
    },
    description: 'S3 server access logs of the exports and trail buckets: one line per request, written by S3 in batches.',
    retention: `Lifecycle expiry after the log retention: ${LOG_RETENTION}.`,
    fields: {
      requestTime: { category: 'none', personal: false, description: 'When the request was made.' },
      operation: { category: 'none', personal: false, description: 'REST.GET.OBJECT, REST.PUT.OBJECT, …' },
      remoteIp: {
        category: 'network-identifier',
        personal: true,
        description: "The requester's IP address: for a presigned export download, the subject's (or whoever holds the link).",
      },
      userAgent: { category: 'usage', personal: true, description: 'The User-Agent header of the request: for a download, the browser or app.' },
      requester: {
        category: 'identifier',
        personal: true,
        description: "The IAM principal that signed the request: the download function's role for a presigned link, an operator's IAM identity for reads of the trail.",
      },
      objectKey: {
        category: 'identifier',
        personal: true,
        description: 'Key and Request-URI: exports/<request id>/…, which leads to the rights request and so to the subject (under a pseudonym once erased).',
      },
    },
  },
  trailBucket: {
    kind: 'bucket',
    writtenBy: {
      service: 'AWS CloudTrail',
      awsService: 'AWS CloudTrail',
      records: "data events on every table that holds personal fields, and the account's management events unless -c trailManagementEvents=false",
      purpose: 'accountability',
    },
    encryption: {
      key: 'trailKey',
      note: 'CloudTrail encrypts each log file with the trail key (SSE-KMS); the bucket default (SSE-S3) applies to anything else written there',
    },
    description: 'CloudTrail log files: who called which AWS API on which resource, from where; integrity-validated by digest files.',
    retention: `Lifecycle expiry after ${DEFAULT_AUDIT_RETENTION_DAYS} days by default (-c auditRetentionDays); overwritten versions after ${TRAIL_NONCURRENT_EXPIRY_DAYS} days.`,
    fields: trailRecordFields,
  },
  trailLogGroup: {
    kind: 'log-group',
    writtenBy: {
      service: 'AWS CloudTrail (CloudWatch Logs delivery)',
      awsService: 'AWS CloudTrail',
      records: `the same events as the trail bucket, in stages ${TRAIL_LOG_GROUP_STAGES.join(', ')} only`,
      purpose: 'accountability',
    },
    encryption: { key: 'logsKey' },
    description: `A copy of the trail's events in CloudWatch Logs, for queries and alarms (stages ${TRAIL_LOG_GROUP_STAGES.join(', ')}).`,
    retention: `Log-group retention: ${perStage(LOG_RETENTION_DAYS, TRAIL_LOG_GROUP_STAGES)}.`,
    fields: trailRecordFields,
  },
  apiAccessLogs: {
    kind: 'log-group',
    writtenBy: {
      service: 'API Gateway stage access logging',
      awsService: 'Amazon API Gateway',
      records: 'every request to the REST API stage',
      purpose: 'accountability',
    },
    encryption: { key: 'logsKey' },
    description:
      'One JSON line per API request (ACCESS_LOG_FIELDS in lib/api-stack.ts): no source IP, user agent, concrete path or principal.',
    retention: `Log-group retention: ${LOG_RETENTION}.`,
    fields: {
      requestId: {
        category: 'identifier',
        personal: false,
        description: "API Gateway's request id: the correlation id of the audit entries the request wrote, which name pseudonyms only.",
      },
      extendedRequestId: { category: 'none', personal: false, description: 'The extended request id.' },
      time: { category: 'none', personal: false, description: 'Request time.' },
      timeEpochMs: { category: 'none', personal: false, description: 'Request time, epoch milliseconds.' },
      stage: { category: 'none', personal: false, description: 'The API stage.' },
      protocol: { category: 'none', personal: false, description: 'HTTP version.' },
      httpMethod: { category: 'none', personal: false, description: 'The method.' },
      resourcePath: { category: 'none', personal: false, description: 'The route template, never the concrete path (which carries ids).' },
      status: { category: 'none', personal: false, description: 'Response status.' },
      responseLength: { category: 'none', personal: false, description: 'Response size.' },
      latencyMs: { category: 'none', personal: false, description: 'Latency.' },
      integrationStatus: { category: 'none', personal: false, description: "The function's status." },
      integrationLatencyMs: { category: 'none', personal: false, description: "The function's latency." },
      authorizerStatus: { category: 'none', personal: false, description: "The authorizer's status." },
      wafResponseCode: { category: 'none', personal: false, description: "WAF's verdict." },
      errorType: { category: 'none', personal: false, description: 'Gateway error type.' },
    },
  },
} as const satisfies Record<TableId | BucketId | Exclude<QueueId, 'rightsRequestDlq'> | TopicId | AwsLogStoreKey, StoreDeclaration>;

/**
 * Where client IP addresses reach AWS without being stored in a store of ours: declared next to the stores, so the README
 * and the RoPA can say it (checked against the stacks by `test/infra`).
 */
export const TRANSIENT_IP_PROCESSING = [
  'AWS WAF counts requests per client IP over 5-minute windows for its rate-based rule and blocks an IP over the limit; ' +
    'WAF logging and sampled requests are off, so WAF stores no request record.',
  'The login throttle keys its per-client counter by an HMAC of the source address (never the address), for at most one hour.',
] as const;

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
/** Stores the backend's own code reads and writes: the only ones a route, worker or job can declare a touch of. */
export type AppStoreId = { [S in StoreId]: (typeof inventory)[S]['writtenBy'] extends 'backend' ? S : never }[StoreId];
export type FieldOf<S extends StoreId> = keyof (typeof inventory)[S]['fields'] & string;

/** The AWS service writing a store, or undefined for the backend's own stores. */
export function awsWriterOf(store: StoreId): AwsWriter | undefined {
  const writtenBy: StoreDeclaration['writtenBy'] = inventory[store].writtenBy;
  return writtenBy === 'backend' ? undefined : writtenBy;
}

export const APP_STORE_IDS = (Object.keys(inventory) as StoreId[]).filter((s): s is AppStoreId => awsWriterOf(s) === undefined);

/**
 * The categories a field holds. The encrypted profile holds several (email, names, locale…): it counts as each of them, so
 * an activity that processes the profile lists identity and preferences as well as contact.
 */
export function categoriesOfField(store: StoreId, field: string): DataCategory[] {
  if (store === 'users' && field === 'profile') return [...new Set(Object.values(PROFILE_FIELD_CATEGORIES))];
  const declared = (inventory[store].fields as Readonly<Record<string, FieldDeclaration>>)[field];
  return declared ? [declared.category] : [];
}
