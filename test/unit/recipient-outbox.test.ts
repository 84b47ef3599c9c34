/**
 * The recipients' outbox (domain/recipient-outbox.ts): which changes record a pending event, and the drain that publishes
 * them: a failed publish keeps the event for the next run, the email is read only when a concerned recipient receives it,
 * and an account gone meanwhile tells only the recipients that find the subject by its id. The subject's own events (a
 * request's changes) share the outbox and go to their own publisher.
 */
import type { ConsentEvent } from '../../lambdas/domain/consent';
import { recipientMessages, type RecipientEvent, type RecipientEventPublisher } from '../../lambdas/domain/recipient-events';
import {
  consentOutboxEvent,
  drainRecipientOutbox,
  eventOf,
  profileChangeOutboxEvent,
  PUBLISHES_IN_FLIGHT,
  rectificationOutboxEvent,
  type RecipientOutboxDeps,
  type StoredOutboxItem,
  type StoredPendingEvent,
  type StoredSubjectEvents,
} from '../../lambdas/domain/recipient-outbox';
import { newRequest } from '../../lambdas/domain/rights';
import { subjectEventsOf, type SubjectEvent } from '../../lambdas/domain/subject-events';
import type { RecipientId } from '../../lambdas/recipients';

const subjectId = '0b7f1c2e-0000-4000-8000-000000000001';
const at = new Date('2026-12-05T10:00:00.000Z');

const consentEvent = (action: ConsentEvent['action'], topic: ConsentEvent['topic']): ConsentEvent => ({
  subjectId,
  eventId: `ev-${action}-${topic}`,
  topic,
  action,
  seq: 2,
  method: 'api',
  at: at.toISOString(),
  clientId: 'unknown',
});

describe('which changes record a pending recipient event', () => {
  it('restriction set and lifted, and consent withdrawn for a purpose a recipient serves', () => {
    expect(consentOutboxEvent(consentEvent('restrict', 'restriction'))).toEqual({
      subjectId,
      source: { kind: 'consent-event', id: 'ev-restrict-restriction' },
      at: at.toISOString(),
      type: 'restriction-set',
    });
    expect(consentOutboxEvent(consentEvent('lift-restriction', 'restriction'))?.type).toBe('restriction-lifted');
    expect(consentOutboxEvent(consentEvent('withdraw', 'marketing-email'))).toMatchObject({ type: 'consent-withdrawn', purpose: 'marketing-email' });
  });

  it('nothing for a grant, an objection, or a withdrawal no recipient is concerned by', () => {
    expect(consentOutboxEvent(consentEvent('grant', 'marketing-email'))).toBeUndefined();
    expect(consentOutboxEvent(consentEvent('object', 'product-improvement'))).toBeUndefined();
    expect(consentOutboxEvent(consentEvent('withdraw', 'analytics'))).toBeUndefined();
  });

  it('a profile correction names the changed fields, and only when a recipient receives one of them', () => {
    expect(profileChangeOutboxEvent(subjectId, ['phone'], at)).toBeUndefined();
    const pending = profileChangeOutboxEvent(subjectId, ['displayName', 'phone'], at, 'change-1');
    expect(pending).toEqual({
      subjectId,
      source: { kind: 'profile-change', id: 'change-1' },
      at: at.toISOString(),
      type: 'rectification',
      fields: ['users.profile.displayName', 'users.profile.phone'],
    });
    // the message names only the fields its recipient receives: the app service hears of the name, not the phone
    const messages = recipientMessages(eventOf(pending!, { subjectId }, false));
    expect(messages.map((m) => [m.recipient, m.body.fields])).toEqual([['app-service', ['displayName']]]);
  });

  it('a completed rectification request, unless its subject was erased', () => {
    const request = { requestId: 'req-1', subjectId, fields: ['profile.email', 'profile.postalAddress'] };
    expect(rectificationOutboxEvent(request, at)).toMatchObject({
      source: { kind: 'rights-request', id: 'req-1' },
      type: 'rectification',
      fields: ['users.profile.email', 'users.profile.postalAddress'],
    });
    expect(rectificationOutboxEvent({ ...request, fields: ['profile.phone'] }, at)).toBeUndefined();
    expect(rectificationOutboxEvent({ ...request, subjectId: 'erased#abc' }, at)).toBeUndefined();
  });
});

