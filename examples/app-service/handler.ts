/**
 * The example recipient's Lambda: consumes the `app-service` recipient queue (SQS event source, partial batch failures),
 * hands each message to `handleMessage`, and reports the ones that failed so only those come back (after the queue's
 * visibility timeout; the fifth failure sends a message to the recipient's DLQ). Logs ids and outcomes, never a subject id.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ackClient, ackSecret, dynamoRecords, uploadPart } from './adapters';
import type { RecipientMessage } from './contract';
import { handleMessage, type ExampleRecipientDeps } from './service';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/** The recipient id it acks as (its declaration in the backend's lambdas/recipients.ts). */
const RECIPIENT_ID = 'app-service';

let deps: ExampleRecipientDeps | undefined;
function depsOnce(): ExampleRecipientDeps {
  if (deps) return deps;
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  let kms: KMSClient | undefined;
  deps = {
    records: dynamoRecords(db, required('APP_SERVICE_TABLE_NAME')),
    ack: ackClient(required('FMN_API_URL'), RECIPIENT_ID, ackSecret(() => (kms ??= new KMSClient({})))),
    upload: uploadPart,
  };
  return deps;
}

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const message = JSON.parse(record.body) as RecipientMessage;
      const outcome = await handleMessage(message, depsOnce());
      console.log(JSON.stringify({ level: 'INFO', message: 'recipient message handled', messageId: message.id, type: message.type, outcome }));
    } catch (error) {
      console.error(JSON.stringify({ level: 'ERROR', message: 'recipient message failed', sqsMessageId: record.messageId, errorClass: (error as Error).name }));
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
