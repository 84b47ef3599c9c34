/**
 * The sharded index keys (lambdas/domain/key-shards.ts) on the real local cloud (4 shards):
 *   - `fmn keys reshard` moves items keyed before sharding (`2026-12`, `pending`, audit entries without `dayShard`) to the
 *     keys the readers query, and the admin audit search and the retention index find them again; a second run rewrites
 *     nothing;
 *   - the outbox drain takes batch after batch in one run, over every shard;
 *   - P8 (bench/p8-conflicts.ts) on a small size, so it cannot rot: subjects at once granting, withdrawing and reading,
 *     none failed, every accepted decision in the ledger.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runP8 } from '../../bench/p8-conflicts';
import { activityMonthKey } from '../../lambdas/adapters/dynamo-accounts';
import { dayShardOf } from '../../lambdas/adapters/dynamo-audit';
import { scanAll } from '../../lambdas/adapters/dynamo-paging';
import type { AuditEntry } from '../../lambdas/domain/audit';
import { shardedKey } from '../../lambdas/domain/key-shards';
import { LOCAL_INDEX_SHARDS } from '../../lambdas/runtime/index-shards';
import { apiClient, createAdmin, documentClient, newPerson, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const ROOT = join(__dirname, '..', '..');
let cloud: LocalCloudHandle;

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' });
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

function fmn(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(ROOT, 'bin', 'fmn.cjs'),
      [...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.dynamodb,
          AWS_ENDPOINT_URL_SQS: cloud.endpoints.sqsS3,
          AWS_ENDPOINT_URL_S3: cloud.endpoints.sqsS3,
          AWS_ENDPOINT_URL_KMS: cloud.endpoints.kms,
          NODE_NO_WARNINGS: '1',
          ...extraEnv,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const reshard = async (...extra: string[]) => {
  const run = await fmn(['keys', 'reshard', '--local', '--json', ...extra]);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return Object.fromEntries(
    run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Json)
      .map((row) => [row.key as string, row]),
  );
};

it('fmn keys reshard moves keys written before sharding to the shards the readers query, once', async () => {
  const call = apiClient(cloud);
  const db = documentClient(cloud);
  const admin = await createAdmin(cloud);
  const from = new Date(Date.now() - 1000).toISOString();
  const registration = await call('POST', '/v1/accounts', { body: newPerson() });
  expect(registration.status).toBe(201);
  const subjectId = registration.body.account.subjectId as string;
  const lastActiveAt = new Date().toISOString();

  // Arrange the keys as the code before sharding wrote them: the bare month, `pending`, entries without `dayShard`.
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.USERS_TABLE_NAME,
      Key: { subjectId },
      UpdateExpression: 'SET lastActiveAt = :at, activityMonth = :month',
      ExpressionAttributeValues: { ':at': lastActiveAt, ':month': lastActiveAt.slice(0, 7) },
    }),
  );
  const outboxKey = { subjectId, sk: 'outbox#test#legacy#nothing' };
  await db.send(new PutCommand({ TableName: cloud.env.CONSENT_TABLE_NAME, Item: { ...outboxKey, outbox: 'pending', at: lastActiveAt } }));
  const created = (await scanAll<AuditEntry & { dayShard?: string }>(db, { TableName: cloud.env.AUDIT_TABLE_NAME })).filter(
    (e) => e.seq > 0 && e.action === 'create' && e.at >= from,
  );
  expect(created.length).toBeGreaterThan(0);
  for (const entry of created) {
    await db.send(new UpdateCommand({ TableName: cloud.env.AUDIT_TABLE_NAME, Key: { chainId: entry.chainId, seq: entry.seq }, UpdateExpression: 'REMOVE dayShard' }));
  }
  const search = async () => {
    const page = await call('GET', `/v1/admin/audit?action=create&from=${encodeURIComponent(from)}&limit=100`, { token: admin.token });
    expect(page.status).toBe(200);
    return (page.body.entries as Json[]).map((e) => e.entryId);
  };
  // Invisible to the by-day search until their key is rewritten.
  expect(await search()).not.toEqual(expect.arrayContaining(created.map((e) => e.entryId)));

  const dry = await reshard('--dry-run');
  expect(dry['users.activityMonth'].rewritten).toBeGreaterThanOrEqual(1);
  expect(dry['consent.outbox'].rewritten).toBeGreaterThanOrEqual(1);
  expect(dry['audit.dayShard'].rewritten).toBeGreaterThanOrEqual(created.length);
  const first = await reshard();
  expect(first['audit.dayShard'].shards).toBe(LOCAL_INDEX_SHARDS);
  expect(first['audit.dayShard'].rewritten).toBeGreaterThanOrEqual(created.length);

  // The audit search finds the entries again; their dayShard is the chain's shard (not hashed: the chains still verify).
  expect(await search()).toEqual(expect.arrayContaining(created.map((e) => e.entryId)));
  const after = await scanAll<AuditEntry & { dayShard?: string }>(db, { TableName: cloud.env.AUDIT_TABLE_NAME });
  for (const entry of created) expect(after.find((e) => e.entryId === entry.entryId)!.dayShard).toBe(dayShardOf(entry, LOCAL_INDEX_SHARDS));
  expect((await fmn(['audit', 'verify', '--local'])).code).toBe(0);
  // The retention job's index finds the account in its month's shard.
  const month = activityMonthKey(subjectId, lastActiveAt, LOCAL_INDEX_SHARDS);
  const inMonth = await db.send(
    new QueryCommand({
      TableName: cloud.env.USERS_TABLE_NAME,
      IndexName: 'byActivityMonth',
      KeyConditionExpression: 'activityMonth = :m',
      ExpressionAttributeValues: { ':m': month },
    }),
  );
  expect(inMonth.Items!.map((i) => i.subjectId)).toContain(subjectId);
  // The outbox item is on a shard the drain reads (or the drain, which reads every shard, has already taken it).
  const outbox = await db.send(
    new QueryCommand({
      TableName: cloud.env.CONSENT_TABLE_NAME,
      KeyConditionExpression: 'subjectId = :s AND sk = :sk',
      ExpressionAttributeValues: { ':s': subjectId, ':sk': outboxKey.sk },
      ConsistentRead: true,
    }),
  );
  for (const item of outbox.Items ?? []) expect(item.outbox).toMatch(/^pending#0[0-3]$/);

  const second = await reshard();
  expect(Object.values(second).map((row) => row.rewritten)).toEqual([0, 0, 0]);
}, 180_000);

it('the outbox drain works a backlog off in one run, batch after batch, reading every shard', async () => {
  const call = apiClient(cloud);
  const db = documentClient(cloud);
  const registration = await call('POST', '/v1/accounts', { body: newPerson() });
  const subjectId = registration.body.account.subjectId as string;
  // 150 pending restriction events (every recipient hears of one), more than one batch of 100, on the subject's shard.
  const at = new Date().toISOString();
  for (let i = 0; i < 150; i++) {
    const id = randomUUID();
    const recipientEvent = { type: 'restriction-set', source: { kind: 'consent-event', id }, at };
    await db.send(
      new PutCommand({
        TableName: cloud.env.CONSENT_TABLE_NAME,
        Item: { subjectId, sk: `outbox#consent-event#${id}#restriction-set`, outbox: shardedKey('pending', subjectId, LOCAL_INDEX_SHARDS), at, recipientEvent },
      }),
    );
  }
  // `--local` names tables, keys and queues; the topic and its endpoint come from the cloud's environment.
  const topic = Object.fromEntries(Object.entries(cloud.env).filter(([name]) => /^((RECIPIENT_.*|SUBJECT_EVENTS)_TOPIC_ARN|AWS_ENDPOINT_URL_SNS)$/.test(name)));
  const run = await fmn(['job', 'run', 'drainRecipientOutbox', '--local', '--json'], topic);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  expect((JSON.parse(run.stdout.trim()) as Json).result).toMatchObject({ failed: 0 });
  // Whatever the local cloud's own schedule took meanwhile, nothing is left after the one run.
  const left = await db.send(
    new QueryCommand({
      TableName: cloud.env.CONSENT_TABLE_NAME,
      KeyConditionExpression: 'subjectId = :s AND begins_with(sk, :o)',
      ExpressionAttributeValues: { ':s': subjectId, ':o': 'outbox#' },
      ConsistentRead: true,
    }),
  );
  expect(left.Items).toEqual([]);
}, 180_000);

it('P8 on a small size: concurrent subjects grant, withdraw and read; no request fails and no accepted write is lost', async () => {
  const result = await runP8({ subjects: 12, rounds: 2, scryptLogN: 12, log: () => {}, cloud });
  expect(result.requests).toBe(12 * 2 * 3);
  expect({ failures: result.failures, statuses: result.failureStatuses }).toEqual({ failures: 0, statuses: {} });
  expect(result.acceptedWrites).toBe(12 * 2 * 2);
  expect(result.ledgerEvents).toBeGreaterThanOrEqual(result.acceptedWrites);
  expect(result.allPresent).toBe(true);
}, 180_000);
