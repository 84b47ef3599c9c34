import { SQSClient } from '@aws-sdk/client-sqs';
import { instrumented } from './test-hooks';

let client: SQSClient | undefined;
/** One SQS client per container, built by the first function that sends (or changes a message's visibility). */
export function sqsClient(): SQSClient {
  return (client ??= instrumented(new SQSClient({}), 'sqs'));
}
