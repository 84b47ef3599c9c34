/**
 * Every page of a Query or Scan, in order, through the SDK's own paginators (`paginateQuery`, `paginateScan`): DynamoDB
 * returns at most 1 MB per call, and every adapter, job or command that lists needs all of it. The one place that pages.
 */
import { paginateQuery, paginateScan, QueryCommand, ScanCommand } from './dynamodb-sdk';
import type {
  DynamoDBDocumentClient,
  DynamoDBDocumentPaginationConfiguration,
  QueryCommandInput,
  ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
type QueryInput = Omit<QueryCommandInput, 'ExclusiveStartKey'>;
type ScanInput = Omit<ScanCommandInput, 'ExclusiveStartKey'>;

/**
 * The paginators write each page's token into one shared input object, which every page's command holds by reference:
 * each command gets its own copy instead, so whatever recorded a call (the field trace, the benchmark's probe and replay,
 * test mocks) still sees the token that call was sent with.
 */
function paging(db: DynamoDBDocumentClient): DynamoDBDocumentPaginationConfiguration {
  return {
    client: db,
    withCommand: (command) =>
      command instanceof QueryCommand ? new QueryCommand({ ...command.input }) : new ScanCommand({ ...(command as ScanCommand).input }),
  };
}

/** The items of every page of a Query, one at a time, as the pages arrive. */
export async function* queryItems<T = Item>(db: DynamoDBDocumentClient, input: QueryInput): AsyncGenerator<T> {
  for await (const page of paginateQuery(paging(db), { ...input })) yield* (page.Items ?? []) as T[];
}

/** The items of every page of a Scan, one at a time, as the pages arrive. */
export async function* scanItems<T = Item>(db: DynamoDBDocumentClient, input: ScanInput): AsyncGenerator<T> {
  for await (const page of paginateScan(paging(db), { ...input })) yield* (page.Items ?? []) as T[];
}

export async function queryAll<T = Item>(db: DynamoDBDocumentClient, input: QueryInput): Promise<T[]> {
  return collect(queryItems<T>(db, input));
}

export async function scanAll<T = Item>(db: DynamoDBDocumentClient, input: ScanInput): Promise<T[]> {
  return collect(scanItems<T>(db, input));
}

/** How many items a Query matches over all its pages, reading none of their attributes (`Select: 'COUNT'`). */
export async function queryCount(db: DynamoDBDocumentClient, input: Omit<QueryInput, 'Select'>): Promise<number> {
  let count = 0;
  for await (const page of paginateQuery(paging(db), { ...input, Select: 'COUNT' })) count += page.Count ?? 0;
  return count;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
