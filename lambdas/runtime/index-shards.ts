/**
 * The shard count of the sharded index keys (`domain/key-shards.ts`), from `INDEX_SHARDS`: the API stack sets it on every
 * function from `-c indexShards` (default 32); the local cloud sets 4 (fewer queries for the start-up jobs and the tests).
 * Writers and readers must agree on it: change it only with `fmn keys reshard` (README, "How the keys spread").
 */
import { checkShardCount, DEFAULT_INDEX_SHARDS } from '../domain/key-shards';
import { intEnv } from './env';

export const INDEX_SHARDS_ENV = 'INDEX_SHARDS';
/**
 * The local cloud's count (`npm start`, the tests, `fmn --local`): a few shards exercise the fan-out and the merge, and keep
 * the start-up jobs from querying 32 partitions per month or day (the retention job looks back years).
 */
export const LOCAL_INDEX_SHARDS = 4;

/** Read on each call (a string to number, cheap): the local cloud and the tests set it after modules are loaded. */
export function indexShards(): number {
  return checkShardCount(intEnv(INDEX_SHARDS_ENV, DEFAULT_INDEX_SHARDS), INDEX_SHARDS_ENV);
}
