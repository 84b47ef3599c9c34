/**
 * How a route, a worker or a scheduled job is declared: the types, `defineRoute` and `touches`, the request headers routes may
 * declare, CORS, the OpenAPI tags and the deployment features, and the field lists several declarations share. No route is
 * declared here: each route's declaration lives beside its handler (`lambdas/handlers/<handler>.route.ts`), and
 * `lambdas/routes.ts` is the index of them all.
 *
 * This module must stay light (zod/mini and plain data): every function bundles it.
 */
import * as z from 'zod/mini';
import './zod-messages';
import type { AppStoreId, FieldOf } from '../inventory';
import type { RecipientQueueId } from '../runtime/resources';
import { isGated, type PurposeId } from '../purposes';
import { problemDocument } from './problem.schema';
import { clientIdHeader } from '../client-ids';
import { REAUTHENTICATION_WINDOW_SECONDS } from '../domain/sessions';

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

/**
 * A schema built the first time something asks for it, then kept (a schema registered with an id may be built only once).
 * zod builds each schema eagerly, so what a module declares, every function that imports it builds at cold start:
 * - every response body's schema is one (`ResponseDeclaration.schema`): handlers never parse their own answers, only the
 *   OpenAPI generator and the contract tests ask, so no function builds them;
 * - so is a building block several routes share (`accounts.schema.ts`): a route whose request uses it builds it when its
 *   module loads (`email()`), and a route that only answers with it does not.
 */
export type LazySchema<T extends z.ZodMiniType = z.ZodMiniType> = () => T;

export function lazySchema<T extends z.ZodMiniType>(build: () => T): LazySchema<T> {
  let built: T | undefined;
  return () => (built ??= build());
}

export interface ResponseDeclaration {
  readonly description: string;
  readonly schema?: LazySchema;
  /** Set for non-JSON answers such as problem documents. */
  readonly contentType?: string;
  /**
   * The same answer in a second media type, chosen by the request (a CSV of what the JSON holds). The handler sends it as
   * `text` with its content type; the OpenAPI document lists both.
   */
  readonly alternative?: { readonly contentType: string; readonly schema: LazySchema };
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
  readonly schema: z.ZodMiniType<string>;
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
  schema: z.string().check(z.minLength(1), z.maxLength(128)),
  description: 'The receipt token shown once when the erasure was requested.',
} as const satisfies HeaderDeclaration;

/**
 * The Standard Webhooks headers of a recipient's ack (`POST /v1/recipients/{recipientId}/acks`). Not required here: a
 * missing one is a 401 from the handler (audited as a refused ack), not a 400.
 */
export const WEBHOOK_ID_HEADER = {
  name: 'webhook-id',
  required: false,
  schema: z.string().check(z.maxLength(64)),
  description: 'Standard Webhooks: a fresh id per ack ([A-Za-z0-9_-], at most 64); the same id twice within 10 minutes is a replay (401).',
} as const satisfies HeaderDeclaration;
export const WEBHOOK_TIMESTAMP_HEADER = {
  name: 'webhook-timestamp',
  required: false,
  schema: z.string().check(z.maxLength(16)),
  description: 'Standard Webhooks: seconds since the epoch; more than 5 minutes from now either way is refused (401).',
} as const satisfies HeaderDeclaration;
export const WEBHOOK_SIGNATURE_HEADER = {
  name: 'webhook-signature',
  required: false,
  schema: z.string().check(z.maxLength(1024)),
  description:
    "Standard Webhooks: `v1,<base64 HMAC-SHA256 of \"<webhook-id>.<webhook-timestamp>.<raw body>\">` under the recipient's " +
    'secret (`fmn recipients secret <id>`); several, space-separated, during a rotation.',
} as const satisfies HeaderDeclaration;

