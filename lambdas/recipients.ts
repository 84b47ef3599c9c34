/**
 * Recipients: every system outside this backend's own stores that receives a subject's data (the app's other services,
 * processors, third parties), declared next to the inventory. Art. 19 obliges the controller to tell each of them of every
 * rectification, erasure and restriction, and Art. 15(1)(c) and 30(1)(d)/(e) to say who they are and where the data goes:
 * the data map, the RoPA and the access report are generated from these declarations, the fan-out topology (one SQS queue
 * per recipient, subscribed to the recipient-events topic with a filter policy) is built from them, and the publisher gives
 * each recipient only the identifiers it is declared to receive.
 *
 * Pure data plus derived values; no AWS or HTTP types, so handlers, CDK code and tools can all import it.
 */
import { PROFILE_FIELD_CATEGORIES, categoriesOfField, type AppStoreId, type DataCategory, type FieldOf } from './inventory';
import type { PurposeId } from './purposes';

/** `users.subjectId`: a field of one of the backend's own stores, or a field inside the encrypted profile. */
export type DataRef =
  | { [S in AppStoreId]: `${S}.${FieldOf<S>}` }[AppStoreId]
  | `users.profile.${keyof typeof PROFILE_FIELD_CATEGORIES & string}`;

/** Who the recipient is to the controller: the app's own service, a processor (Art. 28) or a third party (an independent controller). */
export type RecipientKind = 'own-service' | 'processor' | 'third-party';

/**
 * How the recipient is told. `queue`: it consumes its own SQS queue in this account. `webhook`: a dispatcher consumes the
 * recipient's queue and POSTs each message to the URL (Standard Webhooks signatures; issue 14 item 3).
 */
export type RecipientDelivery =
  | ({ readonly kind: 'queue' } & Partial<RecipientSecret>)
  | ({ readonly kind: 'webhook'; readonly url: `https://${string}` } & RecipientSecret);

/**
 * The recipient's signing secret: webhooks are signed with it, and every recipient (queue ones too) signs its acks with it
 * (`POST /v1/recipients/{id}/acks`). A queue recipient's `secretVersion` defaults to 1.
 */
export interface RecipientSecret {
  /**
   * Which signing secret is in force: the secret is derived from the KMS HMAC key, this recipient's id and this number
   * (`fmn recipients secret <id>` prints it for the recipient). Raise it to rotate the secret.
   */
  readonly secretVersion: number;
  /**
   * During a rotation: the version the recipient may still be checking, and until when (an ISO instant) messages are
   * signed with it as well (and its acks still verify with it). Standard Webhooks lets `webhook-signature` carry several
   * space-separated signatures, so the recipient can switch secrets at any moment inside the period without losing a
   * message. Remove it once past.
   */
  readonly previousSecret?: { readonly version: number; readonly until: string };
}

/**
 * What the recipient must do for each request type. Erasure, rectification and restriction are owed to every recipient
 * (Art. 19); export only to one that holds data of its own on the controller's behalf (a processor's send logs, a
 * service's records): `nothing-held` when all it has is what this backend already exports.
 */
export interface RecipientDuties {
  readonly erasure: 'delete';
  readonly export: 'provide-part' | 'nothing-held';
  readonly rectification: 'update-fields';
  readonly restriction: 'stop-processing';
}

/** Art. 44-49: on what ground data may go to a country outside the EEA. */
export type TransferSafeguard = 'adequacy-decision' | 'standard-contractual-clauses' | 'binding-corporate-rules';

export interface Transfer {
  /** The third country the recipient processes in (or lets a sub-processor process in). */
  readonly country: string;
  readonly safeguard: TransferSafeguard;
  /** The instrument itself: which decision, which SCC module, where the signed copy is. */
  readonly detail: string;
}

export interface RecipientDeclaration {
  /** How the subject and the RoPA name it. */
  readonly name: string;
  readonly kind: RecipientKind;
  readonly description: string;
  /** The data it receives, per purpose: each reference names an inventory field, so the data map can draw where it comes from. */
  readonly receives: readonly { readonly purpose: PurposeId; readonly data: readonly DataRef[] }[];
  /** The categories of what it receives; must be exactly the categories of `receives` (a unit test checks). */
  readonly categories: readonly DataCategory[];
  readonly delivery: RecipientDelivery;
  readonly duties: RecipientDuties;
  /** Days it has to acknowledge a request; the request's own one-month deadline (Art. 12(3)) must leave room for it. */
  readonly answerWithinDays: number;
  /** `none`: it processes in the EEA (or a country the data may go to without a safeguard) only. */
  readonly transfers: 'none' | readonly [Transfer, ...Transfer[]];
}

/**
 * The ids of the recipients declared below. Listed on their own (not as `keyof typeof recipients`) because the purposes
 * name them and the declarations name purposes: a separate list keeps the types from depending on each other in a circle.
 * A purpose naming an id not listed here does not compile, and neither does a declaration missing for a listed id.
 */
export const RECIPIENT_IDS = ['app-service', 'email-provider'] as const;
export type RecipientId = (typeof RECIPIENT_IDS)[number];

