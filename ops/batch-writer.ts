/**
 * Buffered BatchWriteItem: puts are grouped 25 at a time (DynamoDB's limit) per table, and the items DynamoDB hands back
 * as unprocessed (throttling, a busy partition) are retried with exponential backoff until they land or the attempts run out.
 */
import { BatchWriteCommand, type BatchWriteCommandInput, type BatchWriteCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const BATCH_SIZE = 25;
const MAX_ATTEMPTS = 8;

type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>;

export class BatchWriter {
  private readonly pending = new Map<string, Record<string, unknown>[]>();
  /** Items written, by table name. */
  readonly written: Record<string, number> = {};

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async put(table: string, item: Record<string, unknown>): Promise<void> {
    const items = this.pending.get(table) ?? [];
    items.push(item);
    this.pending.set(table, items);
    if (items.length >= BATCH_SIZE) await this.flushTable(table);
  }

  async flush(): Promise<void> {
    for (const table of [...this.pending.keys()]) await this.flushTable(table);
  }

  private async flushTable(table: string): Promise<void> {
    const items = this.pending.get(table) ?? [];
    this.pending.delete(table);
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
      const batch = items.slice(i, i + BATCH_SIZE);
      await this.write({ [table]: batch.map((Item) => ({ PutRequest: { Item } })) });
      this.written[table] = (this.written[table] ?? 0) + batch.length;
    }
  }

  private async write(requests: WriteRequests): Promise<void> {
    let remaining: WriteRequests | undefined = requests;
    for (let attempt = 1; remaining && Object.keys(remaining).length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`BatchWriteItem: items still unprocessed after ${MAX_ATTEMPTS} attempts`);
      if (attempt > 1) await this.sleep(Math.min(5_000, 50 * 2 ** (attempt - 2)) * (0.5 + Math.random() / 2));
      const answer: BatchWriteCommandOutput = await this.db.send(new BatchWriteCommand({ RequestItems: remaining }));
      remaining = answer.UnprocessedItems;
    }
  }
}
