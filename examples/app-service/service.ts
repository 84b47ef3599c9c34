/**
 * The example recipient's work, as plain functions over two ports (its own records, and the ack route): what an app's own
 * service does with a message from its recipient queue. It handles the two requests a request waits for:
 *
 *   - erasure (`delete`): delete every record it keeps under the subject id, then ack `done` with the count, or
 *     `nothing_found`;
 *   - export (`provide-part`): ack `nothing_found` if it keeps nothing; otherwise ack `done` with an export part, and when
 *     the route answers 409 with an upload URL, upload the part (JSON) there and ack again.
 *
 * Other events (rectification, restriction, withdrawn consent) are not acknowledged; a real service would act on them
 * (re-read the display name, stop processing) and this one only says it saw them.
 *
 * Safe to run twice: a redelivered erasure finds nothing left and acks `nothing_found`, which the route takes as a
 * duplicate once the first ack is recorded; a redelivered export uploads and acks the same part again.
 */
import type { AckAnswer, AckBody, RecipientMessage } from './contract';

/** A record the app service keeps about a subject (an order, a post): keyed by the subject id. */
export interface ServiceRecord {
  readonly subjectId: string;
  readonly recordId: string;
  readonly kind: string;
  readonly createdAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface ServiceRecords {
  /** Every record of the subject. */
  of(subjectId: string): Promise<ServiceRecord[]>;
  /** Deletes every record of the subject; how many there were. */
  deleteAllOf(subjectId: string): Promise<number>;
}

export interface ExampleRecipientDeps {
  readonly records: ServiceRecords;
  /** Sends a signed ack; answers the route's status and body. */
  ack(body: AckBody): Promise<AckAnswer>;
  /** PUTs the export part to the presigned URL the route gave. */
  upload(url: string, json: string): Promise<void>;
}

export type Handled = 'acknowledged' | 'ignored';

/** The route refused an ack: the message is retried (and lands in the DLQ after the last try). */
export class AckRefusedError extends Error {
  constructor(readonly status: number) {
    super(`the ack route answered ${status}`);
    this.name = 'AckRefusedError';
  }
}

export async function handleMessage(message: RecipientMessage, deps: ExampleRecipientDeps): Promise<Handled> {
  if (message.format !== 'forget-me-not/recipient-event@1') throw new Error(`unknown message format ${String(message.format)}`);
  const subjectId = message.subject.subjectId;
  if (message.source.kind !== 'rights-request' || !subjectId) return 'ignored';
  const about = { messageId: message.id, requestId: message.source.id };
  if (message.type === 'erasure' && message.action === 'delete') {
    const deleted = await deps.records.deleteAllOf(subjectId);
    await acked(deps, { ...about, action: 'delete', ...(deleted > 0 ? { outcome: 'done', counts: { records: deleted } } : { outcome: 'nothing_found' }) });
    return 'acknowledged';
  }
  if (message.type === 'export' && message.action === 'provide-part') {
    const records = await deps.records.of(subjectId);
    if (records.length === 0) {
      await acked(deps, { ...about, action: 'provide-part', outcome: 'nothing_found' });
      return 'acknowledged';
    }
    const ack: AckBody = { ...about, action: 'provide-part', outcome: 'done', counts: { records: records.length }, exportPart: { contentType: 'application/json' } };
    const first = await deps.ack(ack);
    if (first.status === 409) {
      const uploadUrl = (first.body as { uploadUrl?: string }).uploadUrl;
      if (!uploadUrl) throw new AckRefusedError(409);
      // The part is what the subject downloads: the records as the service keeps them, nothing about anyone else.
      await deps.upload(uploadUrl, JSON.stringify({ service: 'app-service', records: records.map(({ subjectId: _s, ...r }) => r) }));
      await acked(deps, ack);
    } else if (first.status !== 200) {
      throw new AckRefusedError(first.status);
    }
    return 'acknowledged';
  }
  return 'ignored';
}

async function acked(deps: ExampleRecipientDeps, body: AckBody): Promise<void> {
  const answer = await deps.ack(body);
  if (answer.status !== 200) throw new AckRefusedError(answer.status);
}
