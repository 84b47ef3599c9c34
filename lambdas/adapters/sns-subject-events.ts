/**
 * The subject-events publisher on SNS: one write's events become one PublishBatch on the subject-events topic, in order.
 * Message attributes (`kind`, `status`, `requestType`) let a subscription filter (a mailer that only sends "ready" mails
 * subscribes with `{"status": ["completed"]}`); they name states, never a person.
 */
import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SubjectEvent, SubjectEventPublisher } from '../domain/subject-events';

/** SNS takes at most 10 entries per PublishBatch; a write has at most three events (a new automatic request). */
const BATCH = 10;

/** A publish the topic refused; names SNS's error codes and the event ids (request id and position), never a person. */
export class SubjectPublishError extends Error {
  constructor(readonly failed: readonly { eventId: string; code: string }[]) {
    super(`publishing subject events ${failed.map((f) => `${f.eventId} (${f.code})`).join(', ')} failed`);
    this.name = 'SubjectPublishError';
  }
}

export function snsSubjectEventPublisher(sns: Pick<SNSClient, 'send'>, topicArn: string): SubjectEventPublisher {
  return {
    async publish(events: readonly SubjectEvent[]): Promise<void> {
      const failed: { eventId: string; code: string }[] = [];
      for (let i = 0; i < events.length; i += BATCH) {
        const chunk = events.slice(i, i + BATCH);
        const result = await sns.send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: chunk.map((event, j) => ({
              Id: String(j),
              Message: JSON.stringify(event),
              MessageAttributes: {
                kind: { DataType: 'String', StringValue: event.kind },
                status: { DataType: 'String', StringValue: event.status },
                requestType: { DataType: 'String', StringValue: event.requestType },
              },
            })),
          }),
        );
        for (const f of result.Failed ?? []) failed.push({ eventId: chunk[Number(f.Id)]?.eventId ?? `entry ${f.Id}`, code: f.Code ?? 'unknown' });
      }
      // Publishing the whole write again is safe: each event's id is stable, and subscribers deduplicate on it.
      if (failed.length > 0) throw new SubjectPublishError(failed);
    },
  };
}
