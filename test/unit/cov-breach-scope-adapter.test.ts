/**
 * The breach scope adapter's edges, at the SDK edge (aws-sdk-client-mock); the integration test
 * (test/integration/breach-scope.test.ts) runs the common path on DynamoDB Local. Pinned here:
 * - input it refuses, naming the option and never data: an unknown store, an unreadable moment, a reversed window, a
 *   window longer than the audit trail is kept;
 * - stores whose subjects cannot be listed (a table about no one, a bucket, the trail itself) say why instead of counting;
 * - which scanned items count (inside the window, by `createdAt` or `at`, not expired before it, with a key);
 * - a store keyed by its own pseudonymous key counts its keys apart from audit pseudonyms, and says the count is approximate;
 * - accesses: an origin the route table does not declare is counted when its field names name the store, an entry with no
 *   subject counts an access but no subject.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { BreachScopeInputError, MAX_WINDOW_DAYS, breachScope, type BreachScopeDeps } from '../../lambdas/adapters/dynamo-breach-scope';
import type { DataTouch } from '../../lambdas/http/route-definition';

const dynamo = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const FROM = '2026-12-01T00:00:00.000Z';
const TO = '2026-12-01T23:59:59.999Z';

function deps(over: Partial<BreachScopeDeps> = {}): BreachScopeDeps {
  return {
    db,
    tables: { audit: 'audit', store: 'store' },
    subjectPseudonym: async (id) => `p(${id})`,
    declarations: new Map<string, readonly DataTouch[]>(),
    indexShards: 1,
    ...over,
  };
}

beforeEach(() => {
  dynamo.reset();
  dynamo.on(ScanCommand).resolves({ Items: [] });
  dynamo.on(QueryCommand).resolves({ Items: [] });
});

describe('refused input', () => {
  it.each([
    [{ store: 'nowhere', from: FROM, to: TO }, /unknown store "nowhere"/],
    [{ store: 'users', from: 'yesterday', to: TO }, /--from is not a date/],
    [{ store: 'users', from: FROM, to: '  ' }, /--to is not a date/],
    [{ store: 'users', from: TO, to: FROM }, /--from must not be after --to/],
    [{ store: 'users', from: '2025-01-01T00:00:00Z', to: TO }, new RegExp(`at most ${MAX_WINDOW_DAYS}`)],
  ])('%j is refused before any read', async (options, message) => {
    await expect(breachScope(options, deps())).rejects.toThrow(BreachScopeInputError);
    await expect(breachScope(options, deps())).rejects.toThrow(message);
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('stores whose subjects are not listed', () => {
  it('a table that declares no subject identifier says so and scans nothing', async () => {
    const scope = await breachScope({ store: 'jobRuns', from: FROM, to: TO }, deps());
    expect(scope.held).toMatchObject({ enumerated: false, subjects: 0, note: 'the store declares no subject identifier' });
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('a bucket points to the accesses instead', async () => {
    const scope = await breachScope({ store: 'exports', from: FROM, to: TO }, deps());
    expect(scope.kind).toBe('bucket');
    expect(scope.held.note).toMatch(/a bucket: its subjects are not listed/);
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('the audit trail is never scanned for its subjects', async () => {
    const scope = await breachScope({ store: 'audit', from: FROM, to: TO }, deps());
    expect(scope.held.note).toMatch(/names subjects by pseudonym only/);
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('a table whose physical name was not given is not scanned', async () => {
    const scope = await breachScope({ store: 'users', from: FROM, to: TO }, deps({ tables: { audit: 'audit' } }));
    expect(scope.held.enumerated).toBe(false);
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });
});

describe('held subjects', () => {
  it('counts items inside the window by createdAt or at, and leaves out later, expired and keyless ones', async () => {
    const fromSeconds = Date.parse(FROM) / 1000;
    dynamo.on(ScanCommand).resolves({
      Items: [
        { subjectId: 's-inside', createdAt: '2026-11-30T10:00:00.000Z' },
        { subjectId: 's-no-time' },
        { subjectId: 's-after', createdAt: '2026-12-02T00:00:00.000Z' },
        { subjectId: 's-expired', createdAt: '2026-11-01T00:00:00.000Z', expiresAt: fromSeconds - 1 },
        { subjectId: 's-live', createdAt: '2026-11-01T00:00:00.000Z', expiresAt: fromSeconds + 60 },
        { subjectId: 42 },
        { subjectId: 's-inside', createdAt: '2026-11-30T11:00:00.000Z' },
      ],
    });

    const scope = await breachScope({ store: 'sessions', from: FROM, to: TO }, deps());

    expect(scope.held).toMatchObject({ enumerated: true, subjects: 3, identifiedBy: 'subject', pseudonyms: ['p(s-inside)', 'p(s-live)', 'p(s-no-time)'] });
    expect(scope.subjects).toEqual({ count: 3, pseudonyms: ['p(s-inside)', 'p(s-live)', 'p(s-no-time)'], approximate: false });
    // only the key and the declared time fields are read
    const scan = dynamo.commandCalls(ScanCommand)[0]!.args[0].input;
    expect(Object.values(scan.ExpressionAttributeNames!).sort()).toEqual(['createdAt', 'expiresAt', 'subjectId']);
  });

  it('reads the time of an event store from `at`', async () => {
    dynamo.on(ScanCommand).resolves({
      Items: [
        { subjectId: 's-before', at: '2026-11-29T00:00:00.000Z' },
        { subjectId: 's-later', at: '2026-12-05T00:00:00.000Z' },
      ],
    });
    const scope = await breachScope({ store: 'consent', from: FROM, to: TO }, deps());
    expect(scope.held.pseudonyms).toEqual(['p(s-before)']);
  });

  it('counts a store keyed by its own pseudonymous key apart from audit pseudonyms, and says the count is approximate', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [{ counterKey: 'hmac-1' }, { counterKey: 'hmac-2' }] });
    dynamo.on(QueryCommand).resolves({
      Items: [{ origin: 'route:login', action: 'update', at: '2026-12-01T10:00:00.000Z', subjectPseudonym: 'audit-p1', fields: ['loginThrottle.failures'] }],
    });

    const scope = await breachScope({ store: 'loginThrottle', from: FROM, to: TO }, deps());

    expect(scope.held).toMatchObject({ identifiedBy: 'counterKey', subjects: 2, pseudonyms: ['hmac-1', 'hmac-2'] });
    expect(scope.subjects).toEqual({ count: 3, pseudonyms: ['audit-p1'], approximate: true });
  });
});

describe('accesses in the window', () => {
  it('counts declared origins and undeclared ones whose field names name the store; an entry without a subject adds none', async () => {
    const declarations = new Map<string, readonly DataTouch[]>([
      ['route:getMe', [{ store: 'users', actions: ['read'], fields: ['profile'] } as unknown as DataTouch]],
      ['route:health', [{ store: 'sessions', actions: ['read'], fields: ['subjectId'] } as unknown as DataTouch]],
    ]);
    dynamo.on(QueryCommand).resolves({
      Items: [
        { origin: 'route:getMe', action: 'read', at: '2026-12-01T09:00:00.000Z', subjectPseudonym: 'p-a' },
        { origin: 'route:getMe', action: 'read', at: '2026-12-01T09:05:00.000Z', subjectPseudonym: 'p-b' },
        { origin: 'command:old-script', action: 'update', at: '2026-12-01T09:10:00.000Z', fields: ['users.createdAt'] },
        { origin: 'route:health', action: 'read', at: '2026-12-01T09:20:00.000Z', subjectPseudonym: 'p-c' },
        { origin: 'route:unrelated', action: 'read', at: '2026-12-01T09:30:00.000Z', subjectPseudonym: 'p-d', fields: ['sessions.subjectId'] },
      ],
    });

    const scope = await breachScope({ store: 'users', from: FROM, to: TO }, deps({ declarations }));

    expect(scope.accessed.entries).toBe(3);
    expect(scope.accessed.pseudonyms).toEqual(['p-a', 'p-b']);
    expect(scope.accessed.byOrigin).toEqual([
      expect.objectContaining({ origin: 'route:getMe', entries: 2, subjects: 2, actions: ['read'], declared: true }),
      expect.objectContaining({ origin: 'command:old-script', entries: 1, subjects: 0, actions: ['update'], declared: false }),
    ]);
    expect(scope.accessed.byOrigin[0]!.categories.length).toBeGreaterThan(0);
    expect(scope.categories).not.toContain('none');
  });

  it('reads each day of the window once per index shard', async () => {
    await breachScope({ store: 'users', from: '2026-12-01T12:00:00.000Z', to: '2026-12-03T01:00:00.000Z' }, deps({ indexShards: 2 }));
    const days = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues![':ds']);
    expect(days).toHaveLength(6);
    expect(new Set(days).size).toBe(6);
  });
});
