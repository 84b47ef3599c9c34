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
import { z } from 'zod';
import type { AppStoreId, FieldOf } from './inventory';
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
import { clientIdHeader } from './client-ids';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** public: anyone; subject: a logged-in data subject acting on their own data; admin: an operator account. */
export type RouteAuth = 'public' | 'subject' | 'admin';

export type DataAccess = 'read' | 'write' | 'delete';

/** One declared touch of personal data: which store, which fields, and how. */
export type DataTouch = {
  readonly [S in AppStoreId]: { readonly store: S; readonly access: readonly DataAccess[]; readonly fields: readonly FieldOf<S>[] };
}[AppStoreId];

/** Declares a touch with field names checked against the inventory; only stores the backend's code writes can be touched. */
export function touches<S extends AppStoreId>(store: S, access: readonly DataAccess[], fields: readonly FieldOf<S>[]): DataTouch {
  return { store, access, fields } as DataTouch;
}

export interface ResponseDeclaration {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Set for non-JSON answers such as problem documents. */
  readonly contentType?: string;
}

/**
 * A request header a route's handler reads. Declared here and nowhere else: the OpenAPI document lists it as a header
 * parameter, the CORS allow-list (API Gateway and the local server) admits it, API Gateway checks `required` ones, and
 * `httpRoute` validates it and hands it to the handler (`request.headers`, lower-cased), the only way a handler sees headers.
 */
export interface HeaderDeclaration {
  /** As clients send it (`X-Client-Id`); header names are case-insensitive. */
  readonly name: string;
  /** A required header that is missing answers 400 before the handler runs. */
  readonly required: boolean;
  readonly schema: z.ZodType<string>;
  readonly description: string;
}

/** The app the request comes from; recorded with consent decisions (see `client-ids.ts`). */
export const CLIENT_ID_HEADER = {
  name: 'X-Client-Id',
  required: false,
  schema: clientIdHeader,
  description:
    'The app the request comes from: one of the client ids the deployment declares (`-c clientIds`, default web, ios, ' +
    'android), else 400. Recorded with consent decisions, which are kept as proof after erasure, so it names an app, never ' +
    'a person. Without the header, `unknown` is recorded.',
} as const satisfies HeaderDeclaration;

/** The receipt token of an erasure: the erased subject has no session left to prove it asked. */
export const RECEIPT_TOKEN_HEADER = {
  name: 'X-Receipt-Token',
  required: true,
  schema: z.string().min(1).max(128),
  description: 'The receipt token shown once when the erasure was requested.',
} as const satisfies HeaderDeclaration;

/** Read once at login to derive a coarse device label ("Firefox on Linux"); the user agent itself is never stored. */
export const USER_AGENT_HEADER = {
  name: 'User-Agent',
  required: false,
  schema: z.string().max(1024),
  description: 'Turned into a coarse device label for the session list; the user agent itself is not stored.',
} as const satisfies HeaderDeclaration;

/**
 * CORS, declared once for the API Gateway stage and the local server (the allowed origins are per stage: `-c corsOrigins`).
 * Allowed request headers are `PROTOCOL_HEADERS` plus every header a route declares (`corsAllowHeaders`).
 */
export const CORS = {
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  /** How long browsers may cache a preflight answer. */
  maxAgeSeconds: 3600,
} as const;

/** Headers the shared layers read for every route: the body's media type (`httpRoute`) and the session token (the authorizer). */
export const PROTOCOL_HEADERS = ['Content-Type', 'Authorization'] as const;

