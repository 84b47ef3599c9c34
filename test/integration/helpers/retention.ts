/**
 * Helpers for the retention job in integration suites: run it once (in its own process, with the cloud's environment and a
 * fake clock in the event's `time`), age an account's last login, read an account's retention state; and
 * `driveRetentionJob`, which takes the job through every branch that touches data (notice, filing in automatic and in
 * manual mode, a hold that stops a filed erasure, the worker's erasure), for suites that check what the job touches.
 */
import { activityMonthKey } from '../../../lambdas/adapters/dynamo-accounts';
import { LOCAL_INDEX_SHARDS } from '../../../lambdas/runtime/index-shards';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { apiClient, newPerson, runOpsCommand, type Json } from './api';
import type { LocalCloudHandle } from './local-cloud';

export type JobResult = { counts: Record<string, number>; complete: boolean };

const DAY = 86_400_000;

/**
 * Runs the retention job once at `at` (the EventBridge event's time), in a child process with the cloud's environment.
 * `env` adds variables: RIGHTS_MODES for a manual run, FMN_FIELD_TRACE to trace its calls under `schedule:retention`.
 */
export async function runRetentionJob(cloud: LocalCloudHandle, at: Date, env: Record<string, string> = {}): Promise<JobResult> {
  const result = await runOpsCommand(cloud, 'run-job', ['retention', '--time', at.toISOString()], '', {
    ...cloud.env,
    FMN_RETENTION_FAKE_CLOCK: '1',
    ...env,
  });
  if (result.code !== 0) throw new Error(`retention job exited ${result.code}: ${result.stderr.slice(-800)}`);
  const line = result.stdout.split('\n').find((l) => l.startsWith('JOB_RESULT '));
  if (!line) throw new Error(`no JOB_RESULT line:\n${result.stdout.slice(-800)}`);
  return JSON.parse(line.slice('JOB_RESULT '.length)) as JobResult;
}

/** Arrange: the account's last login (and so its activity month) moved back, as if nobody had logged in since. */
export async function lastLoginMonthsAgo(cloud: LocalCloudHandle, db: DynamoDBDocumentClient, subjectId: string, months: number): Promise<void> {
  const at = new Date();
  at.setUTCMonth(at.getUTCMonth() - months);
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.USERS_TABLE_NAME,
      Key: { subjectId },
      UpdateExpression: 'SET lastActiveAt = :at, activityMonth = :month',
      ConditionExpression: 'attribute_exists(subjectId)',
      // The month with the subject's shard, as a login writes it (adapters/dynamo-accounts.ts), in the cloud's shard count.
      ExpressionAttributeValues: { ':at': at.toISOString(), ':month': activityMonthKey(subjectId, at.toISOString(), Number(cloud.env.INDEX_SHARDS ?? LOCAL_INDEX_SHARDS)) },
    }),
  );
}

