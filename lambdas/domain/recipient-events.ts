/**
 * Telling recipients (Art. 17(2), 19): rights and consent events become one message per recipient that the event concerns,
 * carrying only the identifiers that recipient is declared to receive. The same declarations give each recipient's SNS
 * filter policy, so the topic drops a message addressed to a recipient it does not concern even if the publisher erred.
 *
 * Main course of `recipientMessages`:
 *   1. pick the recipients the event concerns (`concerns`), from their declarations;
 *   2. for each, build the body from the identifiers it receives (a missing one is an error, never a silent gap) and the
 *      attributes its filter policy matches on (recipient, event type, purpose, affected categories: never personal data);
 *   3. give each message an id stable per source, recipient and event type: resent, it is the same message (the webhook
 *      dispatcher uses it as `webhook-id`, recipients deduplicate on it).
 *
 * Why one message per recipient rather than one per event: SNS delivers the same body to every subscription, so a shared
 * message could carry only what every recipient may see (never the email, which only the email provider receives) and
 * could not name the recipient's own deadline, action or idempotency key. Costs one PublishBatch entry per recipient.
 */
import { createHash } from 'node:crypto';
import { purposeOf, type PurposeId } from '../purposes';
import {
  RECIPIENT_IDS,
  categoriesOfRef,
  categoriesReceived,
  dataReceivedBy,
  fieldName,
  identifiersFor,
  purposesServedBy,
  recipientOf,
  type DataRef,
  type EventIdentifier,
  type RecipientId,
} from '../recipients';

export const RECIPIENT_EVENT_TYPES = ['erasure', 'export', 'rectification', 'restriction-set', 'restriction-lifted', 'consent-withdrawn'] as const;
export type RecipientEventType = (typeof RECIPIENT_EVENT_TYPES)[number];

/** What the caller knows about the subject; each recipient gets only the part it is declared to receive. */
export type SubjectIdentifiers = { readonly subjectId: string } & Partial<Record<Exclude<EventIdentifier, 'subjectId'>, string>> & {
  /** A rectification that changed an identifier: its value before, which is what the recipient still finds the subject by. */
  readonly previous?: Partial<Record<Exclude<EventIdentifier, 'subjectId'>, string>>;
};

/**
 * Where an event comes from: a rights request, an entry of the consent ledger (restriction, withdrawal), or the subject's
 * own correction of their profile (PATCH /v1/me; its id is random per correction).
 */
export interface EventSource {
  readonly kind: 'rights-request' | 'consent-event' | 'profile-change';
  readonly id: string;
}

interface EventBase {
  readonly source: EventSource;
  readonly subject: SubjectIdentifiers;
  /** When it happened, ISO 8601; the recipient's deadline counts from here. */
  readonly at: string;
  /**
   * Set when the subject's record is already gone (its account deleted, or its data key destroyed), so an identifier such
   * as the email can no longer be known: a recipient that finds the subject only by a missing identifier is left out
   * instead of failing the event. Unset, a missing identifier is an error.
   */
  readonly identifiersLost?: true;
}

export type RecipientEvent =
  | (EventBase & { readonly type: 'erasure' | 'export' | 'restriction-set' | 'restriction-lifted' })
  /** The fields that changed, never their values. */
  | (EventBase & { readonly type: 'rectification'; readonly fields: readonly DataRef[] })
  | (EventBase & { readonly type: 'consent-withdrawn'; readonly purpose: PurposeId });

/** What the recipient is asked to do. */
export type RecipientAction = 'delete' | 'provide-part' | 'update-fields' | 'stop-processing' | 'resume-processing';

export const RECIPIENT_EVENT_FORMAT = 'forget-me-not/recipient-event@1';