/** Read once at login to derive a coarse device label ("Firefox on Linux"); the user agent itself is never stored. */
export const USER_AGENT_HEADER = {
  name: 'User-Agent',
  required: false,
  schema: z.string().check(z.maxLength(1024)),
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
    readonly body?: z.ZodMiniType;
    readonly params?: z.ZodMiniObject;
    readonly query?: z.ZodMiniObject;
  };
  /** Request headers the handler reads; `request.headers` offers only these. */
  readonly headers?: readonly HeaderDeclaration[];
  readonly responses: Readonly<Record<number, ResponseDeclaration>>;
  /**
   * Paginated routes: the schema of the storage position their cursors carry. The route's query then has a `cursor`
   * parameter (`cursorParam`), which `httpRoute` opens and checks (`http/cursor.ts`) before the handler runs; the handler
   * gets the position as `page.position` and seals the next one with `page.next(position)`.
   */
  readonly paging?: { readonly position: z.ZodMiniType };
  /** Personal data this route reads or writes; also what its function is granted and what the audit trail records. */
  readonly personalData: readonly DataTouch[];
  /**
   * Repository files the handler reads at run time (`readBundledFile`), copied into its function's asset at the same path
   * instead of being bundled: large data (the OpenAPI document) would otherwise be code every cold start parses.
   */
  readonly bundledFiles?: readonly string[];
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
  /**
   * Destructive admin routes: the caller's session must have given password and second factor (login or
   * `POST /v1/sessions/current/reauthentication`) within `REAUTHENTICATION_WINDOW_SECONDS`, else 403
   * reauthentication-required before the handler runs. `defineRoute` adds the session read this check makes.
   */
  readonly reauthentication?: true;
  /**
   * Who the audit trail names as acting on a public route: by default the person on it (registering, logging in acts on
   * oneself); `recipient` for a route a recipient calls, authenticated by its signature in the handler (acks).
   */
  readonly auditActor?: 'recipient';
  /**
   * Operations access that is no personal data (the admins' operations view, `domain/operations.ts`), bound by
   * `bindOperations` (lib/constructs/bindings.ts): `queueCounters`, every queue's and DLQ's counters
   * (sqs:GetQueueAttributes, never a message); `redrive`, moving messages from the DLQs back to their queues (the messages
   * themselves are declared in `personalData`); `alarms`, the stage's alarm states (cloudwatch:DescribeAlarms).
   */
  readonly operations?: readonly OperationsAccess[];
}

export type OperationsAccess = 'queueCounters' | 'redrive' | 'alarms';

export type CryptoUse = 'subjectKeys' | 'pseudonyms';

/** The groups of the OpenAPI document, with what each holds. */
export const API_TAGS = {
  operations: "Liveness and this API description; no personal data. The admins' operations health: queues, jobs, alarms, DLQ redrive.",
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
  operations:
    "Liveness, this API description, the problem answers for unknown paths and wrong methods, and the admins' operations " +
    'view (queues, jobs, alarms) with its DLQ redrive.',
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
  /** The queue it consumes (the rights requests', or a webhook recipient's); the local cloud and the CDK event source both use it. */
  readonly queue: 'rightsRequestQueue' | RecipientQueueId;
  readonly batchSize: number;
  /** Seconds; the queue's visibility timeout is derived as six times this. */
  readonly timeoutSeconds: number;
  readonly personalData: readonly DataTouch[];
  readonly crypto?: readonly CryptoUse[];
  readonly purpose?: PurposeId;
  /** Repository files the worker reads at run time, copied into its asset (as a route's `bundledFiles`). */
  readonly bundledFiles?: readonly string[];
}

/** The audit trail's own touch: every entry names pseudonyms, actions and field names (see `domain/audit.ts`). */
export const AUDIT_WRITE = touches('audit', ['read', 'write'], [
  'chainId', 'seq', 'entryId', 'at', 'day', 'dayShard', 'subjectPseudonym', 'actorId', 'actorRole', 'action', 'purpose', 'categories',
  'fields', 'outcome', 'correlationId', 'origin', 'prevHash', 'hash', 'expiresAt', 'headSeq', 'headHash',
]);
/** A new subject's audit chain starts without reading a head (there is none yet): its first append writes, never reads. */
export const NEW_CHAIN_AUDIT_WRITE: DataTouch = { ...AUDIT_WRITE, access: ['write'] };

/** Every attribute of a session item: sessions are read whole (GetItem, Query), so a read touches them all. */
export const SESSION_FIELDS = [
  'tokenHash', 'subjectId', 'roles', 'deviceLabel', 'createdAt', 'lastUsedAt', 'idleExpiresAt', 'expiresAt', 'reauthenticatedAt',
] as const;

