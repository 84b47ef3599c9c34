/**
 * The recipient-events publisher on SNS: each message `recipientMessages` builds becomes one entry of a PublishBatch on
 * the recipient-events topic, its attributes the SNS message attributes the subscriptions' filter policies match on. With
 * raw message delivery, each recipient's queue receives the body as it was built, and nothing else.
 */
import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import { recipientMessages, type RecipientEvent, type RecipientEventPublisher } from '../domain/recipient-events';
import type { RecipientId } from '../recipients';

/** SNS takes at most 10 entries per PublishBatch. */
const BATCH = 10;

/** A publish the topic refused; names the recipients and SNS's error codes, never the message. */
export class RecipientPublishError extends Error {
  constructor(readonly failed: readonly { recipient: string; code: string }[]) {
    super(`publishing to ${failed.map((f) => `${f.recipient} (${f.code})`).join(', ')} failed`);
    this.name = 'RecipientPublishError';
  }
}

export function snsRecipientEventPublisher(sns: Pick<SNSClient, 'send'>, topicArn: string): RecipientEventPublisher {
  return {
    async publish(event: RecipientEvent): Promise<readonly RecipientId[]> {
      const messages = recipientMessages(event);
      const failed: { recipient: string; code: string }[] = [];
      for (let i = 0; i < messages.length; i += BATCH) {
        const chunk = messages.slice(i, i + BATCH);
        const result = await sns.send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: chunk.map((m, j) => ({
              Id: String(j),
              Message: JSON.stringify(m.body),
              MessageAttributes: Object.fromEntries(
                Object.entries(m.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
              ),
            })),
          }),
        );
        for (const f of result.Failed ?? []) failed.push({ recipient: chunk[Number(f.Id)]?.recipient ?? `entry ${f.Id}`, code: f.Code ?? 'unknown' });
      }
      // Retrying the whole event is safe: each message's id is stable, and recipients deduplicate on it.
      if (failed.length > 0) throw new RecipientPublishError(failed);
      return messages.map((m) => m.recipient);
    },
  };
}
