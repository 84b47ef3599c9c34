/**
 * Retention enforced without anyone remembering: every store whose inventory entry promises a TTL has that TTL attribute
 * enabled in the synthesized stateful stack (which the local cloud is also built from), the exports bucket expires its
 * objects, and the writes that create expiring items set the attribute: sessions at login, audit entries, rights
 * requests when they finish. DynamoDB is mocked at the SDK edge only; the integration suite checks the same on the real
 * local cloud.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { AuditTrail, type AuditContext } from '../../lambdas/adapters/dynamo-audit';
import { DynamoSessionStore } from '../../lambdas/adapters/dynamo-accounts';
import { DynamoRightsStore } from '../../lambdas/adapters/dynamo-rights';
import { DynamoIncidents } from '../../lambdas/adapters/dynamo-incidents';
import { INCIDENT_RETENTION_YEARS } from '../../lambdas/retention-periods';
import { newSession } from '../../lambdas/domain/accounts';
import { FINISHED_REQUEST_RETENTION_YEARS } from '../../lambdas/domain/retention';
import { newRequest, type RightsRequest } from '../../lambdas/domain/rights';
import { inventory, type StoreId } from '../../lambdas/inventory';
import { RESOURCE_TAG, TABLE_IDS, type TableId } from '../../lambdas/runtime/resources';
import { TABLE_SHAPES, synthStatefulTemplate } from '../../lib/stateful-stack';

type Resource = { Type: string; Properties: Record<string, any> };

let resources: Resource[];
beforeAll(() => {
  resources = Object.values((synthStatefulTemplate('dev') as { Resources: Record<string, Resource> }).Resources);
});

const tagged = (type: string, id: string) =>
  resources.find((r) => r.Type === type && (r.Properties.Tags as { Key: string; Value: string }[] | undefined)?.some((t) => t.Key === RESOURCE_TAG && t.Value === id));

/** The stores issue 7 names as expiring by TTL, each with its attribute. */
const TTL_STORES: Partial<Record<TableId, string>> = {
  sessions: 'expiresAt',
  audit: 'expiresAt',
  analyticsEvents: 'expiresAt',
  rightsRequests: 'expiresAt',
  loginThrottle: 'expiresAt',
  incidents: 'expiresAt',
};

