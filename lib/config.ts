/**
 * Per-stage settings. The stage comes from context (`-c stage=prod`, default `dev` in cdk.json); a few settings can be
 * overridden from context too (`-c corsOrigins=https://app.example.com,https://admin.example.com`,
 * `-c auditRetentionDays=400`, `-c clientIds=web,ios,android`, and the deploy switches `-c apiGatewayAccountRole=false`,
 * `-c terminationProtection=true`, `-c trailManagementEvents=false`, `-c trailMultiRegion=false`). Everything else is decided here, in one table, so a reviewer can see what differs between
 * stages without reading the stacks.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import * as z from 'zod';
import { DEFAULT_CLIENT_IDS, parseClientIds } from '../lambdas/client-ids';
import { RECIPIENT_IDS, type RecipientId } from '../lambdas/recipients';
import { DEFAULT_AUDIT_RETENTION_DAYS, LOG_RETENTION_DAYS, STAGES, TRAIL_TO_CLOUDWATCH_LOGS, type Stage } from '../lambdas/retention-periods';

// The retention numbers live in lambdas/retention-periods.ts, which the inventory (and so the data map and RoPA) reads too.
export { DEFAULT_AUDIT_RETENTION_DAYS, STAGES, type Stage };

/** The stage's log retention as the CloudWatch Logs enum; fails on a number CloudWatch Logs does not accept. */
function logRetentionOf(stage: Stage): RetentionDays {
  const days = LOG_RETENTION_DAYS[stage];
  if (!(Object.values(RetentionDays) as unknown[]).includes(days)) throw new Error(`LOG_RETENTION_DAYS.${stage} = ${days} is not a CloudWatch Logs retention`);
  return days as RetentionDays;
}

/** Account retention (`lambdas/domain/retention.ts`): months without a login before the notice, then days before erasure. */
export interface AccountRetentionConfig {
  readonly inactiveMonths: number;
  readonly graceDays: number;
}
export const DEFAULT_ACCOUNT_RETENTION: AccountRetentionConfig = { inactiveMonths: 24, graceDays: 30 };

export interface ApiThrottling {
  /** Steady-state requests per second for the whole stage. */
  readonly rateLimit: number;
  /** Token-bucket burst for the whole stage. */
  readonly burstLimit: number;
}

/** An OpenID Connect provider whose ID tokens `POST /v1/sessions/oidc` accepts. */
export interface OidcProviderConfig {
  /** Short name recorded as the source of provider-supplied fields (`provider:<name>`). */
  readonly name: string;
  readonly issuer: string;
  /** The client id(s) this app is registered with at the provider; tokens for other clients are refused. */
  readonly audience: string | readonly string[];
  readonly jwksUri: string;
}

