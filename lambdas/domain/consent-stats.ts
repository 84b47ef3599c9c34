/**
 * Consent figures that scale: counters kept exact by the ledger's own transactions, never a Scan.
 *
 * Every state of a topic's projection falls in one bucket (purpose × policy version × status, and for a grant the day it
 * lapses). A decision moves its subject from the bucket of the old projection to the bucket of the new one: the adapter
 * adds -1 and +1 to those counters, and +1 to the day's counter of the action, in the transaction that appends the event,
 * so the figures are exactly the sum of the projections. Erasure, which deletes projections, takes its -1 in the same
 * transaction as the delete.
 *
 * The counters are sharded: each write picks a shard at random, so no single item takes every consent change in the system
 * (it would serialise them and make concurrent transactions conflict), and a transaction cancelled by a conflict on a
 * counter retries on another one. A shard may go negative (the -1 lands elsewhere than the +1 did); only the sum over the
 * shards means anything, and readers read them all.
 *
 * Expiry depends on the time of reading, so grants are counted by the UTC day they lapse: "expired" is a sum over the days
 * before today, and the grants lapsing today are a figure of their own (some of them have lapsed by now, some not).
 */
import { PURPOSE_IDS, policyHash, purposeOf, type PurposeId } from '../purposes';
import { consentView, RESTRICTION, type ConsentAction, type ConsentEvent, type ConsentState, type ConsentTopic, type PurposeConsentView } from './consent';
import { NotFound } from './errors';

/**
 * Shards of the counters. Fixed, not the deployment's `INDEX_SHARDS`: writers pick a shard at random, so a reader must read
 * every shard ever written, and a changed count would hide counters. A shard is one partition key value (about 1,000 write
 * units a second) taking 1/64 of the counter writes: in the P7 model (bench/p7-keys.ts, test sizes) the consent table's
 * ceiling is then about 30,000 requests a second, above the audit day index that binds (with 32 shards the counters bound
 * first, near 24,000). A read queries 64 small partitions in parallel.
 */
export const CONSENT_STATS_SHARDS = 64;
/** The partition of one shard of the counters, in the consent table (`stats#07`): no subject's partition looks like it. */
export const statsPartition = (shard: number) => `stats#${String(shard).padStart(2, '0')}`;

/** What a projection says, as counted. */
export type CountedStatus = 'granted' | 'withdrawn' | 'objected' | 'unobjected' | 'restricted' | 'lifted';

const STATUS_OF: Record<ConsentAction, CountedStatus> = {
  grant: 'granted',
  withdraw: 'withdrawn',
  object: 'objected',
  'withdraw-objection': 'unobjected',
  restrict: 'restricted',
  'lift-restriction': 'lifted',
};

/** A UTC day, YYYY-MM-DD. */
const dayOf = (iso: string) => iso.slice(0, 10);

/**
 * The counter a projection is counted in: `n#<topic>#<status>#<version>#<lapse day>` (`-` where there is none); undefined
 * for no projection.
 */
export function bucketOf(state: Pick<ConsentState, 'topic' | 'lastAction' | 'policyVersion' | 'validUntil'> | undefined): string | undefined {
  if (!state) return undefined;
  const status = STATUS_OF[state.lastAction];
  const lapses = status === 'granted' && state.validUntil ? dayOf(state.validUntil) : '-';
  return `n#${state.topic}#${status}#${state.policyVersion ?? '-'}#${lapses}`;
}

/** The day counter of an action: `d#<day>#<topic>#<action>`; days sort, so a range of days is a range of keys. */
export const dayBucketOf = (at: string, topic: ConsentTopic, action: ConsentAction) => `d#${dayOf(at)}#${topic}#${action}`;

/**
 * The counter changes of one decision: the subject leaves the old projection's bucket and enters the new one's, and the
 * day's count of the action grows. A decision that leaves the bucket as it was (a second grant on the same day) changes
 * only the day's count: a transaction may not touch one item twice, and the change would be zero anyway.
 */