describe('drainRecipientOutbox', () => {
  function outbox(pending: StoredOutboxItem[], options: { failFirst?: number; email?: string }) {
    const kept = [...pending];
    const published: RecipientEvent[] = [];
    const toldSubject: SubjectEvent[] = [];
    const emailReads: string[] = [];
    let failures = options.failFirst ?? 0;
    const recipients: RecipientEventPublisher = {
      async publish(event) {
        if (failures-- > 0) throw Object.assign(new Error('SNS is down'), { name: 'InternalErrorException' });
        published.push(event);
        return recipientMessages(event).map((m) => m.recipient as RecipientId);
      },
    };
    const reports: string[] = [];
    const deps: RecipientOutboxDeps = {
      pending: async (limit) => kept.slice(0, limit),
      done: async (stored) => void kept.splice(kept.indexOf(stored), 1),
      emailOf: async (id) => (emailReads.push(id), options.email),
      previousEmailOf: async (_id, sealed) => `opened:${sealed}`,
      recipients,
      subjects: {
        async publish(events) {
          if (failures-- > 0) throw Object.assign(new Error('SNS is down'), { name: 'InternalErrorException' });
          toldSubject.push(...events);
        },
      },
      now: () => new Date(at.getTime() + 90_000),
      report: (what) => reports.push(what),
    };
    return { deps, kept, published, toldSubject, emailReads, reports };
  }
  const stored = (event: StoredPendingEvent['event']): StoredPendingEvent => ({ key: `outbox#${event.source.id}`, event });
  const restriction = stored(consentOutboxEvent(consentEvent('restrict', 'restriction'))!);
  const withdrawal = stored(consentOutboxEvent(consentEvent('withdraw', 'marketing-email'))!);

  it('keeps an event whose publish failed, and publishes it on the next run', async () => {
    const box = outbox([restriction], { failFirst: 1, email: 'ada@example.org' });
    expect(await drainRecipientOutbox(box.deps, 10)).toEqual({ published: 0, failed: 1, oldestWaitingSeconds: 90 });
    expect(box.kept).toEqual([restriction]);
    expect(box.reports).toEqual(['recipient event restriction-set not published']);

    expect(await drainRecipientOutbox(box.deps, 10)).toEqual({ published: 1, failed: 0, oldestWaitingSeconds: 0 });
    expect(box.kept).toEqual([]);
    expect(box.published).toHaveLength(1);
  });

  it("publishes a request's events for the subject to the subject-events publisher as written, and keeps them on a failure", async () => {
    const request = newRequest({ subjectId, type: 'export', mode: 'automatic', now: at, dueAt: '2026-04-03' });
    const pending = subjectEventsOf(undefined, request)!;
    const item: StoredSubjectEvents = { key: 'outbox#subject-events#r#0', subjectId, at: pending.at, subjectEvents: pending.events };
    const box = outbox([item, restriction], { failFirst: 1 });
    expect(await drainRecipientOutbox(box.deps, 10)).toEqual({ published: 1, failed: 1, oldestWaitingSeconds: 90 });
    expect(box.reports).toEqual(['subject events not published']);
    expect(box.kept).toEqual([item]);

    await drainRecipientOutbox(box.deps, 10);
    expect(box.kept).toEqual([]);
    expect(box.toldSubject.map((e) => e.status)).toEqual(['received', 'verified', 'queued']);
    // Nothing of the subject's events went to the recipients.
    expect(box.published.map((e) => e.type)).toEqual(['restriction-set']);
  });

  it('reads the email only for an event a recipient that receives it is concerned by', async () => {
    const onlyService = stored(profileChangeOutboxEvent(subjectId, ['displayName'], at, 'c-2')!);
    const box = outbox([onlyService, withdrawal], { email: 'ada@example.org' });
    await drainRecipientOutbox(box.deps, 10);
    expect(box.emailReads).toEqual([subjectId]);
    expect(box.published.map((e) => e.subject)).toEqual([{ subjectId }, { subjectId, email: 'ada@example.org' }]);
  });

  it('an email change carries the previous email, opened at publish time, to the recipient that finds the subject by email only', async () => {
    const change = stored(profileChangeOutboxEvent(subjectId, ['email'], at, 'c-3', 'sealed-old')!);
    expect(change.event).toMatchObject({ previousEmailSealed: 'sealed-old' });
    const box = outbox([change], { email: 'new@example.org' });
    await drainRecipientOutbox(box.deps, 10);
    const messages = recipientMessages(box.published[0]);
    // the app service does not receive the email, so it hears nothing of this change
    expect(messages.map((m) => [m.recipient, m.body.subject])).toEqual([
      ['email-provider', { email: 'new@example.org', previous: { email: 'opened:sealed-old' } }],
    ]);
    // the sealed value never reaches a message
    expect(JSON.stringify(messages)).not.toContain('"sealed-old"');
    // a change that is not of the email keeps no previous email, even if one is passed
    expect(profileChangeOutboxEvent(subjectId, ['displayName'], at, 'c-4', 'sealed-old')).not.toHaveProperty('previousEmailSealed');
  });

  it("a failed event holds back its subject's later events, in order, while other subjects' events go out", async () => {
    const other = '0b7f1c2e-0000-4000-8000-000000000002';
    const otherRestriction = stored({ ...consentOutboxEvent(consentEvent('restrict', 'restriction'))!, subjectId: other, source: { kind: 'consent-event', id: 'ev-other' } });
    const box = outbox([restriction, withdrawal, otherRestriction], { failFirst: 1 });
    expect(await drainRecipientOutbox(box.deps, 10)).toEqual({ published: 1, failed: 1, oldestWaitingSeconds: 90 });
    // the withdrawal was not tried: it would have reached the recipients before the restriction it follows
    expect(box.reports).toEqual(['recipient event restriction-set not published']);
    expect(box.kept).toEqual([restriction, withdrawal]);
    expect(box.published.map((e) => e.subject.subjectId)).toEqual([other]);

    await drainRecipientOutbox(box.deps, 10);
    expect(box.published.map((e) => [e.subject.subjectId, e.type])).toEqual([
      [other, 'restriction-set'],
      [subjectId, 'restriction-set'],
      [subjectId, 'consent-withdrawn'],
    ]);
  });

  it('publishes different subjects side by side, at most PUBLISHES_IN_FLIGHT at once', async () => {
    const many = Array.from({ length: PUBLISHES_IN_FLIGHT * 2 }, (_, i) =>
      stored({ ...consentOutboxEvent(consentEvent('restrict', 'restriction'))!, subjectId: `subject-${i}`, source: { kind: 'consent-event', id: `ev-${i}` } }),
    );
    const box = outbox(many, {});
    let inFlight = 0;
    let most = 0;
    const publish = box.deps.recipients.publish.bind(box.deps.recipients);
    const deps: RecipientOutboxDeps = {
      ...box.deps,
      recipients: {
        async publish(event) {
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight--;
          return publish(event);
        },
      },
    };
    expect(await drainRecipientOutbox(deps, 100)).toEqual({ published: many.length, failed: 0, oldestWaitingSeconds: 0 });
    expect(most).toBe(PUBLISHES_IN_FLIGHT);
    expect(box.kept).toEqual([]);
  });

  it('with the account gone, tells only the recipients that find the subject by id', async () => {
    const box = outbox([restriction, withdrawal], {});
    expect((await drainRecipientOutbox(box.deps, 10)).published).toBe(2);
    expect(box.published.map((e) => recipientMessages(e).map((m) => m.recipient))).toEqual([['app-service'], []]);
    expect(box.kept).toEqual([]);
  });
});
