/**
 * Which of some accounts stand under a legal hold, for the admin inbox's filter: one BatchGetItem per 100 accounts,
 * reading the hold attribute only (never the profile).
 */
import { BatchGetCommand } from './dynamodb-sdk';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB's limit of keys per BatchGetItem. */
const KEYS_PER_BATCH = 100;
/** Unprocessed keys (throttling) are asked for again this many times before the call fails. */
const MAX_ROUNDS = 5;

export class DynamoLegalHolds {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The subject ids among `subjectIds` whose account has a legal hold. */
  async heldAmong(subjectIds: readonly string[]): Promise<Set<string>> {
    const held = new Set<string>();
    const unique = [...new Set(subjectIds)];
    for (let i = 0; i < unique.length; i += KEYS_PER_BATCH) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + KEYS_PER_BATCH).map((subjectId) => ({ subjectId }));
      for (let round = 0; keys.length > 0; round++) {
        if (round >= MAX_ROUNDS) throw new Error('legal holds: unprocessed keys left after retries');
        const answer = await this.db.send(
          new BatchGetCommand({
            RequestItems: { [this.table]: { Keys: keys, ProjectionExpression: 'subjectId, legalHold', ConsistentRead: true } },
          }),
        );
        for (const item of answer.Responses?.[this.table] ?? []) if (item.legalHold) held.add(item.subjectId as string);
        keys = (answer.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return held;
  }
}
