/**
 * `recordDecision` answers with the states after the decision, so a route needs no second read of the partition: they
 * equal what the store holds afterwards, also when a concurrent decision made the first append lose.
 */
import {
  recordDecision,
  stateAfter,
  type ConsentEvent,
  type ConsentState,
  type ConsentStore,
  type ConsentTopic,
} from '../../lambdas/domain/consent';

/** A ledger in memory; `interleave` lands another decision between the next read and append, as a concurrent request. */
function memoryStore() {
  const projection = new Map<ConsentTopic, ConsentState>();
  let interleave: ConsentEvent | undefined;
  let reads = 0;
  const store: ConsentStore = {
    states: async () => {
      reads++;
      return new Map(projection);
    },
    append: async (event, previous) => {
      const expectedSeq = previous?.seq ?? 0;
      if (interleave) {
        projection.set(interleave.topic, stateAfter(interleave));
        interleave = undefined;
      }
      if ((projection.get(event.topic)?.seq ?? 0) !== expectedSeq) return 'conflict';
      projection.set(event.topic, stateAfter(event));
      return 'ok';
    },
    history: async () => ({ events: [] }),
  };
  return { store, projection, reads: () => reads, interleave: (e: ConsentEvent) => (interleave = e) };
}

const input = { subjectId: 'sub-1', method: 'settings', clientId: 'web' } as const;
const now = () => new Date('2026-12-01T10:00:00.000Z');

it('answers with every topic as the store holds it after the decision, reading the partition once', async () => {
  const ledger = memoryStore();
  ledger.projection.set('analytics', { topic: 'analytics', seq: 3, lastAction: 'grant', at: '2026-11-01T00:00:00.000Z', method: 'signup' });
  const { event, states } = await recordDecision({ consents: ledger.store, now }, { ...input, topic: 'marketing-email', action: 'grant' });
  expect(event.seq).toBe(1);
  expect(states).toEqual(ledger.projection);
  expect(ledger.reads()).toBe(1);
});

it('answers with the state of the retry when a concurrent decision on the topic won the first append', async () => {
  const ledger = memoryStore();
  ledger.interleave({ subjectId: 'sub-1', eventId: 'other', topic: 'marketing-email', action: 'grant', seq: 1, method: 'api', at: '2026-12-01T09:59:59.000Z', clientId: 'ios' });
  const { event, states } = await recordDecision({ consents: ledger.store, now }, { ...input, topic: 'marketing-email', action: 'withdraw' });
  expect(event.seq).toBe(2);
  expect(states.get('marketing-email')).toMatchObject({ seq: 2, lastAction: 'withdraw' });
  expect(states).toEqual(ledger.projection);
});
