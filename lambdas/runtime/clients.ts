/**
 * SDK clients, built once per cold start. Endpoints come from the environment the SDK already reads
 * (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_KMS`, `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_S3`): unset on AWS, set to
 * the local cloud by `npm start`. Handlers are the same code in both places.
 */
import { DynamoDBClient } from '../adapters/dynamodb-sdk';
import { DynamoDBDocumentClient } from '../adapters/dynamodb-sdk';
import { instrumented } from './test-hooks';

// instrumented: the client itself, unless a test harness installed a hook (test-hooks.ts).
export const dynamodb = instrumented(
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
  'dynamodb',
);
