import { SNSClient } from '@aws-sdk/client-sns';
import { instrumented } from './test-hooks';

let client: SNSClient | undefined;
/** One SNS client per container, built by the first publish: most invocations of a publishing function publish nothing. */
export function sns(): SNSClient {
  return (client ??= instrumented(new SNSClient({}), 'sns'));
}
