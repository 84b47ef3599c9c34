/**
 * Crash injection for resilience tests and game days: `FMN_FAULT_KILL_AT=<point>` makes the process kill itself (SIGKILL:
 * no cleanup, no `finally`, as a Lambda timeout or a lost host would) when it reaches that point. Never inside Lambda,
 * where the variable is set in no deployment and ignored even if it were; elsewhere unset, so each call is one comparison.
 *
 * The worker's own fault injection (FMN_FAULT_AFTER_ERASURE_STEP in `rights-worker.ts`) throws instead: a redelivered
 * message is what it tests, and a throw shows that without losing the local cloud the worker runs in.
 */
export const KILL_AT_ENV = 'FMN_FAULT_KILL_AT';

/** Where a process may be killed: after a request is committed as queued, before its job is sent. */
export type CrashPoint = 'request-committed';

export function crashPoint(point: CrashPoint): void {
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) return;
  if (process.env[KILL_AT_ENV] === point) process.kill(process.pid, 'SIGKILL');
}
