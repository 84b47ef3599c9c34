import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { runInvocation } from '../lambdas/runtime/invocation';

/** A Lambda context good enough for Powertools and middy: names, request id and a remaining-time clock. */
export function lambdaContext(functionName: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Calls a handler as Lambda would call the named function, inside its own invocation scope so that its log lines carry
 * its own function name and request id while other functions run in this process (see lambdas/runtime/invocation.ts).
 */
export function invokeAs<E, R>(functionName: string, timeoutSeconds: number, handler: (event: E, context: Context) => R, event: E): R {
  const context = lambdaContext(functionName, timeoutSeconds);
  return runInvocation(context, () => handler(event, context));
}
