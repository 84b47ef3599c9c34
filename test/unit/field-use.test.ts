/**
 * The field-use check can fail: a synthetic trace with an undeclared field, access or store, or a declaration that names
 * more than is used, is reported; and the trace itself records what an SDK call touches, under the declaration running.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreDeclaration } from '../../lambdas/inventory';
import { touches } from '../../lambdas/routes';
import {
  expressionAttributes,
  requestTouches,
  responseTouches,
  runAs,
  traceClient,
  type TracedTouch,
} from '../../local/field-trace';
import { checkFieldUse, readTrace, type Declared } from '../integration/helpers/field-use';

const inventory: Record<string, StoreDeclaration> = {
  sessions: {
    kind: 'table',
    writtenBy: 'backend',
    encryption: { key: 'dataKey' },
    description: 'test',
    retention: 'test',
    fields: {
      tokenHash: { category: 'credentials', personal: true, description: '' },
      subjectId: { category: 'identifier', personal: true, description: '' },
      deviceLabel: { category: 'usage', personal: true, description: '' },
    },
  },
  accessLogs: {
    kind: 'bucket',
    writtenBy: { service: 'S3 server access logging', awsService: 'Amazon S3', records: 'test', purpose: 'accountability' },
    encryption: { key: 'SSE-S3', why: 'test' },
    description: 'test',
    retention: 'test',
    fields: { remoteIp: { category: 'network-identifier', personal: true, description: '' } },
  },
};

const declarations: Declared[] = [
  { label: 'route:listSessions', personalData: [touches('sessions', ['read'], ['tokenHash', 'subjectId', 'deviceLabel'])] },
  { label: 'route:logout', personalData: [touches('sessions', ['delete'], ['tokenHash'])] },
];

const touch = (declaration: string, access: TracedTouch['access'], fields: string[], store = 'sessions'): TracedTouch => ({
  declaration,
  store,
  access,
  fields,
  command: 'TestCommand',
});

/** A trace that uses exactly what is declared. */
const cleanTrace = [touch('route:listSessions', 'read', ['tokenHash', 'subjectId', 'deviceLabel']), touch('route:logout', 'delete', ['tokenHash'])];

describe('checkFieldUse', () => {
  it('passes a trace that uses exactly what is declared', () => {
    expect(checkFieldUse(cleanTrace, declarations, inventory)).toEqual({ undeclared: [], unusedDeclared: [], unusedInventory: [], staleExceptions: [] });
  });

  it('expects no code to use the fields of a store AWS writes, and reports a traced touch of one', () => {
    expect(checkFieldUse(cleanTrace, declarations, inventory).unusedInventory).toEqual([]);

    const report = checkFieldUse([...cleanTrace, touch('route:logout', 'read', ['remoteIp'], 'accessLogs')], declarations, inventory);

    expect(report.undeclared).toEqual(['route:logout read accessLogs (TestCommand), which only S3 server access logging writes']);
  });

  it('reports an undeclared field, naming the declaration, store and field', () => {
    const report = checkFieldUse([...cleanTrace, touch('route:logout', 'delete', ['tokenHash', 'subjectId'])], declarations, inventory);
    expect(report.undeclared).toEqual(['route:logout deleted sessions.subjectId (TestCommand) without declaring it']);
  });

  it('reports a declared field touched with an undeclared access', () => {
    const report = checkFieldUse([...cleanTrace, touch('route:listSessions', 'write', ['deviceLabel'])], declarations, inventory);
    expect(report.undeclared).toEqual(['route:listSessions wrote sessions.deviceLabel (TestCommand) without declaring it']);
  });

  it('reports an undeclared store, and a touch made outside any declaration', () => {
    const report = checkFieldUse(
      [...cleanTrace, touch('route:logout', 'read', ['subjectId'], 'users'), touch('unattributed', 'read', ['tokenHash'])],
      declarations,
      inventory,
    );
    expect(report.undeclared).toEqual([
      'route:logout read users.subjectId (TestCommand) without declaring it',
      'unattributed (no such declaration was running) read sessions.tokenHash (TestCommand) without declaring it',
    ]);
  });

  it('reports a declared field and a declared access never used, and an inventory field nobody used', () => {
    const report = checkFieldUse([touch('route:listSessions', 'read', ['tokenHash', 'subjectId'])], declarations, inventory);
    expect(report.unusedDeclared).toEqual([
      'route:listSessions declares sessions.deviceLabel (read) but never touched it',
      'route:logout declares delete on sessions but never did it',
      'route:logout declares sessions.tokenHash (delete) but never touched it',
    ]);
    expect(report.unusedInventory).toEqual(['inventory field sessions.deviceLabel was used by no declaration']);
  });

  it('lets an exception excuse what the run cannot show, and reports an exception that excuses nothing', () => {
    const trace = [touch('route:listSessions', 'read', ['tokenHash', 'subjectId'])];
    const report = checkFieldUse(trace, declarations, inventory, [
      { declarations: ['route:listSessions', 'inventory'], store: 'sessions', fields: ['deviceLabel'], reason: 'not reached' },
      { declarations: ['route:logout'], store: 'sessions', reason: 'not reached' },
      { declarations: ['route:listSessions'], store: 'sessions', fields: ['tokenHash'], reason: 'stale' },
    ]);
    expect(report.unusedDeclared).toEqual([]);
    expect(report.unusedInventory).toEqual([]);
    expect(report.staleExceptions).toEqual(['exception route:listSessions sessions tokenHash excuses nothing: remove it']);
  });
});

