/** The sharded index keys (lambdas/domain/key-shards.ts) and the once-a-day activity write (domain/accounts.ts). */
import { activityDue } from '../../lambdas/domain/accounts';
import { allShardKeys, checkShardCount, shardedKey, shardKey, shardOf, unsharded } from '../../lambdas/domain/key-shards';

describe('key shards', () => {
  it('suffixes a value with a two-digit shard, also with one shard, and lists every shard of a value in order', () => {
    expect(shardKey('2026-12-04', 7)).toBe('2026-12-04#07');
    expect(shardedKey('pending', 'any-subject', 1)).toBe('pending#00');
    expect(allShardKeys('2026-12', 3)).toEqual(['2026-12#00', '2026-12#01', '2026-12#02']);
  });

  it('takes the shard from the seed: stable, within the count, and spread over every shard', () => {
    const seeds = Array.from({ length: 3_200 }, (_, i) => `subject#${i.toString(16).padStart(64, '0')}`);
    const counts = new Array<number>(32).fill(0);
    for (const seed of seeds) {
      const shard = shardOf(seed, 32);
      expect(shard).toBe(shardOf(seed, 32));
      counts[shard]++;
    }
    // 100 a shard on average: none empty, none more than twice its share
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeLessThan(200);
  });

  it('recovers the value a key was built from, and leaves an unsharded value alone', () => {
    expect(unsharded('2026-12-04#07')).toBe('2026-12-04');
    expect(unsharded('pending')).toBe('pending');
    expect(unsharded('2026-12')).toBe('2026-12');
  });

  it('refuses a count outside 1–256, naming the setting', () => {
    expect(checkShardCount(32)).toBe(32);
    for (const bad of [0, 257, 2.5, Number.NaN]) expect(() => checkShardCount(bad, 'INDEX_SHARDS')).toThrow(/INDEX_SHARDS must be an integer from 1 to 256/);
  });
});

describe('activityDue', () => {
  const now = new Date('2026-12-06T10:00:00.000Z');

  it('writes the activity on the first login of a day only', () => {
    expect(activityDue({}, now)).toBe(true);
    expect(activityDue({ lastActiveAt: '2026-12-05T23:59:59.999Z' }, now)).toBe(true);
    expect(activityDue({ lastActiveAt: '2026-12-06T00:00:00.000Z' }, now)).toBe(false);
  });

  it('always writes it while an inactivity notice stands: the login withdraws the notice', () => {
    expect(activityDue({ lastActiveAt: '2026-12-06T08:00:00.000Z', inactivityNoticeAt: '2026-12-06T09:00:00.000Z' }, now)).toBe(true);
  });
});