export interface RouteDefinition {
  /** Stable id: names the Lambda function, the handler file (`lambdas/handlers/<handler>.ts`) and the OpenAPI operation. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/v1/me/consents/{purpose}`. */
  readonly path: string;
  /** Handler module under `lambdas/handlers/`, without extension; it exports `handler`. */
  readonly handler: string;
  /** One line: what the route is for. */
  readonly summary: string;
  /** A sentence or two more: what it does, and the GDPR article it serves where there is one. */
  readonly description: string;
  /** Names from `API_TAGS`. */
  readonly tags: readonly ApiTag[];
  /** Which of the API stack's nested stacks deploys the route's function and method: a name from `FEATURES`. */
  readonly feature: Feature;
  readonly auth: RouteAuth;
  readonly request?: {
    readonly body?: z.ZodType;
    readonly params?: z.ZodObject;
    readonly query?: z.ZodObject;
  };
  /** Request headers the handler reads; `request.headers` offers only these. */
  readonly headers?: readonly HeaderDeclaration[];
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

/** The groups of the OpenAPI document, with what each holds. */
export const API_TAGS = {
  operations: 'Liveness and this API description; no personal data.',
  accounts: 'Registration, the profile and its correction (Art. 16).',
  sessions: 'Logging in and out, and the list of my sessions.',
  audit: 'The audit trail: who touched whose data, for what purpose, which fields (never values).',
  consent: 'Purposes, consent decisions, objection (Art. 21) and restriction (Art. 18), and the routes they gate.',
  rights: 'Data-subject requests: access, export, rectification and erasure (Arts. 15-17 and 20), with their deadlines.',
  retention: 'Storage limitation: legal holds that keep an inactive account from erasure.',
  admin: 'Routes for operator accounts only.',
} as const;
export type ApiTag = keyof typeof API_TAGS;

/**
 * The features the API is deployed as: each is one nested stack of the API stack (`lib/api-stack.ts`) holding the
 * functions and methods of its routes, so that no stack nears CloudFormation's 500-resource limit as routes are added.
 * Unlike tags (documentation, several per route), a route has exactly one feature. Moving a route to another feature
 * replaces its function (and log group) on the next deploy.
 */
export const FEATURES = {
  operations: 'Liveness, this API description, and the problem answers for unknown paths and wrong methods.',
  accounts: 'Registration, logging in and out, sessions, the profile and its correction.',
  consent: 'Purposes, consent decisions, objection and restriction, and the routes consent gates.',
  rights: 'Data-subject requests, their admin workflow and erasure receipts; legal holds.',
  audit: 'The audit trail, for subjects and for admins.',
} as const;
export type Feature = keyof typeof FEATURES;

/**
 * `oidcProviders` → OIDC_PROVIDERS (the issuer allow-list, JSON); `rightsModes` → RIGHTS_MODES (automatic or manual per
 * request type, JSON); `retention` → RETENTION_INACTIVE_MONTHS and RETENTION_GRACE_DAYS (account retention); `clientIds` →
 * CLIENT_IDS (the declared `X-Client-Id` values, comma-separated).
 */
export type RouteSetting = 'oidcProviders' | 'rightsModes' | 'retention' | 'clientIds';

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
/** A new subject's audit chain starts without reading a head (there is none yet): its first append writes, never reads. */
export const NEW_CHAIN_AUDIT_WRITE: DataTouch = { ...AUDIT_WRITE, access: ['write'] };

/** Every attribute of a session item: sessions are read whole (GetItem, Query), so a read touches them all. */
const SESSION_FIELDS = ['tokenHash', 'subjectId', 'roles', 'deviceLabel', 'createdAt', 'lastUsedAt', 'idleExpiresAt', 'expiresAt'] as const;

/** A rights-request job on the queue: ids and the request type only (`rights-context.ts` enqueue). */
export const QUEUE_JOB_FIELDS = ['requestId', 'kind'] as const;

/** Retention (`domain/retention.ts`): a login restarts the inactivity clock, and withdraws a notice given. */
export const ACTIVITY_FIELDS = ['lastActiveAt', 'activityMonth'] as const;
export const NOTICE_FIELDS = ['inactivityNoticeAt', 'inactivityErasureAt'] as const;
/** What the retention job and the legal-hold routes keep on the account besides activity and notice. */
export const RETENTION_FIELDS = ['retentionErasureRequestId', 'legalHold'] as const;

/** Every attribute a rights request may carry: requests are read whole (GetItem, Query), so a read touches them all. */
const REQUEST_FIELDS = [
  'requestId', 'subjectId', 'type', 'status', 'mode', 'receivedAt', 'dueAt', 'originalDueAt', 'extension', 'history', 'fields',
  'exportKeys', 'erasureSteps', 'receipt', 'receiptTokenHash', 'updatedAt', 'origin', 'expiresAt', 'createdAt',
] as const;

/**
 * What stopping retention for an account touches (a legal hold placed or lifted, a restriction of processing): the
 * account's retention state (read with a projection that includes lastActiveAt, adapters/dynamo-retention.ts), and the
 * retention erasure it cancels if one was filed and has not started.
 */
const RETENTION_STOP_DATA = [
  touches('users', ['read', 'write'], ['subjectId', 'lastActiveAt', ...NOTICE_FIELDS, ...RETENTION_FIELDS]),
  touches('rightsRequests', ['read', 'write'], [...REQUEST_FIELDS]),
];

/**
 * Declares a route. A route that touches personal data also writes the audit trail, so it is given the audit table and the
 * pseudonym key here, once, rather than by each declaration (which could forget): no route can touch personal data
 * without being able, and made, to record it.
 */
export function defineRoute<const R extends RouteDefinition>(declared: R): R {
  // A route that touches personal data appends to the audit trail, and an append that keeps losing the race for the
  // subject's chain answers 409 concurrent-update (AuditWriteConflictError): every such route can give that answer.
  const audited: R =
    declared.personalData.length > 0 && !declared.responses[409]
      ? { ...declared, responses: { ...declared.responses, 409: AUDIT_CONFLICT } }
      : declared;
  // The allow-list of client ids is a deployment setting: a route that reads the header is given it, and cannot forget it.
  const route: R = audited.headers?.some((h) => h.name === CLIENT_ID_HEADER.name) && !audited.settings?.includes('clientIds')
    ? { ...audited, settings: [...(audited.settings ?? []), 'clientIds'] }
    : audited;
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
  description: 
    'For load balancers and uptime checks: answers 200 with the service name, stage and server time while ' +
    'the function runs. Reads no store and needs no session.',
  tags: ['operations'],
  feature: 'operations',
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
  description: 
    'Serves the OpenAPI 3.1 document generated from the route table that also builds the deployed API, ' +
    'the local server and their CORS settings. Each operation carries its personal-data declaration ' +
    '(`x-fmn-personal-data`) and purpose (`x-fmn-purpose`).',
  tags: ['operations'],
  feature: 'operations',
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
  description: 
    'Creates a subject: a random subject id, the profile encrypted under a new per-subject data key, a ' +
    'blind index of the email and a first session. Purposes ticked in `consents` are recorded in the ' +
    'consent ledger (Art. 7(1)) with method `signup`; nothing optional is granted by default (Art. ' +
    '25(2)).',
  tags: ['accounts'],
  feature: 'accounts',
  auth: 'public',
  headers: [CLIENT_ID_HEADER, USER_AGENT_HEADER],
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
    NEW_CHAIN_AUDIT_WRITE,
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
  description: 
    'Checks the password against its scrypt hash and opens a session; the token is returned once and ' +
    'stored only as its SHA-256. Failures are throttled per account and per client address (an HMAC of ' +
    'it, never the address); the session\'s device label comes from `User-Agent`, which is not stored.',
  tags: ['sessions'],
  feature: 'accounts',
  auth: 'public',
  headers: [USER_AGENT_HEADER],
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
  description: 
    'Verifies the ID token\'s signature, issuer, audience and expiry against the deployment\'s provider ' +
    'allow-list, then logs into the linked account, links a verified email to an existing account, or ' +
    'creates one from the claims the profile needs (Art. 5(1)(c)). Opens a session like password login.',
  tags: ['sessions'],
  feature: 'accounts',
  auth: 'public',
  headers: [USER_AGENT_HEADER],
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
  description: 
    'The caller\'s live sessions, so one they do not recognise can be spotted and ended: creation and ' +
    'last-use times, expiry and a coarse device label. Token hashes are never returned.',
  tags: ['sessions'],
  feature: 'accounts',
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
  description: 
    'Deletes the session item of the token that made this call. The deployed gateway caches authorizer ' +
    'answers for up to 60 seconds.',
  tags: ['sessions'],
  feature: 'accounts',
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
  description: 
    'Deletes every session of the caller, this one included, for example after losing a device. The ' +
    'deployed gateway caches authorizer answers for up to 60 seconds.',
  tags: ['sessions'],
  feature: 'accounts',
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
  description: 
    'Access to the account itself (Art. 15): decrypts the profile with the subject\'s data key and returns ' +
    'every field with its source (`user` or `provider:<name>`). Answers 410 once the data is erased.',
  tags: ['accounts'],
  feature: 'accounts',
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
  description: 
    'Rectification (Art. 16). A new email moves the login identifier and needs the current password; a ' +
    'new password ends every other session. Fields a provider supplied can be corrected too, and a later ' +
    'provider login does not overwrite the correction.',
  tags: ['accounts'],
  feature: 'accounts',
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
  description: 
    'Transparency about processing (Art. 15(1)): the audit entries about the caller, each with action, ' +
    'actor role, purpose, data categories and field names, never values. Paginated.',
  tags: ['audit'],
  feature: 'audit',
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
  description: 
    'Accountability (Art. 5(2)): lets an administrator answer who touched whose data, when and why. A ' +
    'subject id is turned into its pseudonym before the search; entries name pseudonyms and fields, never ' +
    'values.',
  tags: ['audit', 'admin'],
  feature: 'audit',
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
  description: 
    'The information owed to data subjects (Arts. 13 and 14) per purpose: lawful basis, policy text with ' +
    'version and SHA-256, data categories, retention and recipients. Public, so it can be shown before ' +
    'sign-up.',
  tags: ['consent'],
  feature: 'consent',
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
  description: 
    'The caller\'s consent state per purpose, read from the ledger\'s projection (granted, withdrawn, ' +
    'lapsed, needs re-consent after a policy change, objected, restricted) and whether processing for it ' +
    'may happen now.',
  tags: ['consent'],
  feature: 'consent',
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
  description: 
    'Grants or withdraws consent, as easily one way as the other (Art. 7(3)). The decision is appended to ' +
    'the ledger with the policy version and hash, the time and the client id, and the projection the ' +
    'consent gate reads changes in the same transaction.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  headers: [CLIENT_ID_HEADER],
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
  description: 
    'Proof of consent (Art. 7(1)) as the subject sees it: every grant, withdrawal, objection and ' +
    'restriction in the ledger, with the policy version and hash each was given on.',
  tags: ['consent'],
  feature: 'consent',
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
  description:
    'Restriction of processing (Art. 18), recorded in the consent ledger: from the next request the ' +
    'consent gate stops every purpose that does not continue under a restriction (storage, the subject\'s ' +
    'rights, legal obligations). Retention stops too, as under a legal hold: no inactivity notice, and a retention ' +
    'erasure filed but not started is rejected.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  headers: [CLIENT_ID_HEADER],
  responses: { 200: { description: 'The new state.', schema: consentOverview }, ...authProblems, ...commonProblems },
  personalData: [touches('consent', ['read', 'write'], [...RESTRICTION_FIELDS]), ...RETENTION_STOP_DATA],
  purpose: 'consent-management',
});