/** The example app's recipients. A deployment replaces these with its own. */
export const recipients: Readonly<Record<RecipientId, RecipientDeclaration>> = {
  'app-service': {
    name: 'App service (in this AWS account)',
    kind: 'own-service',
    description:
      "The app's own backend service beside this one (orders, posts, whatever the app does): keeps records of its own " +
      'keyed by the subject id and shows the display name to other users.',
    receives: [{ purpose: 'account', data: ['users.subjectId', 'users.profile.displayName'] }],
    categories: ['identifier', 'identity'],
    delivery: { kind: 'queue' },
    duties: { erasure: 'delete', export: 'provide-part', rectification: 'update-fields', restriction: 'stop-processing' },
    answerWithinDays: 7,
    transfers: 'none',
  },
  'email-provider': {
    name: 'Newsletter email provider (processor)',
    kind: 'processor',
    description:
      'Sends the newsletter on our behalf (Art. 28): holds the subscriber list, keyed by email address, and its send and ' +
      'bounce logs. It never learns the subject id.',
    receives: [{ purpose: 'marketing-email', data: ['users.profile.email'] }],
    categories: ['contact'],
    delivery: { kind: 'webhook', url: 'https://hooks.email-provider.example/forget-me-not', secretVersion: 1 },
    duties: { erasure: 'delete', export: 'provide-part', rectification: 'update-fields', restriction: 'stop-processing' },
    answerWithinDays: 14,
    transfers: [
      {
        country: 'United States',
        safeguard: 'standard-contractual-clauses',
        detail: 'EU standard contractual clauses (Commission Decision 2021/914), module 2, with a transfer impact assessment',
      },
    ],
  },
};

export function recipientOf(id: RecipientId): RecipientDeclaration {
  return recipients[id];
}

/**
 * The only data a recipient event may carry about the subject, by the name the message gives it: what lets the recipient
 * find the subject in its own records. Each goes only to a recipient declared to receive it.
 */
export const EVENT_IDENTIFIERS = { subjectId: 'users.subjectId', email: 'users.profile.email' } as const satisfies Record<string, DataRef>;
export type EventIdentifier = keyof typeof EVENT_IDENTIFIERS;

/** The recipients told by webhook (a dispatcher consumes each one's queue and POSTs its messages). */
export const webhookRecipientIds = (): RecipientId[] => RECIPIENT_IDS.filter((id) => recipients[id].delivery.kind === 'webhook');

/** Every data reference a recipient receives, over all its purposes. */
export function dataReceivedBy(id: RecipientId): DataRef[] {
  return [...new Set(recipientOf(id).receives.flatMap((r) => r.data))];
}

/** The data references a recipient receives for one purpose. */
export function dataReceivedFor(id: RecipientId, purpose: PurposeId): DataRef[] {
  return [...new Set(recipientOf(id).receives.filter((r) => r.purpose === purpose).flatMap((r) => r.data))];
}

/** The identifiers a recipient's events carry: those of `EVENT_IDENTIFIERS` it is declared to receive. */
export function identifiersFor(id: RecipientId): EventIdentifier[] {
  const received = new Set<DataRef>(dataReceivedBy(id));
  return (Object.keys(EVENT_IDENTIFIERS) as EventIdentifier[]).filter((name) => received.has(EVENT_IDENTIFIERS[name]));
}

/** The purposes a recipient receives data for. */
export function purposesServedBy(id: RecipientId): PurposeId[] {
  return [...new Set(recipientOf(id).receives.map((r) => r.purpose))];
}

/** The name a field has in a recipient message (`users.profile.email` → `email`): what rectification events list. */
export const fieldName = (ref: DataRef): string => ref.slice(ref.lastIndexOf('.') + 1);

/** The store and field a reference points at; `sub` is the profile field for `users.profile.<sub>`. */
export function parseDataRef(ref: DataRef): { store: AppStoreId; field: string; sub?: string } {
  const [store, field, sub] = ref.split('.');
  return { store: store as AppStoreId, field, ...(sub ? { sub } : {}) };
}

/** The categories a reference holds: a profile field's own, or the inventory field's (the whole profile counts as each it holds). */
export function categoriesOfRef(ref: DataRef): DataCategory[] {
  const { store, field, sub } = parseDataRef(ref);
  if (sub !== undefined) return [PROFILE_FIELD_CATEGORIES[sub as keyof typeof PROFILE_FIELD_CATEGORIES]];
  return categoriesOfField(store, field);
}

/** The categories a recipient receives for one purpose (or, without one, for all), sorted. */
export function categoriesReceived(id: RecipientId, purpose?: PurposeId): DataCategory[] {
  const refs = purpose === undefined ? dataReceivedBy(id) : dataReceivedFor(id, purpose);
  return [...new Set(refs.flatMap(categoriesOfRef))].sort();
}

const SAFEGUARD_WORDS: Record<TransferSafeguard, string> = {
  'adequacy-decision': 'adequacy decision (Art. 45)',
  'standard-contractual-clauses': 'standard contractual clauses (Art. 46(2)(c))',
  'binding-corporate-rules': 'binding corporate rules (Art. 47)',
};

/** The transfers of a recipient in words, for the RoPA and the access report. */
export function transfersInWords(id: RecipientId): string {
  const transfers = recipientOf(id).transfers;
  if (transfers === 'none') return 'none: processes in the EEA';
  return transfers.map((t) => `${t.country}, safeguard: ${SAFEGUARD_WORDS[t.safeguard]}; ${t.detail}`).join(' / ');
}