export interface StageConfig {
  readonly stage: Stage;
  /** Issuer allow-list for OIDC login. Empty: every ID token is refused. */
  readonly oidcProviders: readonly OidcProviderConfig[];
  /** Rights-request handling per type; rectification is always manual. Default: access, export, erasure automatic. */
  readonly rightsModes: Readonly<Record<string, 'automatic' | 'manual'>>;
  /**
   * The apps allowed to name themselves in `X-Client-Id` (recorded with consent decisions, kept after erasure); any other
   * value is refused with 400. Default: `DEFAULT_CLIENT_IDS` (web, ios, android).
   */
  readonly clientIds: readonly string[];
  /**
   * The recipients an erasure or export waits for (their acks) before it completes; undefined: every recipient it tells.
   * Narrow it only while a recipient cannot acknowledge yet (it is still told).
   */
  readonly awaitRecipients?: readonly RecipientId[];
  /** Browser origins allowed by CORS. Empty: no CORS preflight and no CORS headers. */
  readonly corsOrigins: readonly string[];
  /** Retention of every CloudWatch log group (functions, API access logs, trail). Short on purpose: logs are personal-data adjacent. */
  readonly logRetention: RetentionDays;
  /** Retention of audit records (audit table TTL written by the app, CloudTrail log files in S3). */
  readonly auditRetentionDays: number;
  /** Inactive accounts: notice after `inactiveMonths` without a login, erasure filed `graceDays` later. */
  readonly accountRetention: AccountRetentionConfig;
  /** Removal policy of every stateful resource (tables, buckets, queues, keys). */
  readonly removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection on every table. */
  readonly deletionProtection: boolean;
  /** KMS keys wait this long before deletion when their stack is destroyed (7 to 30 days). */
  readonly keyDeletionWindow: Duration;
  readonly throttling: ApiThrottling;
  /** WAF rate-based rule: requests per client IP in any 5-minute window before the IP is blocked. */
  readonly wafRateLimit: number;
  /** X-Ray active tracing on functions and the API stage. */
  readonly tracing: boolean;
  /** Also deliver CloudTrail events to a CloudWatch Logs group (S3 delivery is always on). */
  readonly trailToCloudWatchLogs: boolean;
  /** Addresses subscribed to the alarm topic by email (each confirms once). Empty: subscribe by hand or another way. */
  readonly alarmEmails: readonly string[];
  readonly concurrency: ConcurrencyConfig;
  /**
   * Create the region's API Gateway CloudWatch role (`AWS::ApiGateway::Account`, retained) that stage access logging needs.
   * Off only where the account already has one in this region (another stage or app set it): there is one per account
   * and region, and the last stack to set it wins. Default: true.
   */
  readonly apiGatewayAccountRole: boolean;
  /**
   * CloudFormation termination protection on both stacks. Default false on every stage, prod included: a failed first
   * deploy leaves a stack in ROLLBACK_COMPLETE that can only be deleted, and protection would block that. Turn it on
   * after the first successful deploy.
   */
  readonly terminationProtection: boolean;
  /**
   * The trail also records management events (control-plane calls: key policy changes, table deletion, IAM). The first copy
   * of management events in an account is free; every further trail recording them pays $2.00 per 100,000 events. Off
   * where an organization trail or another account trail already records them. Default: true.
   */
  readonly trailManagementEvents: boolean;
  /**
   * The trail records management events in every region and global service events (IAM, STS, CloudFront, logged in
   * us-east-1). A multi-region trail takes one of the 5 trail slots in every region. Default: true in prod (when
   * management events are on), false in dev and staging, whose trails exist for their own tables' data events.
   */
  readonly trailMultiRegion: boolean;
}

/**
 * Concurrency caps, only where a runaway would cost money or overwhelm a downstream. Reserved concurrency is both a cap
 * and a reservation carved out of the account's pool, and AWS refuses any reservation that leaves fewer than 100
 * unreserved executions: new accounts (limit 10, sometimes 50) cannot reserve anything. So dev reserves nothing and relies
 * on the event source cap; staging and prod reserve small amounts. Functions behind the REST API are bounded by stage
 * throttling and the WAF per-IP rate rule instead (see `BackendFunction`'s `concurrency`).
 */
export interface ConcurrencyConfig {
  /** `maxConcurrency` of the rights worker's SQS event source (2-1000): one erasure touches every table and KMS. */
  readonly rightsWorkerMax: number;
  /** Reserved concurrency per function. @default - none (dev) */
  readonly reserved?: {
    /** The rights worker; at least `rightsWorkerMax`, or throttled batches would count as failed receives. */
    readonly rightsWorker: number;
    /** Each function that hashes passwords (scrypt, 128 MiB and a full vCPU per call): caps the cost of a login flood. */
    readonly passwordHashing: number;
    /** Each scheduled job: 1 keeps a retried run from overlapping the next one. */
    readonly scheduledJob: number;
  };
}

type StageDefaults = Omit<
  StageConfig,
  | 'stage'
  | 'corsOrigins'
  | 'auditRetentionDays'
  | 'oidcProviders'
  | 'rightsModes'
  | 'accountRetention'
  | 'alarmEmails'
  | 'clientIds'
  | 'awaitRecipients'
  | keyof DeploySwitches
>;

