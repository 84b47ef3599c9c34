import { ACTIVITY_FIELDS, AUDIT_WRITE, CONSENT_STATS_WRITE, NOTICE_FIELDS, REQUEST_WRITE, RETENTION_FIELDS, SESSION_FIELDS, type WorkerDefinition, touches, withAudit } from '../http/route-definition';
import { INCIDENT_FIELDS, BREACH_SCAN_READS } from './incident-data';

export const rightsRequestWorker: WorkerDefinition = withAudit({
  id: 'rightsRequestWorker',
  handler: 'rights-request-worker',
  description: 'Carries out queued rights requests (export, access, erasure) and incident scope jobs; idempotent, resumable, partial batch failures.',
  queue: 'rightsRequestQueue',
  batchSize: 5,
  timeoutSeconds: 120,
  // Export reads, and erasure deletes or pseudonymises, every store the inventory declares (see erasure-plan.ts).
  personalData: [
    touches('users', ['read', 'delete'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS, ...NOTICE_FIELDS, ...RETENTION_FIELDS]),
    touches('subjectKeys', ['read', 'delete'], ['subjectId', 'wrappedKey', 'createdAt']),
    touches('identities', ['read', 'delete'], ['identityKey', 'subjectId', 'kind', 'createdAt']),
    touches('sessions', ['read', 'delete'], [...SESSION_FIELDS]),
    touches('consent', ['read', 'write', 'delete'], ['subjectId', 'sk', 'topic', 'action', 'lastAction', 'seq', 'eventId', 'policyVersion', 'policyHash', 'method', 'at', 'clientId', 'validUntil', 'subscribed']),
    // erasing the projections takes them out of the consent figures, in the same transaction
    CONSENT_STATS_WRITE,
    touches('analyticsEvents', ['read', 'delete'], ['analyticsId', 'sk', 'name', 'properties', 'at', 'expiresAt']),
    ...REQUEST_WRITE,
    touches('rightsRequests', ['read', 'write'], ['pendingVerification']),
    // Its own entries, and the subject's chain read whole for the export.
    AUDIT_WRITE,
    touches('exports', ['write', 'delete'], ['subjectExport']),
    // The subject's counter is read whole before it is deleted.
    touches('loginThrottle', ['read', 'delete'], ['counterKey', 'failures', 'lockedUntil', 'windowStart', 'expiresAt']),
    // Erasure and export are published to the recipients, each message with only the identifiers its recipient receives.
    touches('recipientEvents', ['write'], ['subjectId', 'email']),
    // Breach response: the incident scope job (domain/incidents.ts) reads and updates the incident, and scans an affected
    // table for who had an item in the window (its subject key and times only; adapters/dynamo-breach-scope.ts).
    touches('incidents', ['read', 'write'], [...INCIDENT_FIELDS, 'pseudonyms']),
    ...BREACH_SCAN_READS,
  ],
  purpose: 'transparency',
  crypto: ['subjectKeys', 'pseudonyms'],
  // The export's purpose summaries name each purpose's categories from the generated record (purpose-categories.ts).
  // The scope job names each audit origin's touches from the generated docs/audit-origins.json.
  bundledFiles: ['docs/ropa.json', 'docs/audit-origins.json'],
});