describe('what a call touches', () => {
  it('reads attribute names out of expressions, resolving placeholders and skipping values, functions and nested paths', () => {
    expect(
      expressionAttributes('SET #s = :s, updatedAt = :now, #h = list_append(#h, :e) REMOVE pendingVerification, #x.#y ADD #n :one', {
        '#s': 'status',
        '#h': 'history',
        '#x': 'erasureSteps',
        '#y': 'users',
        '#n': 'seq',
      }),
    ).toEqual(['status', 'updatedAt', 'history', 'history', 'pendingVerification', 'erasureSteps', 'seq']);
    expect(expressionAttributes('attribute_not_exists(subjectId) AND begins_with(sk, :p)', undefined)).toEqual(['subjectId', 'sk']);
  });

  it('maps each item of a transaction to its own access: put and update write, delete deletes, a condition check reads', () => {
    const touches = requestTouches('dynamodb', 'TransactWriteItemsCommand', {
      TransactItems: [
        { Put: { TableName: 'users', Item: { subjectId: 's', profile: 'p' }, ConditionExpression: 'attribute_not_exists(subjectId)' } },
        { Update: { TableName: 'sessions', Key: { tokenHash: 't' }, UpdateExpression: 'SET lastUsedAt = :n' } },
        { Delete: { TableName: 'identities', Key: { identityKey: 'k' } } },
        { ConditionCheck: { TableName: 'consent', Key: { subjectId: 's', sk: 'x' }, ConditionExpression: 'attribute_exists(#t)', ExpressionAttributeNames: { '#t': 'topic' } } },
      ],
    });
    expect(touches).toEqual([
      { resource: 'users', access: 'write', fields: ['subjectId', 'profile', 'subjectId'] },
      { resource: 'sessions', access: 'write', fields: ['tokenHash', 'lastUsedAt'] },
      { resource: 'identities', access: 'delete', fields: ['identityKey'] },
      { resource: 'consent', access: 'read', fields: ['subjectId', 'sk', 'topic'] },
    ]);
  });

  it('counts the attributes a query brings back as read, and refuses to guess the fields of an unknown command', () => {
    expect(responseTouches('dynamodb', 'QueryCommand', { TableName: 'sessions' }, { Items: [{ tokenHash: 't', deviceLabel: 'd' }] })).toEqual([
      { resource: 'sessions', access: 'read', fields: ['tokenHash', 'deviceLabel'] },
    ]);
    expect(requestTouches('dynamodb', 'ExecuteStatementCommand', { TableName: 'users', Statement: 'SELECT * FROM users' })).toEqual([
      { resource: 'users', access: 'write', fields: ['*'] },
    ]);
    expect(requestTouches('sqs', 'SendMessageCommand', { QueueUrl: 'q', MessageBody: '{"requestId":"r","kind":"export"}' })).toEqual([
      { resource: 'q', access: 'write', fields: ['requestId', 'kind'] },
    ]);
  });
});

describe('the trace middleware', () => {
  let dir: string;
  const saved = { ...process.env };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fmn-trace-unit-'));
    process.env.SESSIONS_TABLE_NAME = 'fmn-test-sessions';
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
  });

  afterEach(() => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  /** A document client whose calls never leave the process: the request is answered before it is signed or sent. */
  function offlineClient(answer: Record<string, unknown>) {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
    client.middlewareStack.add(() => async () => ({ output: { $metadata: {}, ...answer }, response: {} }), { step: 'finalizeRequest', name: 'offline' });
    return client;
  }

  it('records store, access and attribute names under the declaration running, and "unattributed" outside one', async () => {
    const file = join(dir, 'trace.jsonl');
    process.env.FMN_FIELD_TRACE = file;
    const traced = traceClient(offlineClient({ Item: { tokenHash: 't', subjectId: 's', deviceLabel: 'd' } }), 'dynamodb');

    await runAs('route:listSessions', () => traced.send(new GetCommand({ TableName: 'fmn-test-sessions', Key: { tokenHash: 't' } })));
    await traced.send(new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: 'somewhere-else', Key: { id: '1' } } }] }));

    expect(readTrace(file)).toEqual([
      { declaration: 'route:listSessions', store: 'sessions', access: 'read', fields: ['tokenHash'], command: 'GetItemCommand' },
      { declaration: 'route:listSessions', store: 'sessions', access: 'read', fields: ['deviceLabel', 'subjectId', 'tokenHash'], command: 'GetItemCommand' },
      { declaration: 'unattributed', store: 'unknown:somewhere-else', access: 'delete', fields: ['id'], command: 'TransactWriteItemsCommand' },
    ]);
    // Names only: no value reaches the file.
    expect(readFileSync(file, 'utf8')).not.toMatch(/"t"|"s"|"d"/);
  });

  it('adds nothing without FMN_FIELD_TRACE, or inside Lambda even with it', async () => {
    const file = join(dir, 'trace.jsonl');
    delete process.env.FMN_FIELD_TRACE;
    const hasTrace = (client: DynamoDBDocumentClient) => client.middlewareStack.identify().some((name) => name.startsWith('fmnFieldTrace'));
    expect(hasTrace(traceClient(offlineClient({}), 'dynamodb'))).toBe(false);
    process.env.FMN_FIELD_TRACE = file;
    expect(hasTrace(traceClient(offlineClient({}), 'dynamodb'))).toBe(true);
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'fmn-prod-getMe';
    const inLambda = traceClient(offlineClient({ Item: { tokenHash: 't' } }), 'dynamodb');

    await runAs('route:getMe', () => inLambda.send(new GetCommand({ TableName: 'fmn-test-sessions', Key: { tokenHash: 't' } })));

    expect(existsSync(file)).toBe(false);
  });
});
