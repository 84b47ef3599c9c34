/**
 * Field-use trace, for tests only: records which store, which fields and which kind of access every AWS call makes, and on
 * behalf of which declaration (route, worker, schedule or the authorizer) it was made, so a test can compare what the code
 * really touches with what `routes.ts` and `schedules.ts` declare (test/integration/field-use.test.ts).
 *
 * Off unless FMN_FIELD_TRACE names a file, and never on in Lambda: no function bundle holds this file; the local cloud
 * installs `traceClient` as the client hook (`local/test-hooks.ts`). When off, `traceClient` returns the client untouched
 * and `runAs` calls straight through. Only attribute names are recorded, never a value.
 *
 * The local cloud (api server, worker runner, scheduler) wraps each invocation in `runAs(<declaration>)`; the middleware on
 * the shared SDK clients reads that label from an AsyncLocalStorage, so calls made by shared adapters are attributed to the
 * declaration that is running. A call made outside any invocation is recorded as `unattributed`, which the check refuses.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import { inventory, type StoreId } from '../lambdas/inventory';
import { BUCKET_IDS, QUEUE_IDS, TABLE_IDS, TOPIC_IDS, bucketEnvVar, queueEnvVar, tableEnvVar, topicEnvVar } from '../lambdas/runtime/resources';
import type { TracedService } from '../lambdas/runtime/test-hooks';

export const FIELD_TRACE_ENV = 'FMN_FIELD_TRACE';

export type TracedAccess = 'read' | 'write' | 'delete';

/** One line of the trace file. `store` is a StoreId, or `unknown:<name>` for a resource no id maps to. */
export interface TracedTouch {
  readonly declaration: string;
  readonly store: string;
  readonly access: TracedAccess;
  readonly fields: readonly string[];
  /** The SDK command, e.g. `QueryCommand`, to point at the call when a touch is refused. */
  readonly command: string;
}

/** `route:<id>`, `worker:<id>`, `schedule:<id>`, `authorizer:<id>`: which declaration an invocation runs under. */
export type DeclarationLabel = `${'route' | 'worker' | 'schedule' | 'authorizer'}:${string}`;

export const UNATTRIBUTED = 'unattributed';

/** A field name the trace uses when it cannot tell which fields a call touched (PartiQL, an unknown command). */
export const ANY_FIELD = '*';

// One store per process even if this module is loaded twice (tsx can load a file once as ESM and once as CommonJS).
const STORAGE_KEY = Symbol.for('forget-me-not.field-trace');
const globalSlot = globalThis as { [STORAGE_KEY]?: AsyncLocalStorage<string> };
const invocations = (globalSlot[STORAGE_KEY] ??= new AsyncLocalStorage<string>());

function traceFile(): string | undefined {
  // Never in Lambda: the variable would have to be set by hand, and a file in /tmp helps nobody there.
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) return undefined;
  return process.env[FIELD_TRACE_ENV] || undefined;
}

/** Runs one invocation under a declaration label (a plain call when the trace is off). */
export function runAs<T>(declaration: DeclarationLabel, invoke: () => T): T {
  return traceFile() ? invocations.run(declaration, invoke) : invoke();
}


/** The slice of an SDK client's middleware stack used here (structural, so any v3 client fits). */
interface TraceableClient {
  readonly middlewareStack: {
    add(
      middleware: (next: (args: { input: object }) => Promise<{ output: unknown }>, context: { commandName?: string }) => (args: {
        input: object;
      }) => Promise<{ output: unknown }>,
      options: { step: 'initialize'; name: string; override?: boolean },
    ): void;
  };
}

/** Adds the trace middleware to an SDK client when FMN_FIELD_TRACE is set; returns the same client either way. */
export function traceClient<C>(client: C, service: TracedService): C {
  const file = traceFile();
  if (!file) return client;
  const resolve = storeResolver();
  (client as unknown as TraceableClient).middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'UnknownCommand';
      const write = (touches: readonly Touch[]) => {
        const declaration = invocations.getStore() ?? UNATTRIBUTED;
        const lines = touches.map((t) => {
          const store = resolve(t.resource);
          const fields = service === 's3' ? objectFields(store) : t.fields;
          return JSON.stringify({ declaration, store, access: t.access, fields: [...new Set(fields)].sort(), command } satisfies TracedTouch);
        });
        if (lines.length > 0) appendFileSync(file, lines.map((l) => `${l}\n`).join(''));
      };
      // The request side first, so a call that fails (a condition, a cancelled transaction) still counts as a touch.
      write(requestTouches(service, command, args.input as Input));
      const result = await next(args);
      // An answer adds a touch only when it brought attribute names back (an empty page reads nothing more).
      write(responseTouches(service, command, args.input as Input, result.output as Input).filter((t) => t.fields.length > 0));
      return result;
    },
    { step: 'initialize', name: 'fmnFieldTrace', override: true },
  );
  return client;
}

