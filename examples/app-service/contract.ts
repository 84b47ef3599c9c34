/**
 * The recipient contract as a recipient's own code sees it (README, "The recipient contract"): the message it consumes
 * from its queue (or receives by webhook), and the ack it sends back. Written out here rather than imported from the
 * backend, as a service in another repository would; `test/unit/example-recipient.test.ts` checks that the backend's own
 * types still fit these.
 */

/** One message on the recipient's queue (raw delivery: the body is this JSON). Process each `id` once. */
export interface RecipientMessage {
  readonly format: 'forget-me-not/recipient-event@1';
  /** Stable per request, recipient and event: the idempotency key, and the `messageId` of the ack. */
  readonly id: string;
  readonly type: 'erasure' | 'export' | 'rectification' | 'restriction-set' | 'restriction-lifted' | 'consent-withdrawn';
  readonly recipient: string;
  readonly action: 'delete' | 'provide-part' | 'update-fields' | 'stop-processing' | 'resume-processing';
  readonly source: { readonly kind: 'rights-request' | 'consent-event' | 'profile-change'; readonly id: string };
  readonly occurredAt: string;
  /** YYYY-MM-DD: the ack is due by the end of this day. */
  readonly answerBy: string;
  /** Only the identifiers this recipient is declared to receive (the app service: `subjectId`). */
  readonly subject: { readonly subjectId?: string; readonly email?: string };
  readonly fields?: readonly string[];
  readonly purpose?: string;
}

/** The body of `POST /v1/recipients/{recipientId}/acks` (signed, see webhook-signature.ts). */
export interface AckBody {
  readonly messageId: string;
  /** The message's `source.id`. */
  readonly requestId: string;
  readonly action: 'delete' | 'provide-part';
  readonly outcome: 'done' | 'nothing_found' | 'failed';
  readonly counts?: Readonly<Record<string, number>>;
  readonly reason?: string;
  readonly exportPart?: { readonly contentType: 'application/json' };
}

/** What the ack route answers: 200 with the recorded status, or 409 with where to upload an export part first. */
export type AckAnswer =
  | { readonly status: 200; readonly body: { readonly status: string; readonly duplicate: boolean; readonly requestStatus: string } }
  | { readonly status: 409; readonly body: { readonly type?: string; readonly uploadUrl?: string } }
  | { readonly status: number; readonly body: unknown };
