/**
 * P7 (bench/p7-keys.ts) on small sizes: the key-distribution model stays runnable, covers every declared table and index
 * and every route, worker and job that writes, and the sharded keys keep the system above its target.
 */
import { declaredTargets, OPERATIONS, runP7, WRITES_NOTHING, P7_TARGET_PER_SECOND } from '../../bench/p7-keys';
import { authorizerFunction, createAdminCommand, routes, workers } from '../../lambdas/routes';
import { schedules } from '../../lambdas/schedules';
import { DEFAULT_INDEX_SHARDS } from '../../lambdas/domain/key-shards';

const result = runP7({ subjects: 20_000, requests: 200_000, dailyActive: 0.2, shards: DEFAULT_INDEX_SHARDS });

describe('P7 key distribution', () => {
  it('writes to every table and index the stateful stack declares', () => {
    const unmodelled = result.after.targets.filter((t) => t.writeUnits === 0).map((t) => t.target);
    expect(unmodelled).toEqual([]);
    expect(result.after.targets.map((t) => t.target).sort()).toEqual(declaredTargets().map((t) => t.target).sort());
  });

  // A route whose only write is its audit entry (a read of someone's data) adds nothing the model's reads do not already
  // cover; one that writes or deletes in any other store must be an operation of the model.
  it('models every route, worker and job that writes or deletes data besides its audit entry', () => {
    const modelled = new Set([...OPERATIONS.map((o) => o.id), ...WRITES_NOTHING]);
    const writers = [...routes, ...workers, ...schedules, authorizerFunction, createAdminCommand]
      .filter((d) => d.personalData.some((t) => t.store !== 'audit' && (t.access as readonly string[]).some((a) => a === 'write' || a === 'delete')))
      .map((d) => d.id)
      .filter((id) => !id.startsWith('webhookDispatcher'));
    expect(writers.filter((id) => !modelled.has(id))).toEqual([]);
  });

  it('finds the unsharded day index binding near 1,000 requests per second, and the sharded keys above the target', () => {
    expect(result.before.binding.target).toBe('audit.byDayShard');
    expect(result.before.binding.ceilingPerSecond).toBeLessThan(2_000);
    expect(result.after.binding.ceilingPerSecond).toBeGreaterThanOrEqual(P7_TARGET_PER_SECOND);
  });

  it('reports the outbox drain, a limit outside the keys, from the outbox writes of the day', () => {
    const outbox = result.after.targets.find((t) => t.target === 'consent.byOutbox')!;
    expect(result.drain.eventsPerDay).toBe(outbox.writeUnits);
    expect(result.drain.ceilingPerSecond).toBe(Math.round((result.drain.capacityPerDay / outbox.writeUnits) * (200_000 / 86_400)));
  });
});