describe('TTL attributes in the stateful stack', () => {
  it.each(Object.entries(TTL_STORES))('%s: TTL on %s is enabled in the template', (id, attribute) => {
    expect(TABLE_SHAPES[id as TableId].timeToLiveAttribute).toBe(attribute);
    expect(tagged('AWS::DynamoDB::Table', id)?.Properties.TimeToLiveSpecification).toEqual({ AttributeName: attribute, Enabled: true });
  });

  it('covers every table whose inventory retention promises a TTL', () => {
    // "no TTL" (the consent ledger, kept as proof) is a promise too: of the opposite.
    const promised = TABLE_IDS.filter((id) => /\bTTL\b/.test(inventory[id].retention) && !/\bno TTL\b/.test(inventory[id].retention));
    expect(promised.sort()).toEqual(Object.keys(TTL_STORES).sort());
  });

  it.each(['sessions', 'audit', 'analyticsEvents', 'rightsRequests', 'incidents'] as const)('%s: declares its TTL attribute in the inventory', (id) => {
    expect(Object.keys(inventory[id].fields)).toContain(TTL_STORES[id]);
  });

  it('the exports bucket expires objects after 7 days, as the inventory says', () => {
    const bucket = tagged('AWS::S3::Bucket', 'exports');
    expect(bucket?.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ ExpirationInDays: 7, Status: 'Enabled' })]),
    );
    expect(inventory.exports.retention).toMatch(/7 days/);
  });

  it('keeps the index the retention job queries sparse and keys-only', () => {
    const users = tagged('AWS::DynamoDB::Table', 'users');
    expect(users?.Properties.GlobalSecondaryIndexes).toEqual(
      expect.arrayContaining([
        {
          IndexName: 'byActivityMonth',
          KeySchema: [
            { AttributeName: 'activityMonth', KeyType: 'HASH' },
            { AttributeName: 'lastActiveAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ]),
    );
    for (const field of ['activityMonth', 'lastActiveAt'] as const) expect(inventory.users.fields).toHaveProperty(field);
  });
});

describe('writes set the TTL attribute', () => {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
  const dynamo = mockClient(DynamoDBDocumentClient);
  const now = new Date('2026-11-29T10:00:00.000Z');
  const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
  const context: AuditContext = {
    actorRole: 'worker',
    purpose: 'transparency',
    correlationId: 'c-1',
    origin: 'worker:test',
    declared: () => ({ fields: [], categories: [] }),
    categoriesOf: () => [],
    retentionDays: 395,
    now: () => now,
  };
  const trail = () => new AuditTrail(db, 'audit-table', { subject: async (id: string) => `p-${id}` }, context);
  const written = () => dynamo.commandCalls(TransactWriteCommand).flatMap((c) => c.args[0].input.TransactItems ?? []);

  beforeEach(() => {
    dynamo.reset();
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
  });

  it('audit: every entry expires retentionDays after it is written', async () => {
    await trail().transact([], { action: 'read', subjectId: 's-1' });
    const entry = written().find((i) => i.Put?.TableName === 'audit-table')!.Put!.Item!;
    expect(entry.expiresAt).toBe(epoch(now) + 395 * 86_400);
  });

  it('sessions: a login writes the session with its absolute expiry, and restarts the account retention clock', async () => {
    const { session } = newSession('s-1', ['subject'], 'Firefox on Linux', now, { idleSeconds: 3600, absoluteSeconds: 14 * 86_400 });
    await new DynamoSessionStore(db, 'sessions-table', trail(), () => 'users-table').put(session, { recordActivity: true });
    const items = written();
    expect(items.find((i) => i.Put?.TableName === 'sessions-table')!.Put!.Item!.expiresAt).toBe(epoch(now) + 14 * 86_400);
    const activity = items.find((i) => i.Update?.TableName === 'users-table')!.Update!;
    expect(activity.Key).toEqual({ subjectId: 's-1' });
    expect(activity.UpdateExpression).toBe(
      'SET lastActiveAt = :at, activityMonth = :month REMOVE inactivityNoticeAt, inactivityErasureAt, retentionErasureRequestId',
    );
    // The month carries a shard of the subject (domain/key-shards.ts).
    expect(activity.ExpressionAttributeValues).toEqual({ ':at': now.toISOString(), ':month': expect.stringMatching(/^2026-11#\d{2}$/) });
  });

  it('sessions: a put without recordActivity leaves the users table alone', async () => {
    const { session } = newSession('s-1', ['subject'], 'Firefox on Linux', now, { idleSeconds: 3600, absoluteSeconds: 86_400 });
    await new DynamoSessionStore(db, 'sessions-table', trail()).put(session);
    expect(written().some((i) => i.Update?.TableName === 'users-table')).toBe(false);
  });

  describe('rights requests', () => {
    const store = () => new DynamoRightsStore(db, 'requests-table', trail(), () => 'consent-table');
    const queued = (): RightsRequest => newRequest({ subjectId: 's-1', type: 'export', mode: 'automatic', now, dueAt: '2026-12-29' });
    const put = () => written().find((i) => i.Put?.TableName === 'requests-table')!.Put!.Item as RightsRequest;
    const threeYearsOn = (d: Date) => {
      const until = new Date(d);
      until.setUTCFullYear(d.getUTCFullYear() + FINISHED_REQUEST_RETENTION_YEARS);
      return epoch(until);
    };

    it('an open request has no expiry', async () => {
      await store().create(queued());
      expect(put().expiresAt).toBeUndefined();
      dynamo.resetHistory();
      await store().transition(queued(), 'in_progress', { by: 'worker' }, now);
      expect(put().expiresAt).toBeUndefined();
    });

    it.each(['completed', 'rejected'] as const)('%s: expires three years after it finished', async (status) => {
      const finishedAt = new Date('2027-02-01T08:30:00.000Z');
      const from = status === 'completed' ? { ...queued(), status: 'in_progress' as const } : queued();
      const next = await store().transition(from, status, { by: 'admin' }, finishedAt);
      expect(next.expiresAt).toBe(threeYearsOn(finishedAt));
      expect(put().expiresAt).toBe(threeYearsOn(finishedAt));
      expect(threeYearsOn(finishedAt)).toBe(Date.parse('2030-02-01T08:30:00.000Z') / 1000);
    });

    it('failed is not final (an admin may queue it again): no expiry yet', async () => {
      await store().transition({ ...queued(), status: 'in_progress' }, 'failed', { by: 'worker' }, now);
      expect(put().expiresAt).toBeUndefined();
    });
  });

  it(`incidents: every write keeps the record ${INCIDENT_RETENTION_YEARS} years after it`, async () => {
    const incident = {
      incidentId: 'i-1',
      awareAt: now.toISOString(),
      detectedAt: now.toISOString(),
      stores: ['users'],
      window: { from: now.toISOString(), to: now.toISOString() },
      description: 'x',
      nature: ['confidentiality' as const],
      status: 'open' as const,
      authorityNotice: {},
      subjectNotice: {},
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const later = new Date('2027-01-10T00:00:00.000Z');
    let at = now;
    const incidents = new DynamoIncidents(db, 'incidents-table', trail(), () => at);
    await incidents.create(incident);
    const put = () => written().filter((i) => i.Put?.TableName === 'incidents-table').at(-1)!.Put!.Item!;
    expect(put().expiresAt).toBe(epoch(now) + Math.round(INCIDENT_RETENTION_YEARS * 365.25 * 86_400));
    at = later;
    await incidents.replace(incident, { ...incident, status: 'closed', updatedAt: later.toISOString() }, ['incidents.status']);
    expect(put().expiresAt).toBe(epoch(later) + Math.round(INCIDENT_RETENTION_YEARS * 365.25 * 86_400));
  });
});

// The inventory ids used above exist (a renamed store must fail here, not silently skip).
it('names only stores of the inventory', () => {
  for (const id of Object.keys(TTL_STORES)) expect(Object.keys(inventory)).toContain(id as StoreId);
});
