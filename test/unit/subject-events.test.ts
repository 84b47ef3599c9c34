/**
 * Telling the subject (domain/subject-events.ts): which writes of a rights request become events, with what, and the
 * stable ids a mailer deduplicates on. The events are built from the request as written, so these cases are the state
 * machine's own moves (through the use cases' plain functions), not hand-made histories.
 */
import { newRequest, withoutFreeText, type RightsRequest } from '../../lambdas/domain/rights';
import { SUBJECT_EVENT_FORMAT, SUBJECT_EVENT_KEYS, subjectEventsOf } from '../../lambdas/domain/subject-events';

const subjectId = '0b7f1c2e-0000-4000-8000-000000000002';
const at = new Date('2026-12-05T10:00:00.000Z');
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000).toISOString();

/** What `DynamoRightsStore.transition` writes: the state, a history entry, the time. */
function moved(request: RightsRequest, status: RightsRequest['status'], by: string, seconds: number, extra: Partial<RightsRequest> = {}, note?: string): RightsRequest {
  return { ...request, ...extra, status, history: [...request.history, { status, at: later(seconds), by, ...(note ? { note } : {}) }], updatedAt: later(seconds) };
}

describe('subjectEventsOf', () => {
  const filed = newRequest({ subjectId, type: 'export', mode: 'automatic', now: at, dueAt: '2027-01-05' });

  it('tells of each state a new request is filed through, in order, by subject id', () => {
    const pending = subjectEventsOf(undefined, filed)!;
    expect(pending).toMatchObject({ subjectId, requestId: filed.requestId, firstSequence: 0, at: at.toISOString() });
    expect(pending.events).toEqual(
      ['received', 'verified', 'queued'].map((status, sequence) => ({
        format: SUBJECT_EVENT_FORMAT,
        eventId: `${filed.requestId}:${sequence}`,
        kind: 'status',
        requestId: filed.requestId,
        requestType: 'export',
        status,
        sequence,
        at: at.toISOString(),
        dueAt: '2027-01-05',
        by: sequence === 2 ? 'system' : 'subject',
        subject: { subjectId },
      })),
    );
  });

  it('tells of a completed export that it can be downloaded, with an id that continues the sequence', () => {
    const running = moved(filed, 'in_progress', 'worker', 1);
    const done = moved(running, 'completed', 'worker', 2, { exportKeys: { json: 'a.json', csv: 'a.csv' } });
    const events = subjectEventsOf(running, done)!.events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 'completed', sequence: 4, eventId: `${filed.requestId}:4`, downloadable: true });
  });

  it('carries the reason written for the subject with a rejection, and an extension as its own kind with the new date', () => {
    const rejected = moved(filed, 'rejected', 'admin', 5, {}, 'We could not confirm the request came from you.');
    expect(subjectEventsOf(filed, rejected)!.events[0]).toMatchObject({ kind: 'status', status: 'rejected', reason: 'We could not confirm the request came from you.' });

    const extension = { dueAt: '2027-03-05', months: 2, reason: 'The request covers many years of records.', at: later(9) };
    const extended: RightsRequest = {
      ...filed,
      dueAt: extension.dueAt,
      extension,
      history: [...filed.history, { status: 'queued', at: later(9), by: 'admin', note: `deadline extended to 2027-03-05: ${extension.reason}` }],
    };
    expect(subjectEventsOf(filed, extended)!.events).toEqual([
      expect.objectContaining({ kind: 'extended', status: 'queued', dueAt: '2027-03-05', reason: extension.reason, sequence: 3 }),
    ]);
  });

  it('tells nothing of a write that adds no history (an erasure step, a move to the state it was in)', () => {
    const running = moved(filed, 'in_progress', 'worker', 1);
    expect(subjectEventsOf(running, { ...running, erasureSteps: [], updatedAt: later(3) })).toBeUndefined();
  });

  it('sends neither the subject id nor free text once the subject is erased, and keeps the item under the pseudonym', () => {
    const erasure = newRequest({ subjectId, type: 'erasure', mode: 'automatic', now: at, dueAt: '2027-01-05' });
    const running = moved(erasure, 'in_progress', 'worker', 1);
    const done = withoutFreeText(moved(running, 'completed', 'worker', 2, { subjectId: 'erased#pseudo' }));
    const pending = subjectEventsOf(running, done)!;
    expect(pending.subjectId).toBe('erased#pseudo');
    expect(pending.events[0]).toMatchObject({ status: 'completed', subjectErased: true });
    expect(pending.events[0]).not.toHaveProperty('subject');
    expect(JSON.stringify(pending.events)).not.toContain(subjectId);
  });

  it('puts no key on an event beyond the declared ones', () => {
    const rejected = moved(filed, 'rejected', 'admin', 5, {}, 'No.');
    for (const event of [...subjectEventsOf(undefined, filed)!.events, ...subjectEventsOf(filed, rejected)!.events]) {
      expect(Object.keys(event).filter((k) => !(SUBJECT_EVENT_KEYS as readonly string[]).includes(k))).toEqual([]);
    }
  });
});
