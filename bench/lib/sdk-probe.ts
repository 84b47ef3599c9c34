/**
 * Records the SDK commands the handlers send (service, command, the low-level input and when it ran), through a
 * middleware on the very client instances the handlers use: they are module-scope singletons in `lambdas/runtime/`. This
 * is how the benchmark knows which calls a path makes, replays them directly as the baseline, and sees any Scan.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Every SDK v3 client has this middleware stack type, up to its input and output unions. */
type AnyMiddlewareStack = DynamoDBClient['middlewareStack'];

export interface SdkCall {
  readonly service: string;
  readonly command: string;
  /** The input as serialised for the wire (DocumentClient inputs are already marshalled here). */
  readonly input: Record<string, unknown>;
  readonly start: number;
  end: number;
}

export class SdkProbe {
  private calls: SdkCall[] = [];

  /** Adds the recording middleware to each client. */
  attach(clients: Record<string, { middlewareStack: unknown }>): void {
    for (const [service, client] of Object.entries(clients)) {
      // The build step runs after serialisation, so a DocumentClient command's input is the marshalled low-level one.
      (client.middlewareStack as AnyMiddlewareStack).add(
        (next, context) => async (args) => {
          const call: SdkCall = {
            service,
            command: String(context.commandName ?? 'unknown').replace(/Command$/, ''),
            input: (args as unknown as { input: Record<string, unknown> }).input,
            start: performance.now(),
            end: Number.NaN,
          };
          this.calls.push(call);
          try {
            return await next(args);
          } finally {
            call.end = performance.now();
          }
        },
        { step: 'build', name: `fmnBenchProbe`, override: true },
      );
    }
  }

  /** Returns what was recorded since the last take, and clears it. */
  take(): SdkCall[] {
    const taken = this.calls;
    this.calls = [];
    return taken;
  }
}

/** `{ 'dynamodb.Query': 3, 'kms.GenerateMac': 1 }` */
export function countCalls(calls: readonly Pick<SdkCall, 'service' | 'command'>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of calls) counts[`${c.service}.${c.command}`] = (counts[`${c.service}.${c.command}`] ?? 0) + 1;
  return counts;
}
