/** Which recipients erasures and exports wait for: read by the rights worker and by the ack route. */
import { RECIPIENT_IDS, type RecipientId } from '../recipients';

/**
 * AWAIT_RECIPIENTS: which recipients an erasure or export waits for, as a JSON array of recipient ids. Unset: every
 * recipient it tells (what a deployment wants: the request completes only once all acknowledged). The local cloud sets
 * `[]` unless told otherwise, since no recipient answers there by itself (see README, "Recipients").
 */
export function awaitedRecipients(raw = process.env.AWAIT_RECIPIENTS): (recipient: RecipientId) => boolean {
  if (raw === undefined || raw === '') return () => true;
  const parsed = JSON.parse(raw) as unknown;
  if (!Array.isArray(parsed) || parsed.some((id) => !(RECIPIENT_IDS as readonly unknown[]).includes(id))) {
    throw new Error(`AWAIT_RECIPIENTS must be a JSON array of recipient ids (${RECIPIENT_IDS.join(', ')})`);
  }
  const awaited = new Set<string>(parsed as string[]);
  return (recipient) => awaited.has(recipient);
}