/** The on/off deploy settings, each a `-c name=true|false`; `trailMultiRegion` defaults per stage. */
export type DeploySwitches = Pick<StageConfig, 'apiGatewayAccountRole' | 'terminationProtection' | 'trailManagementEvents' | 'trailMultiRegion'>;

const DEFAULTS: Record<Stage, StageDefaults> = {
  dev: {
    logRetention: logRetentionOf('dev'),
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    keyDeletionWindow: Duration.days(7),
    throttling: { rateLimit: 20, burstLimit: 40 },
    wafRateLimit: 500,
    tracing: false,
    trailToCloudWatchLogs: TRAIL_TO_CLOUDWATCH_LOGS.dev,
    concurrency: { rightsWorkerMax: 2 },
  },
  staging: {
    logRetention: logRetentionOf('staging'),
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: false,
    keyDeletionWindow: Duration.days(30),
    throttling: { rateLimit: 50, burstLimit: 100 },
    wafRateLimit: 1000,
    tracing: true,
    trailToCloudWatchLogs: TRAIL_TO_CLOUDWATCH_LOGS.staging,
    concurrency: { rightsWorkerMax: 2, reserved: { rightsWorker: 2, passwordHashing: 5, scheduledJob: 1 } },
  },
  prod: {
    logRetention: logRetentionOf('prod'),
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    keyDeletionWindow: Duration.days(30),
    throttling: { rateLimit: 200, burstLimit: 400 },
    wafRateLimit: 2000,
    tracing: true,
    trailToCloudWatchLogs: TRAIL_TO_CLOUDWATCH_LOGS.prod,
    concurrency: { rightsWorkerMax: 5, reserved: { rightsWorker: 5, passwordHashing: 20, scheduledJob: 1 } },
  },
};

/** Context keys this app reads. */
export const CONTEXT = {
  stage: 'stage',
  corsOrigins: 'corsOrigins',
  auditRetentionDays: 'auditRetentionDays',
  oidcProviders: 'oidcProviders',
  rightsModes: 'rightsModes',
  retentionInactiveMonths: 'retentionInactiveMonths',
  retentionGraceDays: 'retentionGraceDays',
  alarmEmail: 'alarmEmail',
  clientIds: 'clientIds',
  awaitRecipients: 'awaitRecipients',
  apiGatewayAccountRole: 'apiGatewayAccountRole',
  terminationProtection: 'terminationProtection',
  trailManagementEvents: 'trailManagementEvents',
  trailMultiRegion: 'trailMultiRegion',
  account: 'account',
  region: 'region',
} as const;

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** Settings for one stage, with optional overrides (tests use these; the app reads them from context). */
export function stageConfig(
  stage: Stage,
  overrides: {
    corsOrigins?: readonly string[];
    auditRetentionDays?: number;
    oidcProviders?: readonly OidcProviderConfig[];
    rightsModes?: Readonly<Record<string, string>>;
    accountRetention?: Partial<AccountRetentionConfig>;
    alarmEmails?: readonly string[];
    clientIds?: readonly string[];
    awaitRecipients?: readonly string[];
  } & Partial<DeploySwitches> = {},
): StageConfig {
  const auditRetentionDays = overrides.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
  if (!Number.isInteger(auditRetentionDays) || auditRetentionDays < 1) {
    throw new Error(`auditRetentionDays must be a positive integer, got ${auditRetentionDays}`);
  }
  const oidcProviders = overrides.oidcProviders ?? [];
  for (const provider of oidcProviders) checkOidcProvider(provider);
  const rightsModes = checkRightsModes(overrides.rightsModes ?? {});
  const accountRetention = { ...DEFAULT_ACCOUNT_RETENTION, ...overrides.accountRetention };
  // Same bounds as the function checks at cold start: a typo must fail the deploy, not erase accounts after a week.
  if (!Number.isInteger(accountRetention.inactiveMonths) || accountRetention.inactiveMonths < 1 || accountRetention.inactiveMonths > 240) {
    throw new Error(`retentionInactiveMonths must be an integer from 1 to 240, got ${accountRetention.inactiveMonths}`);
  }
  if (!Number.isInteger(accountRetention.graceDays) || accountRetention.graceDays < 1 || accountRetention.graceDays > 365) {
    throw new Error(`retentionGraceDays must be an integer from 1 to 365, got ${accountRetention.graceDays}`);
  }
  const alarmEmails = checkAlarmEmails(overrides.alarmEmails ?? []);
  // Same check as the functions make at cold start (CLIENT_IDS): a malformed id fails the synth.
  const clientIds = parseClientIds(overrides.clientIds ?? DEFAULT_CLIENT_IDS, 'clientIds');
  const trailManagementEvents = overrides.trailManagementEvents ?? true;
  const trailMultiRegion = overrides.trailMultiRegion ?? (stage === 'prod' && trailManagementEvents);
  // The data events are on this region's tables: without management events a multi-region trail records nothing more,
  // yet takes a trail slot in every region.
  if (trailMultiRegion && !trailManagementEvents) {
    throw new Error('trailMultiRegion=true needs trailManagementEvents=true (a multi-region trail would record nothing more); use -c trailMultiRegion=false');
  }
  return {
    stage,
    corsOrigins: overrides.corsOrigins ?? [],
    auditRetentionDays,
    oidcProviders,
    rightsModes,
    accountRetention,
    alarmEmails,
    clientIds,
    ...(overrides.awaitRecipients !== undefined ? { awaitRecipients: checkAwaitRecipients(overrides.awaitRecipients) } : {}),
    apiGatewayAccountRole: overrides.apiGatewayAccountRole ?? true,
    terminationProtection: overrides.terminationProtection ?? false,
    trailManagementEvents,
    trailMultiRegion,
    ...DEFAULTS[stage],
  };
}