export function decisionDeltas(before: ConsentState | undefined, after: ConsentState): Map<string, number> {
  const deltas = new Map<string, number>();
  const add = (bucket: string | undefined, delta: number) => {
    if (bucket === undefined) return;
    const sum = (deltas.get(bucket) ?? 0) + delta;
    if (sum === 0) deltas.delete(bucket);
    else deltas.set(bucket, sum);
  };
  add(bucketOf(before), -1);
  add(bucketOf(after), +1);
  add(dayBucketOf(after.at, after.topic, after.lastAction), +1);
  return deltas;
}

/** The counter changes of erasing projections (they leave their buckets; the days keep what happened). */
export function erasureDeltas(states: readonly Pick<ConsentState, 'topic' | 'lastAction' | 'policyVersion' | 'validUntil'>[]): Map<string, number> {
  const deltas = new Map<string, number>();
  for (const state of states) {
    const bucket = bucketOf(state)!;
    deltas.set(bucket, (deltas.get(bucket) ?? 0) - 1);
  }
  return deltas;
}

/** One purpose and policy version, as the figures show it. */
export interface VersionFigures {
  readonly version: string;
  /** Whether this is the purpose's current policy version. */
  readonly current: boolean;
  /** Granted on a version at or after the purpose's re-consent line, lapsing after today (or never). */
  readonly granted: number;
  /** Granted, and lapsing today (UTC): some of these have lapsed by now. */
  readonly lapsingToday: number;
  /** Granted, lapsed before today. */
  readonly expired: number;
  /** Granted on a version older than the purpose's re-consent line: not valid until given again. */
  readonly needsReconsent: number;
  readonly withdrawn: number;
  /** Legitimate-interest purposes: subjects who object, and who withdrew their objection. */
  readonly objected: number;
  readonly objectionWithdrawn: number;
}

export interface PurposeFigures {
  readonly purpose: PurposeId;
  readonly lawfulBasis: string;
  readonly currentVersion: string;
  readonly reconsentFrom: string;
  /** Standing grants (any of granted, lapsing today, expired, needs re-consent) given on a version other than the current. */
  readonly onOutdatedVersion: number;
  readonly versions: VersionFigures[];
}

export interface DayCount {
  readonly day: string;
  readonly topic: ConsentTopic;
  readonly action: ConsentAction;
  readonly count: number;
}

export interface ConsentFigures {
  /** The day (UTC) expiry is counted against. */
  readonly today: string;
  readonly purposes: PurposeFigures[];
  /** Subjects whose processing is restricted now (Art. 18): it stops every purpose that does not continue under it. */
  readonly restricted: number;
  readonly days: DayCount[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const emptyVersion = (version: string, current: boolean): Mutable<VersionFigures> => ({
  version,
  current,
  granted: 0,
  lapsingToday: 0,
  expired: 0,
  needsReconsent: 0,
  withdrawn: 0,
  objected: 0,
  objectionWithdrawn: 0,
});

/**
 * The figures from the summed counters (`counts`: counter key → sum over the shards). Purposes without a choice (contract,
 * legal obligation) have no decisions and are left out.
 */
export function consentFigures(counts: ReadonlyMap<string, number>, now: Date): ConsentFigures {
  const today = now.toISOString().slice(0, 10);
  const byPurpose = new Map<PurposeId, Map<string, Mutable<VersionFigures>>>();
  const chosen = PURPOSE_IDS.filter((p) => purposeOf(p).lawfulBasis === 'consent' || purposeOf(p).objectable);
  for (const purpose of chosen) byPurpose.set(purpose, new Map());
  let restricted = 0;
  const days: DayCount[] = [];
  for (const [key, count] of counts) {
    const parts = key.split('#');
    if (parts[0] === 'd') {
      if (count !== 0) days.push({ day: parts[1], topic: parts[2] as ConsentTopic, action: parts[3] as ConsentAction, count });
      continue;
    }
    // a bucket everyone has left again (0 over its shards) is no row
    if (count === 0) continue;
    const [, topic, status, version, lapses] = parts as [string, string, CountedStatus, string, string];
    if (topic === RESTRICTION) {
      if (status === 'restricted') restricted += count;
      continue;
    }
    const versions = byPurpose.get(topic as PurposeId);
    // A purpose no longer declared keeps its counters; it has no row to show them in.
    if (!versions) continue;
    const declaration = purposeOf(topic as PurposeId);
    const row = versions.get(version) ?? emptyVersion(version, version === declaration.policy.version);
    versions.set(version, row);
    switch (status) {
      case 'granted':
        // The order of `decide`: an outdated version needs re-consent whether or not it has lapsed.
        if (version === '-' || version < declaration.reconsentFrom) row.needsReconsent += count;
        else if (lapses === '-' || lapses > today) row.granted += count;
        else if (lapses === today) row.lapsingToday += count;
        else row.expired += count;
        break;
      case 'withdrawn':
        row.withdrawn += count;
        break;
      case 'objected':
        row.objected += count;
        break;
      case 'unobjected':
        row.objectionWithdrawn += count;
        break;
    }
  }
  const purposes = chosen.map((purpose): PurposeFigures => {
    const declaration = purposeOf(purpose);
    const versions = byPurpose.get(purpose)!;
    if (!versions.has(declaration.policy.version)) versions.set(declaration.policy.version, emptyVersion(declaration.policy.version, true));
    const rows = [...versions.values()].sort((a, b) => (a.version < b.version ? 1 : a.version > b.version ? -1 : 0));
    return {
      purpose,
      lawfulBasis: declaration.lawfulBasis,
      currentVersion: declaration.policy.version,
      reconsentFrom: declaration.reconsentFrom,
      onOutdatedVersion: rows.filter((r) => !r.current).reduce((sum, r) => sum + r.granted + r.lapsingToday + r.expired + r.needsReconsent, 0),
      versions: rows,
    };
  });
  days.sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : `${a.topic}#${a.action}` < `${b.topic}#${b.action}` ? -1 : 1));
  return { today, purposes, restricted, days };
}

