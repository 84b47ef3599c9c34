/**
 * The one route table. Every endpoint is listed here with its handler, who may call it, its request and response schemas,
 * the personal data it touches and the purpose it processes for. The API stack, the local server and the OpenAPI document
 * are all built from this list, so what runs locally and what is deployed cannot drift.
 *
 * Workers are listed here too: they touch personal data as much as routes do.
 *
 * This module must stay light (zod and plain data): handlers import it for their own declaration, and the CDK app imports it
 * without loading any handler code.
 */
import type { z } from 'zod';
import type { FieldOf, StoreId } from './inventory';
import { isGated, type PurposeId } from './purposes';
import {
  loginBody,
  loginResponse,
  oidcLoginBody,
  oidcLoginResponse,
  account,
  patchMeBody,
  registerBody,
  registerResponse,
  sessionList,
} from './handlers/accounts.schema';
import { adminAuditPage, adminAuditQuery, auditPosition, myAuditPage, myAuditQuery } from './handlers/audit.schema';
import {
  analyticsBody,
  consentDecisionBody,
  consentHistory,
  consentOverview,
  historyPosition,
  historyQuery,
  newsletterBody,
  newsletterState,
  purposeList,
  purposeParams,
} from './handlers/consent.schema';
import { healthResponse } from './handlers/health.schema';
import {
  adminRequestList,
  adminRequestView,
  adminRequestsQuery,
  completeBody,
  createdRequest,
  downloadLink,
  downloadQuery,
  erasureReceipt,
  extendBody,
  newRequestBody,
  rejectBody,
  requestIdParams,
  requestList,
  requestView,
} from './handlers/rights.schema';
import { legalHoldBody, legalHoldState, subjectIdParams } from './handlers/retention.schema';
import { problemDocument } from './shared/problem.schema';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** public: anyone; subject: a logged-in data subject acting on their own data; admin: an operator account. */
export type RouteAuth = 'public' | 'subject' | 'admin';

export type DataAccess = 'read' | 'write' | 'delete';

/** One declared touch of personal data: which store, which fields, and how. */
export type DataTouch = {
  readonly [S in StoreId]: { readonly store: S; readonly access: readonly DataAccess[]; readonly fields: readonly FieldOf<S>[] };
}[StoreId];

/** Declares a touch with field names checked against the inventory. */
export function touches<S extends StoreId>(store: S, access: readonly DataAccess[], fields: readonly FieldOf<S>[]): DataTouch {
  return { store, access, fields } as DataTouch;
}

export interface ResponseDeclaration {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Set for non-JSON answers such as problem documents. */
  readonly contentType?: string;
}

export interface RouteDefinition {
  /** Stable id: names the Lambda function, the handler file (`lambdas/handlers/<handler>.ts`) and the OpenAPI operation. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/v1/me/consents/{purpose}`. */
  readonly path: string;
  /** Handler module under `lambdas/handlers/`, without extension; it exports `handler`. */
  readonly handler: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly auth: RouteAuth;
  readonly request?: {
    readonly body?: z.ZodType;
    readonly params?: z.ZodObject;
    readonly query?: z.ZodObject;
  };
  readonly responses: Readonly<Record<number, ResponseDeclaration>>;
  /**
   * Paginated routes: the schema of the storage position their cursors carry. The route's query then has a `cursor`
   * parameter (`cursorParam`), which `httpRoute` opens and checks (`shared/cursor.ts`) before the handler runs; the handler
   * gets the position as `page.position` and seals the next one with `page.next(position)`.
   */
  readonly paging?: { readonly position: z.ZodType };
  /** Personal data this route reads or writes; also what its function is granted and what the audit trail records. */
  readonly personalData: readonly DataTouch[];
  /** The processing purpose, from the catalogue in `purposes.ts`; absent for routes that process no personal data. */
  readonly purpose?: PurposeId;
  /**
   * What the consent gate does when the subject has not granted the purpose (or objected, or restricted processing):
   * `refuse` answers 403 consent-required; `drop` answers 204 and the handler never runs (for fire-and-forget tracking).
   * Only routes whose purpose is gated (consent or legitimate interest, or stopped by a restriction) have a gate.
   */
  readonly consentGate?: 'refuse' | 'drop';
  /** KMS uses: `subjectKeys` (create and unwrap per-subject data keys), `pseudonyms` (HMAC blind indexes). */
  readonly crypto?: readonly CryptoUse[];
  /** Deploy-time settings the handler reads (each becomes one environment variable, set from the stage configuration). */
  readonly settings?: readonly RouteSetting[];
}

export type CryptoUse = 'subjectKeys' | 'pseudonyms';

/**
 * `oidcProviders` → OIDC_PROVIDERS (the issuer allow-list, JSON); `rightsModes` → RIGHTS_MODES (automatic or manual per
 * request type, JSON); `retention` → RETENTION_INACTIVE_MONTHS and RETENTION_GRACE_DAYS (account retention).
 */
