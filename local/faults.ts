/**
 * Crash injection for resilience tests and game days: `FMN_FAULT_KILL_AT=<point>` makes the process kill itself (SIGKILL:
 * no cleanup, no `finally`, as a Lambda timeout or a lost host would) when it reaches that point. Installed by the local
 * cloud and `fmn job run` (`local/test-hooks.ts`) as the `crashPoint` hook; no function bundle holds this file, and it
 * refuses to act inside Lambda even if it were loaded there.
 *
 * The worker's own fault injection (FMN_FAULT_AFTER_ERASURE_STEP in `lambdas/wiring/jobs.ts`) throws instead: a
 * redelivered message is what it tests, and a throw shows that without losing the local cloud the worker runs in.
 */
import type { CrashPoint } from '../lambdas/runtime/test-hooks';

export const KILL_AT_ENV = 'FMN_FAULT_KILL_AT';

export function killAt(point: CrashPoint): void {
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) return;
  if (process.env[KILL_AT_ENV] === point) process.kill(process.pid, 'SIGKILL');
}
