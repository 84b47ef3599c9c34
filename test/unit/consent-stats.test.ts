/**
 * The consent figures' arithmetic: a decision moves one count from the old projection's bucket to the new one's and adds
 * one to its day; summing the deltas of any sequence of decisions gives the figures of the final projections.
 */
import { bucketOf, consentFigures, decisionDeltas, erasureDeltas } from '../../lambdas/domain/consent-stats';
import { decide, stateAfter, type ConsentEvent, type ConsentState, type ConsentTopic } from '../../lambdas/domain/consent';
import { purposes } from '../../lambdas/purposes';

const now = new Date('2026-12-06T12:00:00.000Z');
const current = purposes.analytics.policy.version;

const state = (topic: ConsentTopic, lastAction: ConsentState['lastAction'], extra: Partial<ConsentState> = {}): ConsentState => ({
  topic,
  seq: 1,
  lastAction,
  at: '2026-12-06T10:00:00.000Z',
  method: 'settings',
  policyVersion: topic === 'restriction' ? undefined : current,
  ...extra,
});

const sum = (...maps: Map<string, number>[]) => {
  const total = new Map<string, number>();
  for (const map of maps) for (const [k, v] of map) total.set(k, (total.get(k) ?? 0) + v);
  return total;
};

describe('decisionDeltas', () => {
  it('moves the subject from the old bucket to the new one and counts the action on its day', () => {
    const before = state('analytics', 'grant', { validUntil: '2027-12-06T10:00:00.000Z' });
    const after = state('analytics', 'withdraw', { seq: 2 });
    expect(decisionDeltas(before, after)).toEqual(
      new Map([
        [`n#analytics#granted#${current}#2027-12-06`, -1],
        [`n#analytics#withdrawn#${current}#-`, 1],
        ['d#2026-12-06#analytics#withdraw', 1],
      ]),
    );
  });

  it('counts a first decision without taking from any bucket', () => {
    expect([...decisionDeltas(undefined, state('restriction', 'restrict')).keys()]).toEqual(['n#restriction#restricted#-#-', 'd#2026-12-06#restriction#restrict']);
  });

  it('leaves out a bucket the decision does not change (one transaction may not touch an item twice)', () => {
    const grant = state('analytics', 'grant', { validUntil: '2027-12-06T10:00:00.000Z' });
    expect(decisionDeltas(grant, { ...grant, seq: 2 })).toEqual(new Map([['d#2026-12-06#analytics#grant', 1]]));
  });
});

describe('consentFigures', () => {
  it('classifies as decide does: re-consent first, then expiry by day, lapsing today on its own', () => {
    const projections: ConsentState[] = [
      state('analytics', 'grant', { validUntil: '2027-01-01T00:00:00.000Z' }),
      state('analytics', 'grant', { validUntil: '2026-12-06T18:00:00.000Z' }),
      state('analytics', 'grant', { validUntil: '2026-12-01T00:00:00.000Z' }),
      state('analytics', 'grant', { policyVersion: '2020-01-01', validUntil: '2021-01-01T00:00:00.000Z' }),
      state('analytics', 'withdraw'),
      state('product-improvement', 'object'),
      state('product-improvement', 'withdraw-objection'),
      state('restriction', 'restrict'),
      state('restriction', 'lift-restriction'),
    ];
    const figures = consentFigures(sum(...projections.map((p) => decisionDeltas(undefined, p))), now);
    const analytics = figures.purposes.find((p) => p.purpose === 'analytics')!;
    expect(analytics.versions.find((v) => v.version === current)).toMatchObject({ current: true, granted: 1, lapsingToday: 1, expired: 1, withdrawn: 1, needsReconsent: 0 });
    expect(analytics.versions.find((v) => v.version === '2020-01-01')).toMatchObject({ current: false, needsReconsent: 1, expired: 0 });
    expect(analytics.onOutdatedVersion).toBe(1);
    expect(figures.purposes.find((p) => p.purpose === 'product-improvement')!.versions[0]).toMatchObject({ objected: 1, objectionWithdrawn: 1 });
    expect(figures.restricted).toBe(1);
    expect(figures.purposes.map((p) => p.purpose)).toEqual(['marketing-email', 'analytics', 'product-improvement']);
    // the grant's decide agrees with where it was counted
    expect(decide('analytics', new Map([['analytics', projections[2]]]), now)).toEqual({ allowed: false, reason: 'expired' });
  });

  it('equals the figures of the final projections after any sequence of decisions, shards and erasure included', () => {
    // a random walk of decisions per subject; deltas summed in any order (the shards), then some subjects erased
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const actions = ['grant', 'withdraw'] as const;
    const finals: ConsentState[] = [];
    const all: Map<string, number>[] = [];
    for (let subject = 0; subject < 50; subject++) {
      let projection: ConsentState | undefined;
      for (let seq = 1; seq <= 1 + Math.floor(random() * 6); seq++) {
        const event: ConsentEvent = {
          subjectId: `s${subject}`,
          eventId: `e${seq}`,
          topic: 'marketing-email',
          action: actions[Math.floor(random() * 2)],
          seq,
          policyVersion: random() < 0.2 ? '2020-01-01' : current,
          method: 'api',
          at: `2026-12-0${1 + Math.floor(random() * 5)}T00:00:00.000Z`,
          clientId: 'web',
          validUntil: random() < 0.5 ? '2026-12-02T00:00:00.000Z' : '2028-12-02T00:00:00.000Z',
        };
        const next = stateAfter(event);
        all.push(decisionDeltas(projection, next));
        projection = next;
      }
      if (subject % 10 === 0) all.push(erasureDeltas([projection!]));
      else finals.push(projection!);
    }
    const fromDeltas = consentFigures(sum(...all.reverse()), now);
    const fromProjections = consentFigures(sum(...finals.map((p) => decisionDeltas(undefined, p))), now);
    expect(fromDeltas.purposes).toEqual(fromProjections.purposes);
    const rows = fromDeltas.purposes.find((p) => p.purpose === 'marketing-email')!.versions;
    expect(rows.reduce((n, r) => n + r.granted + r.expired + r.needsReconsent + r.withdrawn + r.lapsingToday, 0)).toBe(45);
  });

  it('names no bucket for no projection', () => {
    expect(bucketOf(undefined)).toBeUndefined();
  });
});
