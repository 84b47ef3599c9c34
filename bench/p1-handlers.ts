/**
 * P1 handler overhead: each route's handler invoked in this process with the event API Gateway sends (authorizer context
 * included), next to the same SDK calls issued directly (bench/lib/replay.ts) plus the password hashing the route cannot
 * skip. Handler and baseline alternate call by call, so load from other processes on the machine hits both alike.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from '../lambdas/domain/passwords';
import type { App, Caller } from './lib/app';
import { createReplayer, longestPause } from './lib/replay';
import { countCalls } from './lib/sdk-probe';
import { percentile, round, since } from './lib/stats';

export const P1_TARGET_RATIO = 1.25;

export interface P1Row {
  readonly id: string;
  readonly route: string;
  readonly calls: number;
  readonly handler: { p50: number; p99: number };
  readonly baseline: { p50: number; p99: number };
  readonly ratioP50: number;
  readonly ratioP99: number;
  /** The SDK calls of one invocation, by service and command: what the baseline issues. */
  readonly sdkCalls: Record<string, number>;
  /** Work besides SDK calls that the baseline also does. */
  readonly baselineExtra?: string;
  readonly meetsTarget: boolean;
}

export interface P1Result {
  readonly iterations: number;
  readonly warmup: number;
  readonly scryptLogN: number;
  readonly target: number;
  readonly rows: P1Row[];
}

interface Scenario {
  readonly id: string;
  readonly route: string;
  /** The next event to send (each call may need its own account, email or subject). */
  readonly event: (i: number) => APIGatewayProxyEvent | Promise<APIGatewayProxyEvent>;
  readonly handler: App['handlers'][keyof App['handlers']];
  /** CPU work the route cannot skip that is not an SDK call (password hashing); the baseline does it too, in the pause where the handler did it. */
  readonly extra?: { what: string; run: () => Promise<unknown> };
}

const PASSWORD = 'correct horse battery staple';

export async function runP1(app: App, options: { iterations: number; warmup: number; log: (line: string) => void }): Promise<P1Result> {
  const logN = Number(process.env.PASSWORD_SCRYPT_LOG_N ?? DEFAULT_SCRYPT.logN);
  const scrypt = { ...DEFAULT_SCRYPT, logN };
  const run = `p1-${randomUUID().slice(0, 8)}`;
  const fixedEmail = `${run}-fixed@bench.invalid`;
  const fixed: Caller = await app.register(fixedEmail, PASSWORD);
  await app.call('putConsent', app.handlers.putConsent, app.putConsentEvent(fixed, 'analytics', true));
  const storedHash = await hashPassword(PASSWORD, scrypt);

  const scenarios: Scenario[] = [
    {
      id: 'register',
      route: 'POST /v1/accounts',
      event: (i) => app.registerEvent(`${run}-${i}@bench.invalid`, PASSWORD),
      handler: app.handlers.register,
      extra: { what: `scrypt hash (log2 N = ${logN})`, run: () => hashPassword(PASSWORD, scrypt) },
    },
    {
      id: 'login',
      route: 'POST /v1/sessions',
      event: () => app.loginEvent(fixedEmail, PASSWORD),
      handler: app.handlers.login,
      extra: { what: `scrypt verify (log2 N = ${logN})`, run: () => verifyPassword(PASSWORD, storedHash) },
    },
    { id: 'getMe', route: 'GET /v1/me', event: () => app.getMeEvent(fixed), handler: app.handlers.getMe },
    {
      id: 'putConsent',
      route: 'PUT /v1/me/consents/{purpose}',
      event: (i) => app.putConsentEvent(fixed, 'marketing-email', i % 2 === 0),
      handler: app.handlers.putConsent,
    },
    { id: 'myConsents', route: 'GET /v1/me/consents', event: () => app.myConsentsEvent(fixed), handler: app.handlers.myConsents },
    {
      // A subject may have one open export at a time, so each call is another subject's (with a fresh login, as the
      // route requires re-verification within 15 minutes).
      id: 'createExportRequest',
      route: 'POST /v1/me/requests {"type":"export"}',
      event: () => app.createRequestEvent({ subjectId: randomUUID(), sessionId: randomUUID() }, 'export'),
      handler: app.handlers.createRequest,
    },
  ];

  const replayer = createReplayer();
  const rows: P1Row[] = [];
  try {
    for (const scenario of scenarios) {
      const handlerMs: number[] = [];
      const baselineMs: number[] = [];
      let sdkCalls: Record<string, number> = {};
      const total = options.warmup + options.iterations;
      for (let i = 0; i < total; i++) {
        const event = await scenario.event(i);
        app.probe.take();
        const t0 = performance.now();
        await app.call(scenario.id, scenario.handler as never, event);
        const tHandler = since(t0);
        const calls = app.probe.take();
        const extra = scenario.extra;
        const pause = extra ? { beforeGroup: longestPause(calls, t0, t0 + tHandler), run: extra.run } : undefined;
        const t1 = performance.now();
        await replayer.replay(calls, pause);
        const tBaseline = since(t1);
        if (i < options.warmup) continue;
        handlerMs.push(tHandler);
        baselineMs.push(tBaseline);
        if (i === options.warmup) {
          sdkCalls = countCalls(calls);
        }
      }
      const handler = { p50: percentile(handlerMs, 50), p99: percentile(handlerMs, 99) };
      const baseline = { p50: percentile(baselineMs, 50), p99: percentile(baselineMs, 99) };
      const ratioP50 = handler.p50 / baseline.p50;
      const row: P1Row = {
        id: scenario.id,
        route: scenario.route,
        calls: handlerMs.length,
        handler: { p50: round(handler.p50), p99: round(handler.p99) },
        baseline: { p50: round(baseline.p50), p99: round(baseline.p99) },
        ratioP50: round(ratioP50),
        ratioP99: round(handler.p99 / baseline.p99),
        sdkCalls,
        ...(scenario.extra ? { baselineExtra: scenario.extra.what } : {}),
        meetsTarget: ratioP50 <= P1_TARGET_RATIO,
      };
      rows.push(row);
      options.log(`P1 ${row.id}: handler p50 ${row.handler.p50} ms, baseline p50 ${row.baseline.p50} ms, ratio ${row.ratioP50}`);
    }
  } finally {
    replayer.close();
  }
  return { iterations: options.iterations, warmup: options.warmup, scryptLogN: logN, target: P1_TARGET_RATIO, rows };
}