export const liftRestrictionRoute = defineRoute({
  ...restrictRoute,
  id: 'liftRestriction',
  method: 'DELETE',
  handler: 'lift-restriction',
  summary: 'Lift my restriction of processing.',
  description:
    'Ends a restriction (Art. 18(3)); each purpose\'s processing then follows its own consent or objection ' +
    'state again, and retention applies again, starting with a fresh inactivity notice.',
  personalData: [touches('consent', ['read', 'write'], [...RESTRICTION_FIELDS])],
});

export const objectRoute = defineRoute({
  id: 'object',
  method: 'POST',
  path: '/v1/me/objections/{purpose}',
  handler: 'object',
  summary: 'Object (Art. 21) to processing for a legitimate-interest purpose; it stops from the next request.',
  description: 
    'Objection (Art. 21) to a purpose based on legitimate interest, recorded in the consent ledger: the ' +
    'consent gate refuses or drops processing for it from the next request.',
  tags: ['consent'],
  feature: 'consent',
  auth: 'subject',
  headers: [CLIENT_ID_HEADER],
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
  description: 
    'Withdraws an objection; processing on the legitimate-interest basis may resume. Recorded in the ' +
    'consent ledger like every decision.',
});

export const analyticsEventsRoute = defineRoute({
  id: 'analyticsEvents',
  method: 'POST',
  path: '/v1/events',
  handler: 'analytics-events',
  summary: 'Usage events: stored (pseudonymously, 90 days) only while I grant `analytics`; otherwise 204 and nothing is stored.',
  description: 
    'A batch of usage events. Unless `analytics` is granted (Art. 6(1)(a)) the consent gate answers 204 ' +
    'and stores nothing; stored events are keyed by an HMAC pseudonym, hold no free text and expire after ' +
    '90 days.',
  tags: ['consent'],
  feature: 'consent',
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
  description: 
    'Sets the newsletter preference. Behind the consent gate of `marketing-email` (Art. 6(1)(a)): without ' +
    'that consent the answer is 403 and nothing changes.',
  tags: ['consent'],
  feature: 'consent',
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

export const createRequestRoute = defineRoute({
  id: 'createRequest',
  method: 'POST',
  path: '/v1/me/requests',
  handler: 'create-request',
  summary:
    'Exercise a right: access, export, rectification or erasure. Answers 202 with the request, due one calendar month later. ' +
    'Access, export and erasure need a login within the re-verification window, or the password in the body.',
  description: 
    'Files a data-subject request: access (Art. 15), export (Art. 20), rectification (Art. 16) or erasure ' +
    '(Art. 17), due one calendar month after receipt (Art. 12(3)). Automatic types are queued for the ' +
    'rights worker; erasure also answers with a receipt token, shown once.',
  tags: ['rights'],
  feature: 'rights',
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
  description: 
    'The caller\'s requests (Art. 12): each with its state history, due date, any extension with its ' +
    'reason, and for a completed erasure the receipt.',
  tags: ['rights'],
  feature: 'rights',
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
  description: 
    'One of the caller\'s requests, with its state history and due date. Another subject\'s request answers ' +
    '404, so ids cannot be probed.',
  tags: ['rights'],
  feature: 'rights',
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
  description: 
    'Data portability (Art. 20): a presigned link to the export in a structured, machine-readable format ' +
    '(JSON or CSV). Export files are deleted 7 days after they are written.',
  tags: ['rights'],
  feature: 'rights',
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
  description: 
    'Proof of erasure (Arts. 17 and 5(2)): the step taken in each store, the verification that nothing is ' +
    'left, and when backups age out. The account is gone, so the receipt token given with the request ' +
    '(`X-Receipt-Token`) stands in for a session.',
  tags: ['rights'],
  feature: 'rights',
  auth: 'public',
  headers: [RECEIPT_TOKEN_HEADER],
  request: { params: requestIdParams },
  responses: { 200: { description: 'The receipt.', schema: erasureReceipt }, 404: problem('No receipt for this id and token.'), ...commonProblems },
  // The request is read whole (GetItem) though only the receipt is answered; the subject id is a pseudonym by then.
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS])],
  purpose: 'transparency',
});

