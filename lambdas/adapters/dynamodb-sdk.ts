/**
 * The DynamoDB SDK names this code uses, imported from the SDK here and nowhere else. The SDK's packages are CommonJS, and
 * esbuild gives every ES module that imports one its own copy of the package's exports (about 500 accessors for
 * `@aws-sdk/client-dynamodb`), built at cold start: one importing module instead of one per adapter saves each function
 * those copies (bench/notes.md, P2). `test/unit/function-bundles.test.ts` keeps it that way.
 */
export {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
export {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  paginateQuery,
  paginateScan,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
