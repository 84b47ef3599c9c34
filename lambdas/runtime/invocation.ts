import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

/**
 * The Lambda context of the invocation running on this async path, for processes that run several functions at once.
 *
 * On AWS a process runs one function and one invocation at a time, so the logger's own context (set by
 * `injectLambdaContext`) is right. `npm start` runs every function in one process, and jobs, workers and routes overlap:
 * the one module-level logger would stamp every line with whichever invocation set its context last. The local runner
 * wraps each invocation in `runInvocation`, and the log formatter prefers this context when there is one.
 */
const invocations = new AsyncLocalStorage<Context>();

export function runInvocation<T>(context: Context, invoke: () => T): T {
  return invocations.run(context, invoke);
}

/** The context of the surrounding `runInvocation`, or undefined (always on AWS). */
export function currentInvocation(): Context | undefined {
  return invocations.getStore();
}
