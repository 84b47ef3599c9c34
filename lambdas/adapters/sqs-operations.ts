/**
 * The queues as the operations view and the redrive see them (`domain/operations.ts`): counters from GetQueueAttributes,
 * and the receive / send / delete a redrive makes. A message's body and attributes travel as they are; nothing here parses
 * or logs them.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { MovingMessage, OperatedQueues, QueueDepth } from '../domain/operations';

/** Long enough to send and delete a batch; if the function dies, the messages reappear in the DLQ by themselves. */
const MOVE_VISIBILITY_SECONDS = 60;

interface SqsMovingMessage extends MovingMessage {
  readonly body: string;
  readonly attributes?: Record<string, MessageAttributeValue>;
}

export class SqsOperatedQueues implements OperatedQueues {
  constructor(
    private readonly sqs: SQSClient,
    /** The URL of a queue by its id (`runtime/resources.ts`); throws for a queue the function was not given. */
    private readonly urlOf: (queue: string) => string,
  ) {}

  async depth(queue: string): Promise<QueueDepth> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.urlOf(queue),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    const count = (name: string) => Number(Attributes[name as keyof typeof Attributes] ?? 0) || 0;
    return {
      visible: count('ApproximateNumberOfMessages'),
      inFlight: count('ApproximateNumberOfMessagesNotVisible'),
      delayed: count('ApproximateNumberOfMessagesDelayed'),
    };
  }

  async receive(queue: string, max: number): Promise<MovingMessage[]> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.urlOf(queue),
        MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
        VisibilityTimeout: MOVE_VISIBILITY_SECONDS,
        // A short wait: SQS's short poll samples some servers only and can answer empty while messages wait.
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages.map((m): SqsMovingMessage => ({ receiptHandle: m.ReceiptHandle!, body: m.Body ?? '', attributes: m.MessageAttributes }));
  }

  async send(queue: string, message: MovingMessage): Promise<void> {
    const { body, attributes } = message as SqsMovingMessage;
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.urlOf(queue),
        MessageBody: body,
        ...(attributes && Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
      }),
    );
  }

  async delete(queue: string, message: MovingMessage): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.urlOf(queue), ReceiptHandle: message.receiptHandle }));
  }

  async release(queue: string, messages: readonly MovingMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.urlOf(queue),
          Entries: messages.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.receiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
}
