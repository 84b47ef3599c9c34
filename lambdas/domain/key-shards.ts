/**
 * Write sharding of index partition keys that every request would otherwise write to one value (a day, a month, the
 * outbox). DynamoDB takes about 1,000 write units per second per partition key value, and a throttled index holds back the
 * writes of its table: one shared value caps the whole system. Such a key gets a shard suffix, `2026-12-04#07`, and the
 * readers query every shard of it in parallel and merge.
 *
 * The shard comes from a stable seed (the audit chain, the subject), so one subject's items stay in one shard: a reader
 * that knows the subject can go straight to it, and a subject's entries stay in order within their shard.
 */

/** Shards per sharded key on AWS (`-c indexShards`): 32 × 1,000 write units is far above the target load (bench P7). */
export const DEFAULT_INDEX_SHARDS = 32;
/** Above this the readers' fan-out (one query per shard, per day for the audit) costs more than any write load needs. */
export const MAX_INDEX_SHARDS = 256;

export function checkShardCount(shards: number, name = 'indexShards'): number {
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_INDEX_SHARDS) {
    throw new Error(`${name} must be an integer from 1 to ${MAX_INDEX_SHARDS}, got ${shards}`);
  }
  return shards;
}

/** FNV-1a (32 bit): fast, stable across runtimes, and spreads ids and pseudonyms evenly; no secrecy is needed here. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function shardOf(seed: string, shards: number): number {
  return fnv1a(seed) % shards;
}

/** `value#NN`: always suffixed (also with one shard), so an unsharded value written before sharding stands out. */
export function shardKey(value: string, shard: number): string {
  return `${value}#${String(shard).padStart(2, '0')}`;
}

export function shardedKey(value: string, seed: string, shards: number): string {
  return shardKey(value, shardOf(seed, shards));
}

/** Every shard of a value, in shard order: what a reader queries. */
export function allShardKeys(value: string, shards: number): string[] {
  return Array.from({ length: shards }, (_, shard) => shardKey(value, shard));
}

/** The value a sharded key was built from (`2026-12-04#07` → `2026-12-04`); an unsharded value is returned as it is. */
export function unsharded(key: string): string {
  const at = key.lastIndexOf('#');
  return at >= 0 && /^\d+$/.test(key.slice(at + 1)) ? key.slice(0, at) : key;
}
