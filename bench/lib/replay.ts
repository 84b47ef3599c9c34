/**
 * The baseline of P1: the very SDK calls a handler made, issued again directly on plain SDK clients, with no middleware,
 * validation, domain code or logging around them. Calls the handler had in flight together are issued together.
 *
 * Replays run right after the handler, on the items it just wrote, so every write is re-issued with its condition removed
 * (the condition held once; a second time it would fail by design): same items, same values, same round trips. Each
 * replayed call must succeed, so the baseline is never cheaper than real work because of an error answer.
 *
 * Work a route cannot skip that is not an SDK call (a password hash) runs where the handler ran it: in the longest pause
 * of the handler's timeline, with no call in flight. Running it beside the calls instead would let the baseline hide
 * a scrypt behind the round trips the handler had to wait for one after the other.
 */
import * as ddb from '@aws-sdk/client-dynamodb';
import * as kms from '@aws-sdk/client-kms';
import * as s3 from '@aws-sdk/client-s3';
import * as sqs from '@aws-sdk/client-sqs';
import type { SdkCall } from './sdk-probe';

type Sendable = { send(command: unknown): Promise<unknown>; destroy(): void };
type Constructors = Record<string, new (input: unknown) => unknown>;

/** Work to do between two groups of calls: before group `beforeGroup` (0 = before all, groups.length = after all). */
export interface Pause {
  readonly beforeGroup: number;
  run(): Promise<unknown>;
}

export interface Replayer {
  /** Issues the calls, concurrent where they were concurrent, with the pause's work between the groups it fell between. */
  replay(calls: readonly SdkCall[], pause?: Pause): Promise<void>;
  close(): void;
}

/** Raw clients built from the same environment the handlers' clients read (endpoints, region, credentials). */
export function createReplayer(): Replayer {
  const services: Record<string, { client: Sendable; commands: Constructors }> = {
    dynamodb: { client: new ddb.DynamoDBClient({}), commands: ddb as unknown as Constructors },
    kms: { client: new kms.KMSClient({}), commands: kms as unknown as Constructors },
    sqs: { client: new sqs.SQSClient({}), commands: sqs as unknown as Constructors },
    s3: { client: new s3.S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' }), commands: s3 as unknown as Constructors },
  };
  const send = (call: SdkCall) => {
    const service = services[call.service];
    const Command = service?.commands[`${call.command}Command`];
    if (!Command) throw new Error(`cannot replay ${call.service}.${call.command}`);
    const input = call.service === 'dynamodb' ? withoutConditions(call.command, call.input) : call.input;
    return input === undefined ? Promise.resolve() : service.client.send(new Command(input));
  };
  return {
    async replay(calls, pause) {
      const groups = concurrentGroups(calls);
      for (const [i, group] of groups.entries()) {
        if (pause?.beforeGroup === i) await pause.run();
        await Promise.all(group.map(send));
      }
      if (pause && pause.beforeGroup >= groups.length) await pause.run();
    },
    close() {
      for (const s of Object.values(services)) s.client.destroy();
    },
  };
}

/** Splits calls into groups that were in flight together: a call that started after all of its group ended starts a new one. */
export function concurrentGroups(calls: readonly SdkCall[]): SdkCall[][] {
  const groups: SdkCall[][] = [];
  let current: SdkCall[] = [];
  let groupEnd = -Infinity;
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    if (current.length > 0 && call.start >= groupEnd) {
      groups.push(current);
      current = [];
      groupEnd = -Infinity;
    }
    current.push(call);
    groupEnd = Math.max(groupEnd, call.end);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Where the handler paused longest with no SDK call in flight, between its start and its end: the index of the group
 * that followed that pause (0 when it came before the first call, groups.length when after the last).
 */
export function longestPause(calls: readonly SdkCall[], handlerStart: number, handlerEnd: number): number {
  const groups = concurrentGroups(calls);
  let best = { index: 0, length: -Infinity };
  let previousEnd = handlerStart;
  for (const [index, group] of [...groups, []].entries()) {
    const start = group.length > 0 ? Math.min(...group.map((c) => c.start)) : handlerEnd;
    if (start - previousEnd > best.length) best = { index, length: start - previousEnd };
    if (group.length > 0) previousEnd = Math.max(...group.map((c) => c.end));
  }
  return best.index;
}

type Expressive = Record<string, unknown> & {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
};

/** The write without its condition (and without the names and values only the condition used); reads unchanged. */
export function withoutConditions(command: string, input: Record<string, unknown>): Record<string, unknown> | undefined {
  const copy = structuredClone(input) as Record<string, unknown>;
  switch (command) {
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      strip(copy as Expressive);
      return copy;
    case 'TransactWriteItems': {
      const items = (copy.TransactItems as Array<Record<string, Expressive>>).filter((item) => !item.ConditionCheck);
      for (const item of items) for (const op of Object.values(item)) strip(op);
      copy.TransactItems = items;
      return items.length > 0 ? copy : undefined;
    }
    default:
      return copy;
  }
}

function strip(op: Expressive): void {
  delete op.ConditionExpression;
  delete op.ReturnValuesOnConditionCheckFailure;
  const text = ['UpdateExpression', 'KeyConditionExpression', 'FilterExpression', 'ProjectionExpression']
    .map((k) => op[k])
    .filter((v): v is string => typeof v === 'string')
    .join(' ');
  const used = (token: string) => new RegExp(`${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`).test(text);
  for (const key of ['ExpressionAttributeNames', 'ExpressionAttributeValues'] as const) {
    const map = op[key];
    if (!map) continue;
    for (const token of Object.keys(map)) if (!used(token)) delete map[token];
    if (Object.keys(map).length === 0) delete op[key];
  }
}