/** The JSON body a recipient receives. */
export interface RecipientMessageBody {
  readonly format: typeof RECIPIENT_EVENT_FORMAT;
  /** Stable per source, recipient and event type: the idempotency key (and the webhook-id). */
  readonly id: string;
  readonly type: RecipientEventType;
  readonly recipient: RecipientId;
  readonly action: RecipientAction;
  readonly source: EventSource;
  readonly occurredAt: string;
  /** The day its answer is due (its declared days after `occurredAt`), YYYY-MM-DD. */
  readonly answerBy: string;
  /**
   * Only the identifiers it is declared to receive; `previous`, on a rectification that changed one of them, holds the
   * values before the change (the recipient finds its record by those).
   */
  readonly subject: Partial<Record<EventIdentifier, string>> & { readonly previous?: Partial<Record<EventIdentifier, string>> };
  /** rectification: the changed fields it holds, by name (`email`), never values. */
  readonly fields?: readonly string[];
  /** consent-withdrawn: the purpose it must stop processing for. */
  readonly purpose?: PurposeId;
}

/** SNS message attributes: all the filter policies match on. No personal data. */
export type RecipientMessageAttributes = Readonly<Record<string, string>>;

export interface RecipientMessage {
  readonly recipient: RecipientId;
  readonly attributes: RecipientMessageAttributes;
  readonly body: RecipientMessageBody;
}

/** A recipient must be told about the subject by an identifier the caller did not supply. */
export class MissingSubjectIdentifierError extends Error {
  constructor(readonly recipient: RecipientId, readonly identifier: EventIdentifier) {
    super(`recipient ${recipient} needs the subject's ${identifier}, which the event does not carry`);
    this.name = 'MissingSubjectIdentifierError';
  }
}

/** Attribute names: `affects-<category>` flags one affected category each (SNS string arrays are not emulated locally). */
export const ATTRIBUTE = { recipient: 'recipient', eventType: 'eventType', purpose: 'purpose', affects: (category: string) => `affects-${category}` } as const;

/** SQS keeps at most 10 message attributes of a raw delivery. */
const MAX_ATTRIBUTES = 10;

/** Consent-based purposes a recipient serves: withdrawing consent for one stops its processing there. */
const consentPurposesOf = (id: RecipientId): PurposeId[] => purposesServedBy(id).filter((p) => purposeOf(p).lawfulBasis === 'consent');

/** Event types owed to every recipient holding the subject's data, whatever it holds (Art. 17(2), 19). */
const typesForEveryHolder = (id: RecipientId): RecipientEventType[] => [
  'erasure',
  'restriction-set',
  'restriction-lifted',
  ...(recipientOf(id).duties.export === 'provide-part' ? (['export'] as const) : []),
];

/** Whether the event concerns the recipient, from its declaration. */
export function concerns(id: RecipientId, event: RecipientEvent): boolean {
  switch (event.type) {
    case 'rectification': {
      const received = new Set<DataRef>(dataReceivedBy(id));
      return event.fields.some((f) => received.has(f));
    }
    case 'consent-withdrawn':
      return consentPurposesOf(id).includes(event.purpose);
    default:
      return typesForEveryHolder(id).includes(event.type);
  }
}

/** The recipients an event concerns, in declaration order. */
export const recipientsConcerned = (event: RecipientEvent): RecipientId[] => RECIPIENT_IDS.filter((id) => concerns(id, event));

/**
 * The SNS filter policy of a recipient's subscription: its own id, and an event of a type it handles, a rectification
 * affecting a category it receives, or a consent withdrawn for a purpose it serves. Coarser than `concerns` only for
 * rectification (categories, not fields): a second gate, not the decision.
 */
export function filterPolicyFor(id: RecipientId): Record<string, unknown> {
  const consentPurposes = consentPurposesOf(id);
  return {
    [ATTRIBUTE.recipient]: [id],
    $or: [
      { [ATTRIBUTE.eventType]: typesForEveryHolder(id) },
      ...categoriesReceived(id).map((c) => ({ [ATTRIBUTE.eventType]: ['rectification'], [ATTRIBUTE.affects(c)]: ['true'] })),
      ...(consentPurposes.length > 0 ? [{ [ATTRIBUTE.eventType]: ['consent-withdrawn'], [ATTRIBUTE.purpose]: consentPurposes }] : []),
    ],
  };
}