export type RouteSetting = 'oidcProviders' | 'rightsModes' | 'retention';

export interface WorkerDefinition {
  readonly id: string;
  readonly handler: string;
  readonly description: string;
  /** The queue it consumes; the local cloud and the CDK event source both use it. */
  readonly queue: 'rightsRequestQueue';
  readonly batchSize: number;
  /** Seconds; the queue's visibility timeout is derived as six times this. */
  readonly timeoutSeconds: number;
  readonly personalData: readonly DataTouch[];
  readonly crypto?: readonly CryptoUse[];
  readonly purpose?: PurposeId;
}

/** The audit trail's own touch: every entry names pseudonyms, actions and field names (see `domain/audit.ts`). */
const AUDIT_WRITE = touches('audit', ['read', 'write'], [
  'chainId', 'seq', 'entryId', 'at', 'day', 'subjectPseudonym', 'actorId', 'actorRole', 'action', 'purpose', 'categories',
  'fields', 'outcome', 'correlationId', 'origin', 'prevHash', 'hash', 'expiresAt', 'headSeq', 'headHash',
]);

/** Every attribute of a session item: sessions are read whole (GetItem, Query), so a read touches them all. */
const SESSION_FIELDS = ['tokenHash', 'subjectId', 'roles', 'deviceLabel', 'createdAt', 'lastUsedAt', 'idleExpiresAt', 'expiresAt'] as const;

/** A rights-request job on the queue: ids and the request type only (`rights-context.ts` enqueue). */
const QUEUE_JOB_FIELDS = ['requestId', 'kind'] as const;

/** Retention (`domain/retention.ts`): a login restarts the inactivity clock, and withdraws a notice given. */
export const ACTIVITY_FIELDS = ['lastActiveAt', 'activityMonth'] as const;
export const NOTICE_FIELDS = ['inactivityNoticeAt', 'inactivityErasureAt'] as const;
/** What the retention job and the legal-hold routes keep on the account besides activity and notice. */
export const RETENTION_FIELDS = ['retentionErasureRequestId', 'legalHold'] as const;

/**
 * Declares a route. A route that touches personal data also writes the audit trail, so it is given the audit table and the
 * pseudonym key here, once, rather than by each declaration (which could forget): no route can touch personal data
 * without being able, and made, to record it.
 */
export function defineRoute<const R extends RouteDefinition>(declared: R): R {
  // A route that touches personal data appends to the audit trail, and an append that keeps losing the race for the
  // subject's chain answers 409 concurrent-update (AuditWriteConflictError): every such route can give that answer.
  const route: R =
    declared.personalData.length > 0 && !declared.responses[409]
      ? { ...declared, responses: { ...declared.responses, 409: AUDIT_CONFLICT } }
      : declared;
  if (route.purpose && isGated(route.purpose)) {
    // The gate needs a subject to ask about: a gated purpose cannot be processed for an anonymous caller.
    if (route.auth === 'public') throw new Error(`${route.id}: purpose ${route.purpose} is gated by consent, so the route cannot be public`);
    return withAudit({ ...route, personalData: [...route.personalData, CONSENT_GATE_READ] });
  }
  return withAudit(route);
}

const AUDIT_CONFLICT: ResponseDeclaration = {
  description: 'Other changes to this account were being made at the same time; nothing was applied, retry (problem+json).',
  schema: problemDocument,
  contentType: 'application/problem+json',
};

/** What the consent gate reads: the subject's projection items. */
const CONSENT_GATE_READ = touches('consent', ['read'], ['subjectId', 'sk', 'topic', 'lastAction', 'policyVersion', 'validUntil', 'seq', 'at', 'method']);

export function withAudit<const D extends { personalData: readonly DataTouch[]; crypto?: readonly CryptoUse[] }>(declaration: D): D {
  if (declaration.personalData.length === 0 || declaration.personalData.some((t) => t.store === 'audit' && t.access.includes('write'))) {
    return declaration;
  }
  return {
    ...declaration,
    personalData: [...declaration.personalData, AUDIT_WRITE],
    crypto: [...new Set<CryptoUse>([...(declaration.crypto ?? []), 'pseudonyms'])],
  };
}