/** A rights-request job on the queue: ids and the request type only (`wiring/rights.ts` jobSender). */
export const QUEUE_JOB_FIELDS = ['requestId', 'kind'] as const;

/** Retention (`domain/retention.ts`): a login restarts the inactivity clock, and withdraws a notice given. */
export const ACTIVITY_FIELDS = ['lastActiveAt', 'activityMonth'] as const;
export const NOTICE_FIELDS = ['inactivityNoticeAt', 'inactivityErasureAt'] as const;
/** What the retention job and the legal-hold routes keep on the account besides activity and notice. */
export const RETENTION_FIELDS = ['retentionErasureRequestId', 'legalHold'] as const;

/** Every attribute a rights request may carry: requests are read whole (GetItem, Query), so a read touches them all. */
export const REQUEST_FIELDS = [
  'requestId', 'subjectId', 'type', 'status', 'mode', 'receivedAt', 'dueAt', 'originalDueAt', 'extension', 'history', 'fields',
  'exportKeys', 'erasureSteps', 'receipt', 'receiptTokenHash', 'updatedAt', 'origin', 'expiresAt', 'createdAt', 'recipients',
] as const;

/** The subject's events (a rights request's changes) in the same outbox: one item per write of a request. */
export const SUBJECT_OUTBOX_FIELDS = ['subjectId', 'sk', 'outbox', 'at', 'subjectEvents'] as const;
/**
 * What every write of a rights request touches: the request, and the outbox item telling the subject of the change
 * (`adapters/dynamo-rights.ts`, `requestWrite`). Declared together so that no writer of requests can leave the second out.
 */
export const REQUEST_WRITE = [
  touches('rightsRequests', ['read', 'write'], [...REQUEST_FIELDS]),
  touches('consent', ['write'], [...SUBJECT_OUTBOX_FIELDS]),
];

/**
 * What stopping retention for an account touches (a legal hold placed or lifted, a restriction of processing): the
 * account's retention state (read with a projection that includes lastActiveAt, adapters/dynamo-retention.ts), and the
 * retention erasure it cancels if one was filed and has not started.
 */
export const RETENTION_STOP_DATA = [
  touches('users', ['read', 'write'], ['subjectId', 'lastActiveAt', ...NOTICE_FIELDS, ...RETENTION_FIELDS]),
  ...REQUEST_WRITE,
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
  // The re-authentication guard reads the caller's session (its login and last re-authentication times).
  const guarded: R = declared.reauthentication ? withReauthentication(audited) : audited;
  // The allow-list of client ids is a deployment setting: a route that reads the header is given it, and cannot forget it.
  const route: R = guarded.headers?.some((h) => h.name === CLIENT_ID_HEADER.name) && !audited.settings?.includes('clientIds')
    ? { ...guarded, settings: [...(guarded.settings ?? []), 'clientIds'] }
    : guarded;
  if (route.purpose && isGated(route.purpose)) {
    // The gate needs a subject to ask about: a gated purpose cannot be processed for an anonymous caller.
    if (route.auth === 'public') throw new Error(`${route.id}: purpose ${route.purpose} is gated by consent, so the route cannot be public`);
    return withAudit({ ...route, personalData: [...route.personalData, CONSENT_GATE_READ] });
  }
  return withAudit(route);
}