export async function userItem(cloud: LocalCloudHandle, db: DynamoDBDocumentClient, subjectId: string): Promise<Json | undefined> {
  return (await db.send(new GetCommand({ TableName: cloud.env.USERS_TABLE_NAME, Key: { subjectId }, ConsistentRead: true }))).Item;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Every branch of the retention job that touches data, at today's time and 31 days ahead (accounts active today stay
 * active at both, so other scenarios sharing the cloud are left alone):
 * 1. two subjects, their last login aged 25 months; a run notices both (and the subject sees the notice);
 * 2. after the grace period, a run in manual mode files both erasures; a legal hold on the second stops its erasure (and
 *    the held subject's export is read with the hold on the account); the first is approved and erased by the worker;
 * 3. the hold is lifted;
 * 4. a third subject, noticed and filed alongside, restricts processing: the restriction rejects its filed erasure and
 *    withdraws the notice, and the next run counts it as restricted; the restriction is lifted.
 * Returns the subjects' ids. `env` is passed to every run (e.g. FMN_FIELD_TRACE).
 */
export async function driveRetentionJob(
  cloud: LocalCloudHandle,
  db: DynamoDBDocumentClient,
  adminToken: string,
  env: Record<string, string> = {},
): Promise<{ erased: string; held: string; restricted: string }> {
  const call = apiClient(cloud);
  const register = async () => {
    const person = newPerson();
    const answer = await call('POST', '/v1/accounts', { body: person });
    if (answer.status !== 201) throw new Error(`registration answered ${answer.status}`);
    return { subjectId: answer.body.account.subjectId as string, token: answer.body.session.token as string };
  };
  const [erased, held, restricting] = [await register(), await register(), await register()];
  for (const s of [erased, held, restricting]) await lastLoginMonthsAgo(cloud, db, s.subjectId, 25);

  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  await runRetentionJob(cloud, now, env);
  for (const s of [erased, held, restricting]) {
    const me = await call('GET', '/v1/me', { token: s.token });
    if (!me.body.inactivityNotice) throw new Error('no inactivity notice after the first run');
  }

  await runRetentionJob(cloud, new Date(now.getTime() + 31 * DAY), { ...env, RIGHTS_MODES: JSON.stringify({ erasure: 'manual' }) });
  const filed = async (subjectId: string) => (await userItem(cloud, db, subjectId))?.retentionErasureRequestId as string | undefined;
  const erasureId = await until('retention erasure filed', () => filed(erased.subjectId), 5_000);
  await until('retention erasure filed', () => filed(held.subjectId), 5_000);
  const restrictedErasureId = await until('retention erasure filed', () => filed(restricting.subjectId), 5_000);

  // The subject sees the filed request; an admin sees it in the queue of open requests.
  if ((await call('GET', '/v1/me/requests', { token: erased.token })).status !== 200) throw new Error('requests not listed');
  if ((await call('GET', `/v1/me/requests/${erasureId}`, { token: erased.token })).body.origin !== 'retention') throw new Error('no origin');
  if ((await call('GET', '/v1/admin/requests?type=erasure', { token: adminToken })).status !== 200) throw new Error('admin list failed');

  const hold = await call('PUT', `/v1/admin/subjects/${held.subjectId}/legal-hold`, { token: adminToken, body: { reason: 'Case 2026/1' } });
  if (hold.body.retentionErasure !== 'cancelled') throw new Error(`hold answered ${hold.status} ${JSON.stringify(hold.body.retentionErasure)}`);
  // An export while the hold is on: the worker reads the whole account, hold included.
  const exportRequest = await call('POST', '/v1/me/requests', { token: held.token, body: { type: 'export' } });
  if (exportRequest.status !== 202) throw new Error(`export answered ${exportRequest.status}`);
  await until('held export done', async () => {
    const r = await call('GET', `/v1/me/requests/${exportRequest.body.requestId}`, { token: held.token });
    return ['completed', 'failed'].includes(r.body.status) ? r.body : undefined;
  });

  if ((await call('POST', `/v1/admin/requests/${erasureId}/approve`, { token: adminToken })).status !== 200) throw new Error('approve failed');
  await until('retention erasure done', async () => ((await userItem(cloud, db, erased.subjectId)) ? undefined : true));
  if ((await call('DELETE', `/v1/admin/subjects/${held.subjectId}/legal-hold`, { token: adminToken })).status !== 200) throw new Error('lift failed');

  if ((await call('POST', '/v1/me/restriction', { token: restricting.token })).status !== 200) throw new Error('restriction failed');
  const stopped = await call('GET', `/v1/me/requests/${restrictedErasureId}`, { token: restricting.token });
  if (stopped.body.status !== 'rejected') throw new Error(`restricted account's erasure is ${stopped.body.status}`);
  // A minute after the first run: no grace period can be over, so the run only counts (a cloud whose own scheduler runs the
  // job at the real time may have noticed the held account again since its hold was lifted).
  const restrictedRun = await runRetentionJob(cloud, new Date(now.getTime() + 60_000), env);
  if (restrictedRun.counts.restricted < 1) throw new Error(`no restricted account counted: ${JSON.stringify(restrictedRun.counts)}`);
  if ((await call('DELETE', '/v1/me/restriction', { token: restricting.token })).status !== 200) throw new Error('lift restriction failed');
  return { erased: erased.subjectId, held: held.subjectId, restricted: restricting.subjectId };
}
