/** The adapters of the operations view and the DLQ redrive (`domain/operations.ts`), built once per cold start. */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchAlarms } from '../adapters/cloudwatch-alarms';
import { DynamoJobRunLog } from '../adapters/dynamo-job-runs';
import { SqsOperatedQueues } from '../adapters/sqs-operations';
import { QUEUE_PAIRS, type AlarmReader } from '../domain/operations';
import type { DataTouch } from '../http/route-definition';
import { dynamodb } from '../runtime/clients';
import { requireEnv } from '../runtime/env';
import { ALARM_TOPIC_ENV, envVarFor, type ResourceId } from '../runtime/resources';
import { sqsClient } from '../runtime/sqs';
import { declaredStores } from '../runtime/stores';

/** Every queue and DLQ of `QUEUE_PAIRS`, by id; their URLs are read now, so a function without one fails at cold start. */
export function operatedQueues(): SqsOperatedQueues {
  const urls = new Map(QUEUE_PAIRS.flatMap((pair) => [pair.queue, pair.dlq]).map((id) => [id as string, requireEnv(envVarFor('queue', id as ResourceId))]));
  return new SqsOperatedQueues(sqsClient(), (queue) => {
    const url = urls.get(queue);
    if (!url) throw new Error(`no queue ${queue} among the operated queues`);
    return url;
  });
}

/** The stage's alarms on AWS; undefined where there is no CloudWatch (the local cloud sets no alarm topic). */
export function alarmReader(): AlarmReader | undefined {
  const topic = process.env[ALARM_TOPIC_ENV];
  return topic ? new CloudWatchAlarms(new CloudWatchClient({}), topic) : undefined;
}

/** The scheduled jobs' last runs, from the jobRuns table the owner declares. */
export function jobRuns(owner: { id: string; personalData: readonly DataTouch[] }): DynamoJobRunLog {
  return new DynamoJobRunLog(dynamodb, declaredStores(owner).table('jobRuns'));
}