const ACTIONS: Record<RecipientEventType, RecipientAction> = {
  erasure: 'delete',
  export: 'provide-part',
  rectification: 'update-fields',
  'restriction-set': 'stop-processing',
  'restriction-lifted': 'resume-processing',
  'consent-withdrawn': 'stop-processing',
};

/** `evt_` and 32 hex digits of SHA-256 over source, recipient and type. */
export function messageId(source: EventSource, recipient: RecipientId, type: RecipientEventType): string {
  return `evt_${createHash('sha256').update(`${source.kind}\u0000${source.id}\u0000${recipient}\u0000${type}`).digest('hex').slice(0, 32)}`;
}

const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);

function attributesOf(recipient: RecipientId, event: RecipientEvent): RecipientMessageAttributes {
  const attributes: Record<string, string> = { [ATTRIBUTE.recipient]: recipient, [ATTRIBUTE.eventType]: event.type };
  if (event.type === 'consent-withdrawn') attributes[ATTRIBUTE.purpose] = event.purpose;
  if (event.type === 'rectification') {
    for (const category of new Set(event.fields.flatMap(categoriesOfRef))) attributes[ATTRIBUTE.affects(category)] = 'true';
  }
  if (Object.keys(attributes).length > MAX_ATTRIBUTES) throw new Error(`a ${event.type} event would need more than ${MAX_ATTRIBUTES} attributes`);
  return attributes;
}

function subjectFor(recipient: RecipientId, subject: SubjectIdentifiers): RecipientMessageBody['subject'] {
  const out: Partial<Record<EventIdentifier, string>> = {};
  const previous: Partial<Record<EventIdentifier, string>> = {};
  for (const identifier of identifiersFor(recipient)) {
    const value = subject[identifier];
    if (value === undefined || value === '') throw new MissingSubjectIdentifierError(recipient, identifier);
    out[identifier] = value;
    const before = identifier === 'subjectId' ? undefined : subject.previous?.[identifier];
    if (before && before !== value) previous[identifier] = before;
  }
  return Object.keys(previous).length > 0 ? { ...out, previous } : out;
}

/** One message per recipient the event concerns (see the module comment). */
export function recipientMessages(event: RecipientEvent): RecipientMessage[] {
  const reachable = (recipient: RecipientId) => identifiersFor(recipient).every((identifier) => !!event.subject[identifier]);
  const told = event.identifiersLost ? recipientsConcerned(event).filter(reachable) : recipientsConcerned(event);
  return told.map((recipient) => {
    const received = new Set<DataRef>(dataReceivedBy(recipient));
    const body: RecipientMessageBody = {
      format: RECIPIENT_EVENT_FORMAT,
      id: messageId(event.source, recipient, event.type),
      type: event.type,
      recipient,
      action: ACTIONS[event.type],
      source: { kind: event.source.kind, id: event.source.id },
      occurredAt: event.at,
      answerBy: addDays(event.at, recipientOf(recipient).answerWithinDays),
      subject: subjectFor(recipient, event.subject),
      ...(event.type === 'rectification' ? { fields: event.fields.filter((f) => received.has(f)).map(fieldName) } : {}),
      ...(event.type === 'consent-withdrawn' ? { purpose: event.purpose } : {}),
    };
    return { recipient, attributes: attributesOf(recipient, event), body };
  });
}

/** The port the use cases call; `adapters/sns-recipient-events.ts` implements it on the recipient-events topic. */
export interface RecipientEventPublisher {
  /** Publishes one message per recipient the event concerns and returns those recipients; throws if any publish failed. */
  publish(event: RecipientEvent): Promise<readonly RecipientId[]>;
}

