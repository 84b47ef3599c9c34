/**
 * Hooks a test harness may install before it loads any handler: the local cloud does (`local/test-hooks.ts`), for the
 * field-use trace and crash injection. Nothing installs them in Lambda, so each call here is a no-op there, and the code
 * the hooks run is in no function bundle (test/unit/function-bundles.test.ts checks).
 */
export type TracedService = 'dynamodb' | 's3' | 'sqs' | 'sns';

/** Where a process may be killed: after a request is committed as queued, before its job is sent. */
export type CrashPoint = 'request-committed';

export interface TestHooks {
  /** Called with each SDK client as it is built; returns the client to use (the same one, instrumented). */
  instrumentClient?<C>(client: C, service: TracedService): C;
  /** Called where a crash would lose work; may end the process. */
  crashPoint?(point: CrashPoint): void;
}

// One slot per process even if this module is loaded twice (tsx can load a file once as ESM and once as CommonJS).
const SLOT = Symbol.for('forget-me-not.test-hooks');
const hooks: TestHooks = ((globalThis as { [SLOT]?: TestHooks })[SLOT] ??= {});

/** For test harnesses only; call before any handler module is loaded (clients are built at load). */
export function installTestHooks(installed: TestHooks): void {
  Object.assign(hooks, installed);
}

/** An SDK client as the installed hook returns it; the client itself when none is installed. */
export function instrumented<C>(client: C, service: TracedService): C {
  return hooks.instrumentClient ? hooks.instrumentClient(client, service) : client;
}

export function crashPoint(point: CrashPoint): void {
  hooks.crashPoint?.(point);
}