/** Reads the stage and overrides from a construct's context; fails on an unknown stage instead of guessing. */
export function configFromContext(node: Node): StageConfig {
  const stage = node.tryGetContext(CONTEXT.stage) ?? 'dev';
  if (!isStage(stage)) throw new Error(`Unknown stage "${String(stage)}"; use one of ${STAGES.join(', ')}`);
  const rawDays = node.tryGetContext(CONTEXT.auditRetentionDays);
  const rawMonths = node.tryGetContext(CONTEXT.retentionInactiveMonths);
  const rawGrace = node.tryGetContext(CONTEXT.retentionGraceDays);
  const rawClientIds: unknown = node.tryGetContext(CONTEXT.clientIds);
  const rawAwait: unknown = node.tryGetContext(CONTEXT.awaitRecipients);
  return stageConfig(stage, {
    // `-c awaitRecipients=app-service` (comma list; empty: none) arrives as a string; cdk.json may hold an array.
    awaitRecipients:
      rawAwait === undefined ? undefined : Array.isArray(rawAwait) ? rawAwait.map(String) : String(rawAwait).split(',').map((r) => r.trim()).filter(Boolean),
    // `-c clientIds=web,ios` arrives as a string; cdk.json may hold an array.
    clientIds: rawClientIds === undefined ? undefined : Array.isArray(rawClientIds) ? rawClientIds.map(String) : String(rawClientIds).split(','),
    corsOrigins: parseList(node.tryGetContext(CONTEXT.corsOrigins)),
    auditRetentionDays: rawDays === undefined ? undefined : Number(rawDays),
    oidcProviders: parseProviders(node.tryGetContext(CONTEXT.oidcProviders)),
    rightsModes: parseJsonObject(node.tryGetContext(CONTEXT.rightsModes), 'rightsModes'),
    accountRetention: {
      ...(rawMonths === undefined ? {} : { inactiveMonths: Number(rawMonths) }),
      ...(rawGrace === undefined ? {} : { graceDays: Number(rawGrace) }),
    },
    alarmEmails: splitList(node.tryGetContext(CONTEXT.alarmEmail)),
    apiGatewayAccountRole: parseSwitch(node, CONTEXT.apiGatewayAccountRole),
    terminationProtection: parseSwitch(node, CONTEXT.terminationProtection),
    trailManagementEvents: parseSwitch(node, CONTEXT.trailManagementEvents),
    trailMultiRegion: parseSwitch(node, CONTEXT.trailMultiRegion),
  });
}

