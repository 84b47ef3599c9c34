/**
 * The consent figures' range as the query schema takes it: both ends optional, `to` defaulting to today (UTC), so a
 * `from` alone is held to the same rules (not after today, at most MAX_STATS_DAYS before it) as a full range.
 */
import * as z from 'zod/mini';
import { MAX_STATS_DAYS } from '../../lambdas/domain/consent-stats';
import { consentStatsQuery } from '../../lambdas/handlers/consent-stats.schema';

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const ok = (query: Record<string, string>) => z.safeParse(consentStatsQuery, query).success;

it('takes no range, a full range, or either end alone', () => {
  expect(ok({})).toBe(true);
  expect(ok({ from: day(-10), to: day(0) })).toBe(true);
  expect(ok({ from: day(-10) })).toBe(true);
  expect(ok({ to: day(-10) })).toBe(true);
});

it('refuses a from after to, or after today when to is left out', () => {
  expect(ok({ from: day(0), to: day(-1) })).toBe(false);
  expect(ok({ from: day(2) })).toBe(false);
});

it(`refuses a range of more than ${MAX_STATS_DAYS} days, counted to today when to is left out`, () => {
  expect(ok({ from: day(-(MAX_STATS_DAYS - 1)) })).toBe(true);
  expect(ok({ from: day(-(MAX_STATS_DAYS + 5)) })).toBe(false);
  expect(ok({ from: day(-(MAX_STATS_DAYS + 5)), to: day(-10) })).toBe(true);
});