/** `enqueues`: the action queues the request for the workers (approve); the others only change the request. */
const adminRequestRoute = (
  id: string,
  action: string,
  handler: string,
  text: { summary: string; description: string },
  body?: z.ZodType,
  enqueues = false,
) =>
  defineRoute({
    id,
    method: 'POST',
    path: `/v1/admin/requests/{requestId}/${action}`,
    handler,
    ...text,
    tags: ['rights', 'admin'],
    feature: 'rights',
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
  description: 
    'The queue of data-subject requests for whoever answers them: by status and type, or overdue, so the ' +
    'one-month deadline (Art. 12(3)) is kept.',
  tags: ['rights', 'admin'],
  feature: 'rights',
  auth: 'admin',
  request: { query: adminRequestsQuery },
  responses: { 200: { description: 'Requests.', schema: adminRequestList }, ...authProblems, ...commonProblems },
  personalData: [touches('rightsRequests', ['read'], [...REQUEST_FIELDS])],
  purpose: 'accountability',
});
export const approveRequestRoute = adminRequestRoute('approveRequest', 'approve', 'approve-request', {
  summary: 'Approve a manual (or failed) request: queue it for the workers.',
  description:
    'Queues a manual or failed access, export or erasure request for the rights worker. Rectification has no worker: it is completed by hand.',
}, undefined, true);
export const rejectRequestRoute = adminRequestRoute('rejectRequest', 'reject', 'reject-request', {
  summary: 'Reject a request with a reason the subject sees.',
  description:
    'Refuses a request (Art. 12(4)) with a reason the subject sees. The reason is free text, so erasure of the subject removes it from the kept record.',
}, rejectBody);
export const extendRequestRoute = adminRequestRoute('extendRequest', 'extend', 'extend-request', {
  summary: 'Extend the deadline once, by one or two months, with a reason the subject sees (Art. 12(3)).',
  description:
    'Extends the deadline once by one or two further months, for complex or numerous requests (Art. 12(3)), with a reason the subject sees. Erasure of the subject removes the reason from the kept record.',
}, extendBody);
export const completeRequestRoute = adminRequestRoute('completeRequest', 'complete', 'complete-request', {
  summary: 'Complete a request handled by hand, with a note the subject sees.',
  description:
    'Completes a request handled by hand, typically a rectification, with a note the subject sees. Erasure of the subject removes the note from the kept record.',
}, completeBody);


