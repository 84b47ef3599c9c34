/** The last run of each scheduled job: one item per job in the jobRuns table, overwritten by each later run. */
import type { DynamoDBDocumentClient } from './dynamodb-sdk';
import { BatchGetCommand, ConditionalCheckFailedException, PutCommand } from './dynamodb-sdk';
import type { JobRun, JobRunLog } from '../domain/job-runs';

export class DynamoJobRunLog implements JobRunLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(run: JobRun): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: run,
          // A run that started later (an overlapping one, e.g. `fmn job run` during the schedule's) keeps its record.
          ConditionExpression: 'attribute_not_exists(jobId) OR startedAt <= :startedAt',
          ExpressionAttributeValues: { ':startedAt': run.startedAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async lastRuns(jobIds: readonly string[]): Promise<JobRun[]> {
    if (jobIds.length === 0) return [];
    // At most 10 jobs (the FailedInvocations alarm's limit, lib/api-stack.ts): one BatchGetItem of up to 100 keys.
    let keys: Record<string, unknown>[] | undefined = jobIds.map((jobId) => ({ jobId }));
    const runs: JobRun[] = [];
    for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt++) {
      const answer: { Responses?: Record<string, unknown[]>; UnprocessedKeys?: Record<string, { Keys?: Record<string, unknown>[] }> } = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }));
      runs.push(...((answer.Responses?.[this.table] ?? []) as JobRun[]));
      keys = answer.UnprocessedKeys?.[this.table]?.Keys;
    }
    return runs;
  }
}
