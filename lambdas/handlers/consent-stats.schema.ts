import * as z from 'zod/mini';
import { lazySchema } from '../http/route-definition';
import { MAX_STATS_DAYS } from '../domain/consent-stats';
import { purposeId } from './consent.schema';

const DAY_MS = 86_400_000;

/** A range of UTC days; both ends optional (the handler fills in the last 30 days), at most `MAX_STATS_DAYS` long. */
export const consentStatsQuery = z
  .strictObject({
    from: z.optional(z.iso.date()).check(z.describe('First day (UTC), inclusive. Default: 29 days before `to`.')),
    to: z.optional(z.iso.date()).check(z.describe('Last day (UTC), inclusive. Default: today.')),
  })
  // A missing `to` is today (UTC), as the handler fills it in: `from` alone is checked against today too.
  .check(
    z.refine((q) => !q.from || q.from <= effectiveTo(q.to), { message: '`from` must not be after `to` (default: today)', path: ['from'] }),
    z.refine((q) => !q.from || (Date.parse(effectiveTo(q.to)) - Date.parse(q.from)) / DAY_MS < MAX_STATS_DAYS, {
      message: `The range may span at most ${MAX_STATS_DAYS} days`,
      path: ['from'],
    }),
  );

function effectiveTo(to: string | undefined): string {
  return to ?? new Date().toISOString().slice(0, 10);
}

const count = () => z.int().check(z.describe('Subjects (sum of the counters over their shards).'));

export const consentStats = lazySchema(() =>
  z
    .object({
      from: z.iso.date(),
      to: z.iso.date(),
      today: z.iso.date().check(z.describe('The UTC day expiry is counted against: grants lapsing on it are `lapsingToday`.')),
      purposes: z.array(
        z.object({
          purpose: purposeId,
          lawfulBasis: z.string(),
          currentVersion: z.string(),
          reconsentFrom: z.string(),
          onOutdatedVersion: count().check(z.describe('Standing grants given on a policy version other than the current one.')),
          versions: z.array(
            z.object({
              version: z.string(),
              current: z.boolean(),
              granted: count(),
              lapsingToday: count(),
              expired: count(),
              needsReconsent: count(),
              withdrawn: count(),
              objected: count(),
              objectionWithdrawn: count(),
            }),
          ),
        }),
      ),
      restricted: count().check(z.describe('Subjects whose processing is restricted now (Art. 18).')),
      days: z.array(
        z.object({
          day: z.iso.date(),
          topic: z.string().check(z.describe('A purpose id, or `restriction`.')),
          action: z.enum(['grant', 'withdraw', 'object', 'withdraw-objection', 'restrict', 'lift-restriction']),
          count: z.int(),
        }),
      ).check(z.describe('Decisions per day, topic and action in the range; days without any are left out.')),
    })
    .register(z.globalRegistry, { id: 'ConsentStats' }),
);

export const consentReceipt = lazySchema(() =>
  z
    .object({
      subjectId: z.uuid(),
      purpose: purposeId,
      purposeTitle: z.string(),
      lawfulBasis: z.string(),
      status: z.enum(['granted', 'not-granted', 'withdrawn', 'needs-reconsent', 'expired', 'objected', 'restricted', 'not-applicable']),
      event: z.object({
        eventId: z.uuid(),
        topic: z.string(),
        action: z.enum(['grant', 'withdraw', 'object', 'withdraw-objection', 'restrict', 'lift-restriction']),
        seq: z.int(),
        policyVersion: z.optional(z.string()),
        policyHash: z.optional(z.string()),
        method: z.enum(['signup', 'settings', 'api', 'admin-on-behalf']),
        at: z.iso.datetime(),
        clientId: z.string(),
        validUntil: z.optional(z.iso.datetime()),
      }),
      currentPolicyVersion: z.string(),
      policyTextMatches: z.boolean().check(z.describe('Whether the decision\'s policy hash is that of the text shown today.')),
      policyText: z.optional(z.string()).check(z.describe('The policy text the decision was made on, when it is today\'s text.')),
      issuedAt: z.iso.datetime(),
    })
    .register(z.globalRegistry, { id: 'ConsentReceipt' }),
);