export const setLegalHoldRoute = defineRoute({
  id: 'setLegalHold',
  method: 'PUT',
  path: '/v1/admin/subjects/{subjectId}/legal-hold',
  handler: 'set-legal-hold',
  summary:
    'Place a legal hold on an account, with a reason: the retention job neither notifies nor erases it, and a retention ' +
    'erasure filed but not yet started is rejected. Audited.',
  description: 
    'Exception to storage limitation for legal claims (Art. 17(3)(e)): while the hold stands the ' +
    'retention job neither notifies nor erases the account. The reason is stored on the account only, ' +
    'never logged or audited, and is deleted with it.',
  tags: ['retention', 'admin'],
  feature: 'rights',
  auth: 'admin',
  request: { params: subjectIdParams, body: legalHoldBody },
  responses: {
    200: { description: 'The hold, and what became of a pending retention erasure.', schema: legalHoldState },
    404: problem('No account with this subject id.'),
    ...authProblems,
    ...commonProblems,
  },
  personalData: RETENTION_STOP_DATA,
  purpose: 'accountability',
});

export const liftLegalHoldRoute = defineRoute({
  id: 'liftLegalHold',
  method: 'DELETE',
  path: '/v1/admin/subjects/{subjectId}/legal-hold',
  handler: 'lift-legal-hold',
  summary: 'Lift a legal hold: retention applies again (a fresh notice comes first if the account is inactive). Audited.',
  description: 
    'Ends the hold: inactivity counts as before, and an inactive account is notified again before any ' +
    'retention erasure.',
  tags: ['retention', 'admin'],
  feature: 'rights',
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

/** `Access-Control-Allow-Headers`: the protocol headers and every header a route of `table` declares. */
export function corsAllowHeaders(table: readonly RouteDefinition[] = routes): string[] {
  return [...new Set([...PROTOCOL_HEADERS, ...table.flatMap((r) => (r.headers ?? []).map((h) => h.name))])];
}

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
  description: 
    'Every path and method the table does not declare: a problem document, 404 for an unknown path, 405 ' +
    'with `Allow` for a known path.',
  tags: [],
  feature: 'operations',
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
