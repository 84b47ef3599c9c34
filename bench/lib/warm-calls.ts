/**
 * SDK calls per warm request: each benchmarked route invoked twice in this process (the first call warms the container's
 * caches: clients, unwrapped subject keys, pseudonyms), the second recorded by the probe on the shared clients. Next to
 * each, the fewest calls the route needs to do its job, and why; the difference is what the route could still avoid.
 * Counting calls is behaviour, not timing, so `test/integration/warm-calls.test.ts` asserts on it.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { App, Caller } from './app';
import { countCalls } from './sdk-probe';

export type WarmRouteId = 'register' | 'login' | 'getMe' | 'putConsent' | 'myConsents' | 'createExportRequest';

export interface WarmCallsRow {
  readonly id: WarmRouteId;
  readonly route: string;
  /** What the warm repeat sent, by `service.Command`. */
  readonly calls: Record<string, number>;
  readonly total: number;
  readonly kms: number;
  /** The fewest calls the route needs, by `service.Command`, and why. */
  readonly minimum: Record<string, number>;
  readonly minimumTotal: number;
  readonly why: string;
}

/** Every audited request appends to the subject's audit chain: read the chain head, then one transaction. */
const AUDIT_APPEND = { 'dynamodb.GetItem': 1, 'dynamodb.TransactWriteItems': 1 };

/**
 * The fewest SDK calls per warm request, route by route. A pseudonym or key the container has seen costs no KMS call;
 * a new email, subject or data key does. GetItems on different tables are counted apart: DynamoDB has no consistent
 * multi-table read in one call short of a read transaction, which costs twice the capacity.
 */
export const WARM_MINIMUMS: Record<WarmRouteId, { route: string; calls: Record<string, number>; why: string }> = {
  register: {
    route: 'POST /v1/accounts',
    calls: { 'kms.GenerateMac': 2, 'kms.GenerateDataKey': 1, 'dynamodb.TransactWriteItems': 1 },
    why: "a new email (its blind index) and a new subject (its audit pseudonym, its data key) are new to KMS; account, claim, key, session and the first entry of the subject's new audit chain in one transaction",
  },
  login: {
    route: 'POST /v1/sessions',
    calls: { 'dynamodb.BatchGetItem': 1, 'dynamodb.GetItem': 3, 'dynamodb.TransactWriteItems': 1 },
    why: 'the two throttle counters (one BatchGetItem), the email claim, then the account, the audit head; session, activity, the read and login entries in one transaction',
  },
  getMe: {
    route: 'GET /v1/me',
    calls: { 'dynamodb.GetItem': 3, 'dynamodb.TransactWriteItems': 1 },
    why: "the account, its wrapped key (still stored? then the cached unwrapped key is used, no KMS: crypto-shredding holds at once), then the read entry: the audit head and one transaction",
  },
  putConsent: {
    route: 'PUT /v1/me/consents/{purpose}',
    calls: { 'dynamodb.Query': 1, ...AUDIT_APPEND },
    why: "the consent partition (the rules need the topic's state and the restriction); event, projection and audit entry in one transaction; the answer is the states read plus the new one",
  },
  myConsents: {
    route: 'GET /v1/me/consents',
    calls: { 'dynamodb.Query': 1, ...AUDIT_APPEND },
    why: 'the consent partition, then its read entry',
  },
  createExportRequest: {
    route: 'POST /v1/me/requests {"type":"export"}',
    calls: { 'kms.GenerateMac': 1, 'dynamodb.Query': 1, ...AUDIT_APPEND, 'sqs.SendMessage': 1 },
    why: "each call is another subject's (one open export each), so its audit pseudonym is new to KMS; the open requests, then request and entry in one transaction, and the job on the queue",
  },
};

const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
const kmsCalls = (calls: Record<string, number>) =>
  Object.entries(calls).filter(([k]) => k.startsWith('kms.')).reduce((a, [, v]) => a + v, 0);

const PASSWORD = 'correct horse battery staple';

export async function measureWarmCalls(app: App): Promise<WarmCallsRow[]> {
  const run = `warm-${randomUUID().slice(0, 8)}`;
  const email = `${run}-fixed@bench.invalid`;
  const fixed: Caller = await app.register(email, PASSWORD);
  let n = 0;
  const scenarios: Record<WarmRouteId, { event: () => APIGatewayProxyEvent; handler: App['handlers'][keyof App['handlers']] }> = {
    register: { event: () => app.registerEvent(`${run}-${++n}@bench.invalid`, PASSWORD), handler: app.handlers.register },
    login: { event: () => app.loginEvent(email, PASSWORD), handler: app.handlers.login },
    getMe: { event: () => app.getMeEvent(fixed), handler: app.handlers.getMe },
    putConsent: { event: () => app.putConsentEvent(fixed, 'marketing-email', ++n % 2 === 0), handler: app.handlers.putConsent },
    myConsents: { event: () => app.myConsentsEvent(fixed), handler: app.handlers.myConsents },
    createExportRequest: {
      event: () => app.createRequestEvent({ subjectId: randomUUID(), sessionId: randomUUID() }, 'export'),
      handler: app.handlers.createRequest,
    },
  };
  const rows: WarmCallsRow[] = [];
  for (const [id, scenario] of Object.entries(scenarios) as [WarmRouteId, (typeof scenarios)[WarmRouteId]][]) {
    await app.call(id, scenario.handler as never, scenario.event());
    app.probe.take();
    await app.call(id, scenario.handler as never, scenario.event());
    const calls = countCalls(app.probe.take());
    const { route, calls: minimum, why } = WARM_MINIMUMS[id];
    rows.push({ id, route, calls, total: total(calls), kms: kmsCalls(calls), minimum, minimumTotal: total(minimum), why });
  }
  return rows;
}