/** A recipient id that is not declared would be waited for by nobody's ack; fail the synth, naming it. */
function checkAwaitRecipients(ids: readonly string[]): RecipientId[] {
  for (const id of ids) {
    if (!(RECIPIENT_IDS as readonly string[]).includes(id)) throw new Error(`awaitRecipients: "${id}" is not a declared recipient (${RECIPIENT_IDS.join(', ')})`);
  }
  return [...new Set(ids)] as RecipientId[];
}

/** `-c name=true` arrives as a string, cdk.json may hold a boolean; anything else (`yes`, `1`, a typo) fails the synth. */
function parseSwitch(node: Node, name: keyof DeploySwitches): boolean | undefined {
  const value: unknown = node.tryGetContext(name);
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`${name} must be true or false, got "${String(value)}"; use -c ${name}=true or -c ${name}=false`);
}

const emailAddress = z.email();

/** A typo here would deploy a topic that tells nobody; fail the synth instead, naming the bad entry. */
function checkAlarmEmails(emails: readonly string[]): string[] {
  for (const email of emails) {
    if (!emailAddress.safeParse(email).success) {
      throw new Error(`alarmEmail "${email}" is not an email address; use -c alarmEmail=ops@example.com[,oncall@example.com]`);
    }
  }
  if (new Set(emails.map((e) => e.toLowerCase())).size !== emails.length) throw new Error('alarmEmail lists an address twice');
  return [...emails];
}

function parseJsonObject(value: unknown, name: string): Record<string, string> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${name} must be a JSON object`);
  return parsed as Record<string, string>;
}

/** `{"erasure":"manual"}`: known types only, automatic or manual; rectification cannot be automatic (a person judges it). */
function checkRightsModes(modes: Readonly<Record<string, string>>): Record<string, 'automatic' | 'manual'> {
  const types = ['access', 'export', 'rectification', 'erasure'];
  for (const [type, mode] of Object.entries(modes)) {
    if (!types.includes(type)) throw new Error(`rightsModes: unknown request type "${type}"`);
    if (mode !== 'automatic' && mode !== 'manual') throw new Error(`rightsModes.${type} must be "automatic" or "manual"`);
    if (type === 'rectification' && mode === 'automatic') throw new Error('rightsModes.rectification is always manual');
  }
  return modes as Record<string, 'automatic' | 'manual'>;
}

/** cdk.json may hold the array; `-c oidcProviders='[...]'` arrives as a JSON string. */
function parseProviders(value: unknown): OidcProviderConfig[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed)) throw new Error('oidcProviders must be a JSON array of { name, issuer, audience, jwksUri }');
  return parsed as OidcProviderConfig[];
}

function checkOidcProvider(p: OidcProviderConfig): void {
  const where = `oidcProviders entry "${String(p?.name)}"`;
  if (typeof p?.name !== 'string' || !/^[a-z0-9-]{1,32}$/.test(p.name)) throw new Error(`${where}: name must be 1-32 of a-z, 0-9, -`);
  // A deployed API fetches signing keys over TLS only (local development configures OIDC_PROVIDERS directly).
  for (const url of [p.issuer, p.jwksUri]) {
    if (typeof url !== 'string' || !/^https:\/\/[^\s]+$/.test(url)) throw new Error(`${where}: issuer and jwksUri must be https URLs`);
  }
  const audiences = typeof p.audience === 'string' ? [p.audience] : p.audience;
  if (!Array.isArray(audiences) || audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a === '')) {
    throw new Error(`${where}: audience must be a client id or a list of them`);
  }
}

/** `-c name=a,b` arrives as a string; cdk.json may hold an array. */
function splitList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map((s) => s.trim()).filter(Boolean);
}

/** CORS origins: scheme and host only. */
function parseList(value: unknown): string[] {
  const origins = splitList(value);
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(`CORS origin "${origin}" must be a scheme and host (https://app.example.com), without a path`);
    }
  }
  return origins;
}