/** Problem answers every route can give; listed once so the OpenAPI document is honest about them. */
const commonProblems: Record<number, ResponseDeclaration> = {
  400: { description: 'Malformed or invalid request (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  413: { description: 'Request body too large (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  415: { description: 'Request body is not JSON (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  429: { description: 'Too many requests (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  500: { description: 'Internal error; the body says nothing internal (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
};

export const healthRoute = defineRoute({
  id: 'health',
  method: 'GET',
  path: '/v1/health',
  handler: 'health',
  summary: 'Liveness: answers when the API and its function are up. Touches no data.',
  tags: ['operations'],
  auth: 'public',
  responses: { 200: { description: 'The API is up.', schema: healthResponse }, ...commonProblems },
  personalData: [],
});

export const openApiRoute = defineRoute({
  id: 'openapi',
  method: 'GET',
  path: '/v1/openapi.json',
  handler: 'openapi',
  summary: 'This API described as OpenAPI 3.1, generated from the route table.',
  tags: ['operations'],
  auth: 'public',
  responses: { 200: { description: 'The OpenAPI 3.1 document.' }, ...commonProblems },
  personalData: [],
});

const problem = (description: string): ResponseDeclaration => ({
  description,
  schema: problemDocument,
  contentType: 'application/problem+json',
});
const authProblems: Record<number, ResponseDeclaration> = {
  401: problem('No valid session (problem+json).'),
  403: problem('Not allowed (problem+json).'),
};

export const registerRoute = defineRoute({
  id: 'register',
  method: 'POST',
  path: '/v1/accounts',
  handler: 'register',
  summary: 'Register: creates the account and its first session. Optional purposes are never pre-ticked.',
  tags: ['accounts'],
  auth: 'public',
  request: { body: registerBody },
  responses: {
    201: { description: 'Account created; the session token is shown once.', schema: registerResponse },
    409: problem('The email is already registered.'),
    ...commonProblems,
  },
  personalData: [
    touches('consent', ['read', 'write'], ['subjectId', 'sk', 'topic', 'action', 'lastAction', 'seq', 'eventId', 'policyVersion', 'policyHash', 'method', 'at', 'clientId', 'validUntil']),
    touches('users', ['write'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS]),
    touches('subjectKeys', ['write'], ['subjectId', 'wrappedKey', 'createdAt']),
    touches('identities', ['write'], ['identityKey', 'subjectId', 'kind', 'createdAt']),
    touches('sessions', ['write'], ['tokenHash', 'subjectId', 'roles', 'deviceLabel', 'createdAt', 'lastUsedAt', 'idleExpiresAt', 'expiresAt']),
  ],
  purpose: 'account',
  crypto: ['subjectKeys', 'pseudonyms'],
});

export const loginRoute = defineRoute({
  id: 'login',
  method: 'POST',
  path: '/v1/sessions',
  handler: 'login',
  summary: 'Log in with email and password. Errors and timing do not reveal whether the email is registered.',
  tags: ['sessions'],
  auth: 'public',
  request: { body: loginBody },
  responses: {
    201: { description: 'Logged in; the session token is shown once.', schema: loginResponse },
    401: problem('Wrong email or password.'),
    ...commonProblems,
  },
  personalData: [
    touches('identities', ['read'], ['identityKey', 'subjectId', 'kind', 'createdAt']),
    // The account is read whole (GetItem), the encrypted profile and blind index included, though login decrypts nothing.
    touches('users', ['read', 'write'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS, ...NOTICE_FIELDS, 'retentionErasureRequestId']),
    touches('loginThrottle', ['read', 'write', 'delete'], ['counterKey', 'failures', 'lockedUntil', 'windowStart', 'expiresAt']),
    touches('sessions', ['write'], ['tokenHash', 'subjectId', 'roles', 'deviceLabel', 'createdAt', 'lastUsedAt', 'idleExpiresAt', 'expiresAt']),
  ],
  purpose: 'account',
  crypto: ['pseudonyms'],
});

export const oidcLoginRoute = defineRoute({
  id: 'loginOidc',
  method: 'POST',
  path: '/v1/sessions/oidc',
  handler: 'login-oidc',
  summary: 'Log in with an OpenID Connect ID token from a configured provider; creates or links the account.',
  tags: ['sessions'],
  auth: 'public',
  request: { body: oidcLoginBody },
  responses: {
    201: { description: 'Logged in; the session token is shown once.', schema: oidcLoginResponse },
    401: problem('The ID token is invalid, expired, or from an unknown issuer.'),
    422: problem('The provider shared no email, or an unverified one, for a new account.'),
    ...commonProblems,
  },
  personalData: [
    touches('identities', ['read', 'write'], ['identityKey', 'subjectId', 'kind', 'createdAt']),
    touches('users', ['read', 'write'], ['subjectId', 'emailIndex', 'profile', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS, ...NOTICE_FIELDS, 'retentionErasureRequestId']),
    touches('subjectKeys', ['write'], ['subjectId', 'wrappedKey', 'createdAt']),
    touches('sessions', ['write'], ['tokenHash', 'subjectId', 'roles', 'deviceLabel', 'createdAt', 'lastUsedAt', 'idleExpiresAt', 'expiresAt']),
  ],
  purpose: 'account',
  crypto: ['subjectKeys', 'pseudonyms'],
  settings: ['oidcProviders'],
});

export const listSessionsRoute = defineRoute({
  id: 'listSessions',
  method: 'GET',
  path: '/v1/sessions',
  handler: 'list-sessions',
  summary: 'My sessions: when created and last used, and a coarse device label. No IP addresses are stored.',
  tags: ['sessions'],
  auth: 'subject',
  responses: { 200: { description: 'My sessions.', schema: sessionList }, ...authProblems, ...commonProblems },
  personalData: [touches('sessions', ['read'], [...SESSION_FIELDS])],
  purpose: 'account',
});

export const logoutRoute = defineRoute({
  id: 'logout',
  method: 'DELETE',
  path: '/v1/sessions/current',
  handler: 'logout',
  summary: 'Log out: ends this session.',
  tags: ['sessions'],
  auth: 'subject',
  responses: { 204: { description: 'Logged out.' }, ...authProblems, ...commonProblems },
  // The delete is conditional on the session's owner.
  personalData: [touches('sessions', ['delete'], ['tokenHash', 'subjectId'])],
  purpose: 'account',
});

export const logoutEverywhereRoute = defineRoute({
  id: 'logoutEverywhere',
  method: 'DELETE',
  path: '/v1/sessions',
  handler: 'logout-everywhere',
  summary: 'Log out everywhere: ends every session of mine.',
  tags: ['sessions'],
  auth: 'subject',
  responses: { 204: { description: 'All sessions ended.' }, ...authProblems, ...commonProblems },
  personalData: [touches('sessions', ['read', 'delete'], [...SESSION_FIELDS])],
  purpose: 'account',
});

export const getMeRoute = defineRoute({
  id: 'getMe',
  method: 'GET',
  path: '/v1/me',
  handler: 'get-me',
  summary: 'My account: every profile field, and where each came from.',
  tags: ['accounts'],
  auth: 'subject',
  responses: {
    200: { description: 'My account.', schema: account },
    410: problem('The account data has been erased.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [
    touches('users', ['read'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS, ...NOTICE_FIELDS]),
    touches('subjectKeys', ['read'], ['subjectId', 'wrappedKey', 'createdAt']),
  ],
  purpose: 'account',
  crypto: ['subjectKeys'],
});

export const patchMeRoute = defineRoute({
  id: 'patchMe',
  method: 'PATCH',
  path: '/v1/me',
  handler: 'patch-me',
  summary: 'Correct my data (Art. 16): any field, including provider-sourced ones. Email and password changes need the current password.',
  tags: ['accounts'],
  auth: 'subject',
  request: { body: patchMeBody },
  responses: {
    200: { description: 'The corrected account.', schema: account },
    409: problem('The new email is taken, or the account changed concurrently.'),
    410: problem('The account data has been erased.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [
    // Read whole and written back whole (a Put in the transaction), so every attribute of the account goes both ways.
    touches('users', ['read', 'write'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS]),
    touches('subjectKeys', ['read'], ['subjectId', 'wrappedKey', 'createdAt']),
    touches('identities', ['write', 'delete'], ['identityKey', 'subjectId', 'kind', 'createdAt']),
    // A password change ends every other session of the subject.
    touches('sessions', ['read', 'delete'], [...SESSION_FIELDS]),
  ],
  purpose: 'account',
  crypto: ['subjectKeys', 'pseudonyms'],
});

const AUDIT_READ_FIELDS = [
  'chainId', 'seq', 'entryId', 'at', 'subjectPseudonym', 'actorId', 'actorRole', 'action', 'purpose', 'categories', 'fields',
  'outcome', 'correlationId', 'origin', 'prevHash', 'hash', 'expiresAt',
] as const;

export const myAuditRoute = defineRoute({
  id: 'myAudit',
  method: 'GET',
  path: '/v1/me/audit',
  handler: 'my-audit',
  summary: 'Who accessed my data, when, for what purpose, and which fields (never values). Newest first.',
  tags: ['audit'],
  auth: 'subject',
  request: { query: myAuditQuery },
  paging: { position: auditPosition },
  responses: { 200: { description: 'A page of the audit trail about me.', schema: myAuditPage }, ...authProblems, ...commonProblems },
  // The page read; defineRoute adds the audit write (which reads the chain head) as for every route.
  personalData: [touches('audit', ['read'], [...AUDIT_READ_FIELDS, 'day'])],
  purpose: 'transparency',
  crypto: ['pseudonyms'],
});

export const adminAuditRoute = defineRoute({
  id: 'adminAudit',
  method: 'GET',
  path: '/v1/admin/audit',
  handler: 'admin-audit',
  summary:
    'Search the audit trail by subject (id or pseudonym), actor, action and time range; newest first, paginated. ' +
    'Without a subject or actor, the range may span at most 31 days.',
  tags: ['audit', 'admin'],
  auth: 'admin',
  request: { query: adminAuditQuery },
  paging: { position: auditPosition },
  responses: {
    200: { description: 'A page of audit entries.', schema: adminAuditPage },
    ...authProblems,
    403: problem('The caller is not an administrator.'),
    ...commonProblems,
  },
  // The page read; defineRoute adds the audit write (which reads the chain head) as for every route.
  personalData: [touches('audit', ['read'], [...AUDIT_READ_FIELDS, 'day'])],
  purpose: 'accountability',
  crypto: ['pseudonyms'],
});

const CONSENT_FIELDS = ['subjectId', 'sk', 'topic', 'action', 'lastAction', 'seq', 'eventId', 'policyVersion', 'policyHash', 'method', 'at', 'clientId', 'validUntil'] as const;
/** The per-purpose projection items (state#<topic>): what the overview and the consent gate read. */
const CONSENT_STATE_FIELDS = ['subjectId', 'sk', 'topic', 'lastAction', 'seq', 'policyVersion', 'method', 'at', 'validUntil'] as const;
/** The ledger's event items (event#…): everything but the projection's lastAction. */
const CONSENT_EVENT_FIELDS = CONSENT_FIELDS.filter((f) => f !== 'lastAction');
/** A restriction is no decision on a policy text, so its events and projection carry no policy hash. */
const RESTRICTION_FIELDS = CONSENT_FIELDS.filter((f) => f !== 'policyHash');

export const purposesRoute = defineRoute({
  id: 'purposes',
  method: 'GET',
  path: '/v1/purposes',
  handler: 'purposes',
  summary: 'The processing purposes: lawful basis, policy text with its version and SHA-256, data, retention, recipients.',
  tags: ['consent'],
  auth: 'public',
  responses: { 200: { description: 'Every purpose.', schema: purposeList }, ...commonProblems },
  personalData: [],
});

export const myConsentsRoute = defineRoute({
  id: 'myConsents',
  method: 'GET',
  path: '/v1/me/consents',
  handler: 'my-consents',
  summary: 'My consent state per purpose, including "needs re-consent" and lapsed consents, and whether processing is restricted.',
  tags: ['consent'],
  auth: 'subject',
  responses: { 200: { description: 'State per purpose.', schema: consentOverview }, ...authProblems, ...commonProblems },
  personalData: [touches('consent', ['read'], [...CONSENT_STATE_FIELDS])],
  purpose: 'consent-management',
});

export const putConsentRoute = defineRoute({
  id: 'putConsent',
  method: 'PUT',
  path: '/v1/me/consents/{purpose}',
  handler: 'put-consent',
  summary: 'Grant or withdraw consent to a purpose: the same single call either way. Recorded in an append-only ledger.',
  tags: ['consent'],
  auth: 'subject',
  request: { params: purposeParams, body: consentDecisionBody },
  responses: {
    200: { description: 'The new state per purpose.', schema: consentOverview },
    409: problem('The purpose is not based on consent, or the consent changed concurrently.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('consent', ['read', 'write'], [...CONSENT_FIELDS])],
  purpose: 'consent-management',
});

export const consentHistoryRoute = defineRoute({
  id: 'consentHistory',
  method: 'GET',
  path: '/v1/me/consents/history',
  handler: 'consent-history',
  summary: 'Every consent, objection and restriction decision I made, newest first.',
  tags: ['consent'],
  auth: 'subject',
  request: { query: historyQuery },
  paging: { position: historyPosition },
  responses: { 200: { description: 'A page of my consent history.', schema: consentHistory }, ...authProblems, ...commonProblems },
  personalData: [touches('consent', ['read'], [...CONSENT_EVENT_FIELDS])],
  purpose: 'consent-management',
});

export const restrictRoute = defineRoute({
  id: 'restrict',
  method: 'POST',
  path: '/v1/me/restriction',
  handler: 'restrict',
  summary: 'Restrict processing (Art. 18): everything stops except storage, my rights and what the law requires.',
  tags: ['consent'],
  auth: 'subject',
  responses: { 200: { description: 'The new state.', schema: consentOverview }, ...authProblems, ...commonProblems },
  personalData: [touches('consent', ['read', 'write'], [...RESTRICTION_FIELDS])],
  purpose: 'consent-management',
});

export const liftRestrictionRoute = defineRoute({
  ...restrictRoute,
  id: 'liftRestriction',
  method: 'DELETE',
  handler: 'lift-restriction',
  summary: 'Lift my restriction of processing.',
});

export const objectRoute = defineRoute({
  id: 'object',
  method: 'POST',
  path: '/v1/me/objections/{purpose}',
  handler: 'object',
  summary: 'Object (Art. 21) to processing for a legitimate-interest purpose; it stops from the next request.',
  tags: ['consent'],
  auth: 'subject',
  request: { params: purposeParams },
  responses: {
    200: { description: 'The new state.', schema: consentOverview },
    409: problem('The purpose is not based on legitimate interest.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('consent', ['read', 'write'], [...CONSENT_FIELDS])],
  purpose: 'consent-management',
});

export const withdrawObjectionRoute = defineRoute({
  ...objectRoute,
  id: 'withdrawObjection',
  method: 'DELETE',
  handler: 'withdraw-objection',
  summary: 'Withdraw my objection to a legitimate-interest purpose.',
});

export const analyticsEventsRoute = defineRoute({
  id: 'analyticsEvents',
  method: 'POST',
  path: '/v1/events',
  handler: 'analytics-events',
  summary: 'Usage events: stored (pseudonymously, 90 days) only while I grant `analytics`; otherwise 204 and nothing is stored.',
  tags: ['consent'],
  auth: 'subject',
  request: { body: analyticsBody },
  responses: { 204: { description: 'Accepted (stored only with consent).' }, ...authProblems, ...commonProblems },
  personalData: [
    touches('analyticsEvents', ['write'], ['analyticsId', 'sk', 'name', 'properties', 'at', 'expiresAt']),
  ],
  purpose: 'analytics',
  consentGate: 'drop',
  crypto: ['pseudonyms'],
});

export const newsletterRoute = defineRoute({
  id: 'newsletter',
  method: 'PUT',
  path: '/v1/me/newsletter',
  handler: 'newsletter',
  summary: 'Subscribe to or leave the newsletter; needs consent to `marketing-email`.',
  tags: ['consent'],
  auth: 'subject',
  request: { body: newsletterBody },
  responses: {
    200: { description: 'The preference.', schema: newsletterState },
    403: problem('No consent to marketing-email (consent-required, with purpose and reason).'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('consent', ['read', 'write'], ['subjectId', 'sk', 'subscribed', 'at'])],
  purpose: 'marketing-email',
});

const REQUEST_FIELDS = [
  'requestId', 'subjectId', 'type', 'status', 'mode', 'receivedAt', 'dueAt', 'originalDueAt', 'extension', 'history', 'fields',
  'exportKeys', 'erasureSteps', 'receipt', 'receiptTokenHash', 'updatedAt', 'origin', 'expiresAt', 'createdAt',
] as const;

export const createRequestRoute = defineRoute({
  id: 'createRequest',
  method: 'POST',
  path: '/v1/me/requests',
  handler: 'create-request',
  summary:
    'Exercise a right: access, export, rectification or erasure. Answers 202 with the request, due one calendar month later. ' +
    'Access, export and erasure need a login within the re-verification window, or the password in the body.',
  tags: ['rights'],
  auth: 'subject',
  request: { body: newRequestBody },
  responses: {
    202: { description: 'Recorded (and queued, for automatic types).', schema: createdRequest },
    403: problem('Re-verification required: log in again or send the password.'),
    409: problem('A request of this type is already open.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [
    touches('rightsRequests', ['read', 'write'], [...REQUEST_FIELDS]),
    touches('rightsRequestQueue', ['write'], [...QUEUE_JOB_FIELDS]),
    touches('users', ['read'], ['subjectId', 'passwordHash']),
  ],
  purpose: 'transparency',
  settings: ['rightsModes'],
});

export const myRequestsRoute = defineRoute({
  id: 'myRequests',
  method: 'GET',
  path: '/v1/me/requests',
  handler: 'my-requests',
  summary: 'My rights requests, newest first, with their state history, due dates and receipts.',
  tags: ['rights'],
  auth: 'subject',
  responses: { 200: { description: 'My requests.', schema: requestList }, ...authProblems, ...commonProblems },
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS])],
  purpose: 'transparency',
});

export const myRequestRoute = defineRoute({
  id: 'myRequest',
  method: 'GET',
  path: '/v1/me/requests/{requestId}',
  handler: 'my-request',
  summary: 'One of my rights requests.',
  tags: ['rights'],
  auth: 'subject',
  request: { params: requestIdParams },
  responses: { 200: { description: 'The request.', schema: requestView }, 404: problem('No such request of mine.'), ...authProblems, ...commonProblems },
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS])],
  purpose: 'transparency',
});

export const downloadRoute = defineRoute({
  id: 'downloadExport',
  method: 'GET',
  path: '/v1/me/requests/{requestId}/download',
  handler: 'download-export',
  summary: 'A presigned link, valid for 5 minutes, to the export (JSON or CSV) of a completed export or access request.',
  tags: ['rights'],
  auth: 'subject',
  request: { params: requestIdParams, query: downloadQuery },
  responses: {
    200: { description: 'The link.', schema: downloadLink },
    404: problem('No such request of mine.'),
    409: problem('The export is not ready (or has expired).'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS]), touches('exports', ['read'], ['subjectExport'])],
  purpose: 'transparency',
});

export const erasureReceiptRoute = defineRoute({
  id: 'erasureReceipt',
  method: 'GET',
  path: '/v1/erasure-receipts/{requestId}',
  handler: 'erasure-receipt',
  summary: 'The receipt of a completed erasure, for the holder of its receipt token (X-Receipt-Token). Holds no personal data.',
  tags: ['rights'],
  auth: 'public',
  request: { params: requestIdParams },
  responses: { 200: { description: 'The receipt.', schema: erasureReceipt }, 404: problem('No receipt for this id and token.'), ...commonProblems },
  // The request is read whole (GetItem) though only the receipt is answered; the subject id is a pseudonym by then.
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS])],
  purpose: 'transparency',
});

/** `enqueues`: the action queues the request for the workers (approve); the others only change the request. */
const adminRequestRoute = (id: string, action: string, handler: string, summary: string, body?: z.ZodType, enqueues = false) =>
  defineRoute({
    id,
    method: 'POST',
    path: `/v1/admin/requests/{requestId}/${action}`,
    handler,
    summary,
    tags: ['rights', 'admin'],
    auth: 'admin',
    request: { params: requestIdParams, ...(body ? { body } : {}) },
    responses: {
      200: { description: 'The request after the change.', schema: adminRequestView },
      404: problem('No such request.'),
      409: problem('Not possible in the request\'s current state.'),
      ...authProblems,
      ...commonProblems,
    },
    personalData: [
      touches('rightsRequests', ['read', 'write'], [...REQUEST_FIELDS]),
      ...(enqueues ? [touches('rightsRequestQueue', ['write'], [...QUEUE_JOB_FIELDS])] : []),
    ],
    purpose: 'accountability',
  });

export const adminRequestsRoute = defineRoute({
  id: 'adminRequests',
  method: 'GET',
  path: '/v1/admin/requests',
  handler: 'admin-requests',
  summary: 'Open rights requests (or those in a status), oldest due first; `overdue=true` lists those past their due date.',
  tags: ['rights', 'admin'],
  auth: 'admin',
  request: { query: adminRequestsQuery },
  responses: { 200: { description: 'Requests.', schema: adminRequestList }, ...authProblems, ...commonProblems },
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS])],
  purpose: 'accountability',
});
export const approveRequestRoute = adminRequestRoute('approveRequest', 'approve', 'approve-request', 'Approve a manual (or failed) request: queue it for the workers.', undefined, true);
export const rejectRequestRoute = adminRequestRoute('rejectRequest', 'reject', 'reject-request', 'Reject a request with a reason the subject sees.', rejectBody);
export const extendRequestRoute = adminRequestRoute('extendRequest', 'extend', 'extend-request', 'Extend the deadline once, by one or two months, with a reason the subject sees (Art. 12(3)).', extendBody);
export const completeRequestRoute = adminRequestRoute('completeRequest', 'complete', 'complete-request', 'Complete a request handled by hand, with a note the subject sees.', completeBody);

