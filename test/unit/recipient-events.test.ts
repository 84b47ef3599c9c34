/**
 * Recipient messages as plain data: who an event concerns, what each message carries (only declared identifiers, field
 * names never values), stable ids, and the filter policy each subscription gets.
 */
import {
  MissingSubjectIdentifierError,
  RECIPIENT_EVENT_TYPES,
  filterPolicyFor,
  messageId,
  recipientMessages,
  recipientsConcerned,
  type RecipientEvent,
} from '../../lambdas/domain/recipient-events';
import { RECIPIENT_IDS, identifiersFor } from '../../lambdas/recipients';

const subject = { subjectId: '5b0c9a52-0d7e-4c53-9f5e-5d0f2f6c9b11', email: 'ada@example.org' };
const request = { kind: 'rights-request', id: 'req-1' } as const;
const at = '2026-12-05T10:00:00.000Z';

describe('who an event concerns', () => {
  it('tells every recipient of an erasure and a restriction, and of an export those that hold a part', () => {
    for (const type of ['erasure', 'restriction-set', 'restriction-lifted', 'export'] as const) {
      expect(recipientsConcerned({ type, source: request, subject, at })).toEqual(RECIPIENT_IDS);
    }
  });

  it('tells of a rectification only the recipients that receive a changed field', () => {
    expect(recipientsConcerned({ type: 'rectification', source: request, subject, at, fields: ['users.profile.email'] })).toEqual(['email-provider']);
    expect(recipientsConcerned({ type: 'rectification', source: request, subject, at, fields: ['users.profile.displayName'] })).toEqual(['app-service']);
    expect(recipientsConcerned({ type: 'rectification', source: request, subject, at, fields: ['users.profile.phone'] })).toEqual([]);
  });

  it('tells of a withdrawn consent only the recipients serving that purpose', () => {
    const withdrawn = (purpose: 'marketing-email' | 'analytics'): RecipientEvent => ({
      type: 'consent-withdrawn', source: { kind: 'consent-event', id: 'ev-1' }, subject, at, purpose,
    });
    expect(recipientsConcerned(withdrawn('marketing-email'))).toEqual(['email-provider']);
    expect(recipientsConcerned(withdrawn('analytics'))).toEqual([]);
  });
});

describe('recipientMessages', () => {
  it('gives each recipient only the identifiers it is declared to receive', () => {
    const messages = recipientMessages({ type: 'erasure', source: request, subject, at });
    for (const m of messages) expect(Object.keys(m.body.subject).sort()).toEqual([...identifiersFor(m.recipient)].sort());
    const app = messages.find((m) => m.recipient === 'app-service')!;
    expect(JSON.stringify(app)).not.toContain(subject.email);
    const provider = messages.find((m) => m.recipient === 'email-provider')!;
    expect(JSON.stringify(provider)).not.toContain(subject.subjectId);
    expect(provider.body).toMatchObject({ action: 'delete', answerBy: '2026-12-19', subject: { email: subject.email } });
  });

  it('names changed fields, never their values, and only those the recipient holds', () => {
    const [m] = recipientMessages({ type: 'rectification', source: request, subject, at, fields: ['users.profile.email', 'users.profile.phone'] });
    expect(m.body).toMatchObject({ recipient: 'email-provider', action: 'update-fields', fields: ['email'] });
    expect(m.attributes).toEqual({ recipient: 'email-provider', eventType: 'rectification', 'affects-contact': 'true' });
  });

  it('refuses to send a recipient an event without the identifier it finds the subject by', () => {
    expect(() => recipientMessages({ type: 'erasure', source: request, subject: { subjectId: subject.subjectId }, at })).toThrow(
      MissingSubjectIdentifierError,
    );
  });

  it('leaves out, when the identifiers are lost with the account, exactly the recipients that find the subject by a missing one', () => {
    const event: RecipientEvent = { type: 'erasure', source: request, subject: { subjectId: subject.subjectId }, at, identifiersLost: true };
    const reachable = recipientsConcerned(event).filter((id) => identifiersFor(id).every((i) => i === 'subjectId'));
    expect(reachable.length).toBeGreaterThan(0);
    expect(reachable.length).toBeLessThan(recipientsConcerned(event).length);
    expect(recipientMessages(event).map((m) => m.recipient)).toEqual(reachable);
  });

  it('keeps a message id per source, recipient and type: the same when resent, different otherwise', () => {
    const first = recipientMessages({ type: 'erasure', source: request, subject, at });
    const again = recipientMessages({ type: 'erasure', source: request, subject, at: '2026-12-06T00:00:00.000Z' });
    expect(again.map((m) => m.body.id)).toEqual(first.map((m) => m.body.id));
    const ids = new Set(RECIPIENT_IDS.flatMap((r) => RECIPIENT_EVENT_TYPES.map((t) => messageId(request, r, t))));
    expect(ids.size).toBe(RECIPIENT_IDS.length * RECIPIENT_EVENT_TYPES.length);
    expect(first[0].body.id).toMatch(/^evt_[0-9a-f]{32}$/);
  });

  it('puts no personal data in the attributes the filter policies read', () => {
    const events: RecipientEvent[] = [
      { type: 'erasure', source: request, subject, at },
      { type: 'rectification', source: request, subject, at, fields: ['users.profile.email', 'users.profile.displayName'] },
      { type: 'consent-withdrawn', source: { kind: 'consent-event', id: 'ev-1' }, subject, at, purpose: 'marketing-email' },
    ];
    for (const m of events.flatMap(recipientMessages)) {
      const text = JSON.stringify(m.attributes);
      expect(text).not.toContain(subject.email);
      expect(text).not.toContain(subject.subjectId);
    }
  });
});

describe('filterPolicyFor', () => {
  it('admits the recipient\'s own messages only, by the types, categories and purposes of its declaration', () => {
    expect(filterPolicyFor('email-provider')).toEqual({
      recipient: ['email-provider'],
      $or: [
        { eventType: ['erasure', 'restriction-set', 'restriction-lifted', 'export'] },
        { eventType: ['rectification'], 'affects-contact': ['true'] },
        { eventType: ['consent-withdrawn'], purpose: ['marketing-email'] },
      ],
    });
    // the in-account service serves a contract purpose: no consent to withdraw
    expect(JSON.stringify(filterPolicyFor('app-service'))).not.toContain('consent-withdrawn');
  });
});