/** What one call touches: a physical resource (table name, bucket name, queue URL), how, and which attribute names. */
export interface Touch {
  readonly resource: string;
  readonly access: TracedAccess;
  readonly fields: readonly string[];
}

type Input = Record<string, any>;

const keysOf = (item: unknown): string[] => (item && typeof item === 'object' ? Object.keys(item) : []);

// Reserved words that can stand where an attribute name could in the expressions the SDK takes.
const EXPRESSION_KEYWORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN']);

/**
 * The top-level attribute names an expression refers to: `#name` placeholders resolved, literal names kept, value
 * placeholders (`:v`), functions (`begins_with(`), keywords and nested path parts (`a.b`, `a[0]`) left out.
 */
export function expressionAttributes(expression: string | undefined, names: Record<string, string> | undefined): string[] {
  if (!expression) return [];
  const found: string[] = [];
  for (const [, dot, sigil, word, call] of expression.matchAll(/(\.)?([#:]?)([A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g)) {
    if (dot || sigil === ':' || call) continue;
    if (sigil === '#') found.push(names?.[`#${word}`] ?? `#${word}`);
    else if (!EXPRESSION_KEYWORDS.has(word.toUpperCase())) found.push(word);
  }
  return found;
}

const expressions = (input: Input, ...which: string[]): string[] =>
  which.flatMap((name) => expressionAttributes(input[name], input.ExpressionAttributeNames));

function dynamoWrite(kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck', item: Input): Touch {
  const fields = [
    ...keysOf(kind === 'Put' ? item.Item : item.Key),
    ...expressions(item, 'UpdateExpression', 'ConditionExpression'),
  ];
  // A condition check reads (IAM's ConditionCheckItem is a read action); an update that removes attributes still writes.
  const access: TracedAccess = kind === 'Delete' ? 'delete' : kind === 'ConditionCheck' ? 'read' : 'write';
  return { resource: item.TableName, access, fields };
}

/** The touches a request makes, before it is sent. */
export function requestTouches(service: TracedService, command: string, input: Input): Touch[] {
  if (service === 's3') return s3Touches(command, input);
  if (service === 'sqs') return sqsTouches(command, input);
  if (service === 'sns') return snsTouches(command, input);
  switch (command) {
    case 'GetItemCommand':
      return [{ resource: input.TableName, access: 'read', fields: [...keysOf(input.Key), ...expressions(input, 'ProjectionExpression')] }];
    case 'QueryCommand':
    case 'ScanCommand':
      return [
        {
          resource: input.TableName,
          access: 'read',
          fields: expressions(input, 'KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'),
        },
      ];
    case 'BatchGetItemCommand':
      return Object.entries(input.RequestItems ?? {}).map(([table, request]: [string, any]) => ({
        resource: table,
        access: 'read',
        fields: [...(request.Keys ?? []).flatMap(keysOf), ...expressionAttributes(request.ProjectionExpression, request.ExpressionAttributeNames)],
      }));
    case 'TransactGetItemsCommand':
      return (input.TransactItems ?? []).map((item: Input) => ({
        resource: item.Get.TableName,
        access: 'read' as const,
        fields: [...keysOf(item.Get.Key), ...expressionAttributes(item.Get.ProjectionExpression, item.Get.ExpressionAttributeNames)],
      }));
    case 'PutItemCommand':
      return [dynamoWrite('Put', input)];
    case 'UpdateItemCommand':
      return [dynamoWrite('Update', input)];
    case 'DeleteItemCommand':
      return [dynamoWrite('Delete', input)];
    case 'TransactWriteItemsCommand':
      return (input.TransactItems ?? []).map((item: Input) => {
        const kind = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).find((k) => item[k]);
        return kind ? dynamoWrite(kind, item[kind]) : { resource: 'unknown', access: 'write', fields: [ANY_FIELD] };
      });
    case 'BatchWriteItemCommand':
      return Object.entries(input.RequestItems ?? {}).flatMap(([table, requests]: [string, any]) =>
        (requests as Input[]).map((request): Touch =>
          request.PutRequest
            ? { resource: table, access: 'write', fields: keysOf(request.PutRequest.Item) }
            : { resource: table, access: 'delete', fields: keysOf(request.DeleteRequest?.Key) },
        ),
      );
    default:
      // PartiQL and anything new: the fields cannot be told, so the touch is refused until this function learns it.
      return input.TableName ? [{ resource: input.TableName, access: 'write', fields: [ANY_FIELD] }] : [];
  }
}

/** The touches an answer adds: the attribute names of the items a read (or a write's ReturnValues) brought back. */
export function responseTouches(service: TracedService, command: string, input: Input, output: Input | undefined): Touch[] {
  if (service !== 'dynamodb' || !output) return [];
  switch (command) {
    case 'GetItemCommand':
      return [{ resource: input.TableName, access: 'read', fields: keysOf(output.Item) }];
    case 'QueryCommand':
    case 'ScanCommand':
      return [{ resource: input.TableName, access: 'read', fields: (output.Items ?? []).flatMap(keysOf) }];
    case 'BatchGetItemCommand':
      return Object.entries(output.Responses ?? {}).map(([table, items]: [string, any]) => ({
        resource: table,
        access: 'read',
        fields: (items as Input[]).flatMap(keysOf),
      }));
    case 'TransactGetItemsCommand':
      return (output.Responses ?? []).map((response: Input, i: number) => ({
        resource: input.TransactItems[i].Get.TableName,
        access: 'read' as const,
        fields: keysOf(response.Item),
      }));
    case 'PutItemCommand':
    case 'UpdateItemCommand':
      return [{ resource: input.TableName, access: 'write', fields: keysOf(output.Attributes) }];
    case 'DeleteItemCommand':
      return [{ resource: input.TableName, access: 'delete', fields: keysOf(output.Attributes) }];
    default:
      return [];
  }
}

/** An object in a bucket is one declared field (the bucket's only one): what matters is how it is accessed. */
function s3Touches(command: string, input: Input): Touch[] {
  const access: TracedAccess | undefined = /^(Get|Head|List)/.test(command)
    ? 'read'
    : /^Delete/.test(command)
      ? 'delete'
      : /^(Put|Copy|CreateMultipart|UploadPart|CompleteMultipart)/.test(command)
        ? 'write'
        : undefined;
  return input.Bucket && access ? [{ resource: input.Bucket, access, fields: ['<object>'] }] : [];
}

/** Queue messages are JSON documents: their top-level keys are the fields. */
function sqsTouches(command: string, input: Input): Touch[] {
  const bodyFields = (body: unknown): string[] => {
    try {
      return keysOf(JSON.parse(String(body)));
    } catch {
      return [ANY_FIELD];
    }
  };
  if (command === 'SendMessageCommand') return [{ resource: input.QueueUrl, access: 'write', fields: bodyFields(input.MessageBody) }];
  if (command === 'SendMessageBatchCommand') {
    return [{ resource: input.QueueUrl, access: 'write', fields: (input.Entries ?? []).flatMap((e: Input) => bodyFields(e.MessageBody)) }];
  }
  if (command === 'DeleteMessageCommand' || command === 'DeleteMessageBatchCommand') return [{ resource: input.QueueUrl, access: 'delete', fields: [] }];
  return [];
}

/**
 * A recipient event lands on the recipients' queues (the `recipientEvents` store), a subject event with the app's mailer
 * (`subjectEvents`): what either writes about the subject is its `subject` object, so those keys are the fields, and a
 * subject event's `reason`, the text written for the subject (the rest of the body names the event, never the person).
 */
function snsTouches(command: string, input: Input): Touch[] {
  const subjectFields = (message: unknown): string[] => {
    try {
      const body = JSON.parse(String(message)) as Input;
      return [...keysOf(body.subject), ...(body.reason !== undefined ? ['reason'] : [])];
    } catch {
      return [ANY_FIELD];
    }
  };
  if (command === 'PublishCommand') return [{ resource: input.TopicArn, access: 'write', fields: subjectFields(input.Message) }];
  if (command === 'PublishBatchCommand') {
    return [{ resource: input.TopicArn, access: 'write', fields: (input.PublishBatchRequestEntries ?? []).flatMap((e: Input) => subjectFields(e.Message)) }];
  }
  return [];
}

/** Maps physical names back to store ids, from the same environment variables the handlers read. */
function storeResolver(): (resource: string) => string {
  let names: Map<string, StoreId> | undefined;
  return (resource) => {
    names ??= new Map<string, StoreId>([
      ...TABLE_IDS.map((id) => [process.env[tableEnvVar(id)] ?? '', id] as const),
      ...BUCKET_IDS.map((id) => [process.env[bucketEnvVar(id)] ?? '', id] as const),
      ...QUEUE_IDS.filter((id): id is StoreId & (typeof QUEUE_IDS)[number] => id in inventory).map(
        (id) => [process.env[queueEnvVar(id)] ?? '', id] as const,
      ),
      // The topic stands for the queues it fans out to.
      ...TOPIC_IDS.map((id) => [process.env[topicEnvVar(id)] ?? '', id] as const),
    ]);
    names.delete('');
    return names.get(resource) ?? `unknown:${resource}`;
  };
}

/** An object stands for the bucket's declared field(s), so buckets are checked like tables. */
function objectFields(store: string): readonly string[] {
  const declared = (inventory as Record<string, { kind: string; fields: object }>)[store];
  return declared?.kind === 'bucket' ? Object.keys(declared.fields) : ['<object>'];
}
