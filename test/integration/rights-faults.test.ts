/**
 * Erasure survives a crash after any of its steps: the worker is made to fail once right after recording each step (one
 * local cloud per three steps, since the fifth failed receive would send the job to the DLQ), and the redelivered job
 * resumes after the last recorded step, completes, verifies, and does no step twice.
 */
import { ERASURE_ORDER } from '../../lambdas/erasure-plan';
import { apiClient, createAdmin, documentClient, runOpsCommand, scanAll, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { settledForAdmin, subjectWithData } from './helpers/rights';

const deleting = ERASURE_ORDER.filter((s) => !['audit', 'rightsRequestQueue'].includes(s));
// Three crashes per request at most: with the first receive, that is four of the five before the DLQ.
const groups = Array.from({ length: Math.ceil(deleting.length / 3) }, (_, i) => deleting.slice(i * 3, i * 3 + 3));

describe.each(groups.map((steps) => [steps.join(', '), steps] as const))('a crash after each of %s', (_label, steps) => {
  let cloud: LocalCloudHandle;

  beforeAll(async () => {
    cloud = await startLocalCloudProcess(['--visibility-timeout', '2'], {
      PASSWORD_SCRYPT_LOG_N: '12',
      FMN_FAULT_AFTER_ERASURE_STEP: steps.join(','),
    });
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  it('is followed by a retry that resumes, completes and verifies', async () => {
    const call = apiClient(cloud);
    const admin = await createAdmin(cloud);
    const { token } = await subjectWithData(cloud);
    const created = await call('POST', '/v1/me/requests', { token, body: { type: 'erasure' } });
    expect(created.status).toBe(202);
    const done = await settledForAdmin(cloud, admin.token, created.body.requestId, 60_000);
    expect(done.status).toBe('completed');

    const receipt = (await call('GET', `/v1/erasure-receipts/${created.body.requestId}`, { headers: { 'x-receipt-token': created.body.receiptToken } })).body;
    expect(receipt.verification.ok).toBe(true);
    expect((receipt.steps as Json[]).map((s) => s.store)).toEqual(ERASURE_ORDER);

    // Each step ran to its record once: one erase entry per store on the subject's chain, and the chain is intact.
    const db = documentClient(cloud);
    const pseudonym = done.subjectId.slice('erased#'.length);
    const chain = (await scanAll(db, cloud.env.AUDIT_TABLE_NAME)).filter((e) => e.chainId === `subject#${pseudonym}` && e.action === 'erase');
    db.destroy();
    expect(chain.map((e) => e.fields[0]).sort()).toEqual(ERASURE_ORDER.map((s) => `${s}.*`).sort());
    expect((await runOpsCommand(cloud, 'audit-verify', ['--chain', `subject#${pseudonym}`])).code).toBe(0);
    // The injected crashes really happened.
    expect(cloud.output().match(/"errorClass":"InjectedFaultError"/g)?.length).toBe(steps.length);
  }, 120_000);
});