function withReauthentication<const R extends RouteDefinition>(route: R): R {
  if (route.auth !== 'admin') throw new Error(`${route.id}: only admin routes ask for re-authentication (admins have a second factor)`);
  return {
    ...route,
    responses: {
      ...route.responses,
      403: problem(`Not an admin (\`forbidden\`), or no password and second factor given within the last ${REAUTHENTICATION_WINDOW_SECONDS / 60} minutes (\`reauthentication-required\`).`),
    },
    personalData: [...route.personalData, touches('sessions', ['read'], [...SESSION_FIELDS])],
  };
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
export const commonProblems: Record<number, ResponseDeclaration> = {
  400: { description: 'Malformed or invalid request (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  413: { description: 'Request body too large (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  415: { description: 'Request body is not JSON (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  429: { description: 'Too many requests (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
  500: { description: 'Internal error; the body says nothing internal (problem+json).', schema: problemDocument, contentType: 'application/problem+json' },
};

export const problem = (description: string): ResponseDeclaration => ({
  description,
  schema: problemDocument,
  contentType: 'application/problem+json',
});
export const authProblems: Record<number, ResponseDeclaration> = {
  401: problem('No valid session (problem+json).'),
  403: problem('Not allowed (problem+json).'),
};

export const AUDIT_READ_FIELDS = [
  'chainId', 'seq', 'entryId', 'at', 'subjectPseudonym', 'actorId', 'actorRole', 'action', 'purpose', 'categories', 'fields',
  'outcome', 'correlationId', 'origin', 'prevHash', 'hash', 'expiresAt',
] as const;


export const CONSENT_FIELDS = ['subjectId', 'sk', 'topic', 'action', 'lastAction', 'seq', 'eventId', 'policyVersion', 'policyHash', 'method', 'at', 'clientId', 'validUntil'] as const;
/** The per-purpose projection items (state#<topic>): what the overview and the consent gate read. */
export const CONSENT_STATE_FIELDS = ['subjectId', 'sk', 'topic', 'lastAction', 'seq', 'policyVersion', 'method', 'at', 'validUntil'] as const;
/** The ledger's event items (event#…): everything but the projection's lastAction. */
export const CONSENT_EVENT_FIELDS = CONSENT_FIELDS.filter((f) => f !== 'lastAction');
/** A restriction is no decision on a policy text, so its events and projection carry no policy hash. */
export const RESTRICTION_FIELDS = CONSENT_FIELDS.filter((f) => f !== 'policyHash');
/**
 * The consent figures' counters (`stats#NN` partitions of the consent table, domain/consent-stats.ts): every writer of a
 * consent decision or a projection's erasure moves them in its own transaction, and declares so.
 */
export const CONSENT_STATS_FIELDS = ['subjectId', 'sk', 'count'] as const;
export const CONSENT_STATS_WRITE = touches('consent', ['write'], [...CONSENT_STATS_FIELDS]);
/** A recipients' outbox item (`outbox#…` in the consent table): what a change that recipients must hear of writes beside it. */
export const OUTBOX_FIELDS = ['subjectId', 'sk', 'outbox', 'at', 'recipientEvent'] as const;
/** The write a route declares when its change is reported to recipients (Art. 19) through the outbox. */
export const OUTBOX_WRITE = touches('consent', ['write'], [...OUTBOX_FIELDS]);

/** `Access-Control-Allow-Headers`: the protocol headers and every header a route of `table` declares. */
export function corsAllowHeaders(table: readonly Pick<RouteDefinition, 'headers'>[]): string[] {
  return [...new Set([...PROTOCOL_HEADERS, ...table.flatMap((r) => (r.headers ?? []).map((h) => h.name))])];
}

/** Finds the route of `table` for a method and a concrete path (`/v1/me/consents/analytics`), with its path parameters. */
export function matchRoute<R extends Pick<RouteDefinition, 'method' | 'path'>>(
  method: string,
  path: string,
  table: readonly R[],
): { route: R; params: Record<string, string> } | { allowed: HttpMethod[] } | undefined {
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

/**
 * The environment variable that hands the fallback function the table's method and path pairs, so that it can answer 405
 * with `Allow` without bundling the route table (`lambdas/routes.ts`). The API stack sets it from the routes it deploys,
 * the local cloud from the routes it serves. About 30 bytes a route, well inside Lambda's 4 KB of environment.
 */
export const ROUTE_METHODS_ENV = 'ROUTE_METHODS';

/** `GET /v1/health;DELETE /v1/sessions;…`: the value of `ROUTE_METHODS_ENV` for a table. */
export function routeMethodsEnvironment(table: readonly Pick<RouteDefinition, 'method' | 'path'>[]): string {
  return table.map((r) => `${r.method} ${r.path}`).join(';');
}

/** Reads `routeMethodsEnvironment`'s value back; a malformed pair is a deployment error, so it throws. */
export function parseRouteMethods(value: string): Pick<RouteDefinition, 'method' | 'path'>[] {
  return value.split(';').map((pair) => {
    const [method, path, ...rest] = pair.split(' ');
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method) || !path?.startsWith('/') || rest.length > 0) {
      throw new Error(`${ROUTE_METHODS_ENV} holds a malformed method and path pair`);
    }
    return { method: method as HttpMethod, path };
  });
}