/** The longest range of days one request may ask for. */
export const MAX_STATS_DAYS = 366;

// ---- proof of consent ---------------------------------------------------------------------------------------------

export class ConsentDecisionNotFoundError extends NotFound<'consent-decision-not-found'> {
  constructor() {
    super('consent-decision-not-found', {});
  }
}

/** What a receipt proves (Art. 7(1)): the decision in force, the ledger event it is, and the policy text it was made on. */
export interface ConsentReceipt {
  readonly subjectId: string;
  readonly purpose: PurposeId;
  readonly purposeTitle: string;
  readonly lawfulBasis: string;
  /** What the decision means now, as the gate decides it (restriction aside). */
  readonly status: PurposeConsentView['status'];
  readonly event: Omit<ConsentEvent, 'subjectId'>;
  readonly currentPolicyVersion: string;
  /** Whether the decision's policy hash is that of the text the service shows today (then `policyText` is that text). */
  readonly policyTextMatches: boolean;
  readonly policyText?: string;
  readonly issuedAt: string;
}

/**
 * The receipt of a subject's current decision on a purpose: the store finds the projection and the event it came from
 * (and records the read on the subject's chain); this shapes what they prove.
 */
export async function consentReceipt(
  decisions: { decision(subjectId: string, topic: ConsentTopic): Promise<{ state: ConsentState; event: ConsentEvent } | undefined> },
  subjectId: string,
  purpose: PurposeId,
  now: Date,
): Promise<ConsentReceipt> {
  const found = await decisions.decision(subjectId, purpose);
  if (!found) throw new ConsentDecisionNotFoundError();
  const declaration = purposeOf(purpose);
  const { subjectId: _s, ...event } = found.event;
  const view = consentView(new Map([[purpose, found.state]]), now).purposes.find((p) => p.purpose === purpose)!;
  const matches = event.policyHash === policyHash(purpose);
  return {
    subjectId,
    purpose,
    purposeTitle: declaration.title,
    lawfulBasis: declaration.lawfulBasis,
    status: view.status,
    event,
    currentPolicyVersion: declaration.policy.version,
    policyTextMatches: matches,
    ...(matches ? { policyText: declaration.policy.text } : {}),
    issuedAt: now.toISOString(),
  };
}