/** What placing or lifting a legal hold touches: the account's retention state, and a retention erasure to cancel. */
const LEGAL_HOLD_DATA = [
  // The retention state is read with a projection that includes lastActiveAt (adapters/dynamo-retention.ts).
  touches('users', ['read', 'write'], ['subjectId', 'lastActiveAt', ...NOTICE_FIELDS, ...RETENTION_FIELDS]),
  touches('rightsRequests', ['read', 'write'], [...REQUEST_FIELDS]),
];

export const setLegalHoldRoute = defineRoute({
  id: 'setLegalHold',
  method: 'PUT',
  path: '/v1/admin/subjects/{subjectId}/legal-hold',
  handler: 'set-legal-hold',
  summary:
    'Place a legal hold on an account, with a reason: the retention job neither notifies nor erases it, and a retention ' +
    'erasure filed but not yet started is rejected. Audited.',
  tags: ['retention', 'admin'],
  auth: 'admin',
  request: { params: subjectIdParams, body: legalHoldBody },
  responses: {
    200: { description: 'The hold, and what became of a pending retention erasure.', schema: legalHoldState },
    404: problem('No account with this subject id.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: LEGAL_HOLD_DATA,
  purpose: 'accountability',
});

export const liftLegalHoldRoute = defineRoute({
  id: 'liftLegalHold',
  method: 'DELETE',
  path: '/v1/admin/subjects/{subjectId}/legal-hold',
  handler: 'lift-legal-hold',
  summary: 'Lift a legal hold: retention applies again (a fresh notice comes first if the account is inactive). Audited.',
  tags: ['retention', 'admin'],
  auth: 'admin',
  request: { params: subjectIdParams },
  responses: {
    200: { description: 'The account without a hold.', schema: legalHoldState },
    404: problem('No account with this subject id.'),
    ...authProblems,
    ...commonProblems,
  },
  // One conditional update that removes the hold; nothing is read first.
  personalData: [touches('users', ['write'], ['subjectId', 'legalHold'])],
  purpose: 'accountability',
});

/** Every endpoint, in the order the OpenAPI document lists them. */
export const routes: readonly RouteDefinition[] = [
  healthRoute,
  openApiRoute,
  registerRoute,
  loginRoute,
  oidcLoginRoute,
  listSessionsRoute,
  logoutRoute,
  logoutEverywhereRoute,
  getMeRoute,
  patchMeRoute,
  myAuditRoute,
  adminAuditRoute,
  purposesRoute,
  myConsentsRoute,
  putConsentRoute,
  consentHistoryRoute,
  restrictRoute,
  liftRestrictionRoute,
  objectRoute,
  withdrawObjectionRoute,
  analyticsEventsRoute,
  newsletterRoute,
  createRequestRoute,
  myRequestsRoute,
  myRequestRoute,
  downloadRoute,
  erasureReceiptRoute,
  adminRequestsRoute,
  approveRequestRoute,
  rejectRequestRoute,
  extendRequestRoute,
  completeRequestRoute,
  setLegalHoldRoute,
  liftLegalHoldRoute,
];

/** The Lambda authorizer, declared like a route so its grants and audit follow the same rules. */
export const authorizerFunction = {
  id: 'authorizer',
  handler: 'authorizer',
  personalData: [touches('sessions', ['read', 'write'], [...SESSION_FIELDS])],
} as const;

/** The ops command that creates admin accounts (scripts/create-admin.ts): never reachable through the API. */
export const createAdminCommand = withAudit({
  id: 'createAdmin',
  personalData: [
    touches('identities', ['write'], ['identityKey', 'subjectId', 'kind', 'createdAt']),
    touches('users', ['write'], ['subjectId', 'emailIndex', 'profile', 'passwordHash', 'roles', 'createdAt', 'updatedAt', ...ACTIVITY_FIELDS]),
    touches('subjectKeys', ['write'], ['subjectId', 'wrappedKey', 'createdAt']),
    touches('sessions', ['write', 'delete'], ['tokenHash', 'subjectId']),
  ],
  crypto: ['subjectKeys', 'pseudonyms'],
  purpose: 'account',
} as const satisfies Pick<RouteDefinition, 'id' | 'personalData' | 'crypto' | 'purpose'>);

/** Answers anything the table does not match: 404 for unknown paths, 405 (with Allow) for known paths. */
export const fallbackRoute = defineRoute({
  id: 'fallback',
  method: 'GET', // served for every method; the API stack wires it as ANY
  path: '/{proxy+}',
  handler: 'fallback',
  summary: 'Problem answers for unknown routes and wrong methods.',
  tags: [],
  auth: 'public',
  responses: { 404: { description: 'No such route.' }, 405: { description: 'Method not allowed.' } },
  personalData: [],
});

export const rightsRequestWorker: WorkerDefinition = withAudit({
  id: 'rightsRequestWorker',
  handler: 'rights-request-worker',
  description: 'Carries out queued rights requests (export, access, erasure); idempotent, resumable, partial batch failures.',
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
    touches('analyticsEvents', ['read', 'delete'], ['analyticsId', 'sk', 'name', 'properties', 'at', 'expiresAt']),
    touches('rightsRequests', ['read', 'write'], [...REQUEST_FIELDS, 'pendingVerification']),
    // Its own entries, and the subject's chain read whole for the export.
    AUDIT_WRITE,
    touches('exports', ['write', 'delete'], ['subjectExport']),
    // The subject's counter is read whole before it is deleted.
    touches('loginThrottle', ['read', 'delete'], ['counterKey', 'failures', 'lockedUntil', 'windowStart', 'expiresAt']),
  ],
  purpose: 'transparency',
  crypto: ['subjectKeys', 'pseudonyms'],
});

export const workers: readonly WorkerDefinition[] = [rightsRequestWorker];

/** Finds the route for a method and a concrete path (`/v1/me/consents/analytics`), with its path parameters. */
export function matchRoute(
  method: string,
  path: string,
  table: readonly RouteDefinition[] = routes,
): { route: RouteDefinition; params: Record<string, string> } | { allowed: HttpMethod[] } | undefined {
  const allowed: HttpMethod[] = [];
  for (const route of table) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method.toUpperCase()) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { allowed } : undefined;
}

/** API Gateway template match: `{name}` takes one segment, `{name+}` takes the rest. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    const greedy = /^\{(.+)\+\}$/.exec(segment);
    if (greedy) {
      if (i >= got.length) return undefined;
      params[greedy[1]] = got.slice(i).map(safeDecode).join('/');
      return params;
    }
    if (i >= got.length) return undefined;
    const named = /^\{(.+)\}$/.exec(segment);
    if (named) params[named[1]] = safeDecode(got[i]);
    else if (segment !== got[i]) return undefined;
  }
  return want.length === got.length ? params : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
