/**
 * The stateful stack's CloudFormation exports, pinned: the one list of what the API stack may import.
 *
 * CDK creates a cross-stack export only while something imports it. Remove the last consumer of one (an alarm, a route)
 * and the same `cdk deploy --all` would delete the export while updating the stateful stack, which deploys first, while
 * the deployed API stack still imports it: CloudFormation refuses ("Export … cannot be deleted as it is in use by …") and
 * the deploy is stuck. Pinned here with `Stack.exportValue`, each export exists whether or not anything imports it, so
 * consumers come and go freely. An export goes only in a second, deliberate deploy (docs: "Removing or replacing a table
 * or key"): drop its pin here and record its name in `RETIRED_EXPORTS`. `test/infra/stateful-exports.test.ts` fails when
 * an export disappears any other way.
 */
import type { Stack } from 'aws-cdk-lib';
import { RECIPIENT_IDS, webhookRecipientIds } from '../lambdas/recipients';
import { TABLE_IDS, type KeyId } from '../lambdas/runtime/resources';
import type { StatefulResources } from './stateful-stack';

export interface PinnedExport {
  /** A resource attribute (ARN, name, URL): export names are derived from it, exactly as CDK names implicit exports. */
  readonly value: string;
  /** What it is, shown as the output's description. */
  readonly description: string;
}

/** The keys functions are granted; the trail key is used by CloudTrail alone and is not exported. */
const EXPORTED_KEYS: readonly KeyId[] = ['dataKey', 'queueKey', 'logsKey', 'pseudonymKey', 'recipientEventsKey', 'subjectEventsKey'];

/** Every value of the stateful stack that the API stack imports (or may import without a two-step deploy). */
export function pinnedExports(resources: StatefulResources): PinnedExport[] {
  const { tables, keys, exportsBucket, rightsRequestQueue, rightsRequestDlq, scheduledJobsDlq, alarmTopic, recipientEvents, subjectEvents } = resources;
  return [
    ...TABLE_IDS.flatMap((id) => [
      { value: tables[id].tableArn, description: `${id} table ARN` },
      { value: tables[id].tableName, description: `${id} table name` },
    ]),
    ...EXPORTED_KEYS.map((id) => ({ value: keys[id].keyArn, description: `${id} ARN` })),
    { value: exportsBucket.bucketArn, description: 'exports bucket ARN' },
    { value: exportsBucket.bucketName, description: 'exports bucket name' },
    { value: rightsRequestQueue.queueArn, description: 'rights-request queue ARN' },
    { value: rightsRequestQueue.queueUrl, description: 'rights-request queue URL' },
    { value: rightsRequestDlq.queueName, description: 'rights-request DLQ name (its alarm)' },
    { value: scheduledJobsDlq.queueArn, description: "scheduled jobs' DLQ ARN" },
    { value: scheduledJobsDlq.queueName, description: "scheduled jobs' DLQ name (its alarm)" },
    { value: alarmTopic.topicArn, description: 'alarm topic ARN' },
    // The publisher's grant (`bindRecipientEvents`): the topic and, through EXPORTED_KEYS, its key.
    { value: recipientEvents.topicArn, description: 'recipient-events topic ARN' },
    // The outbox drain publishes the subject's events (`bindSubjectEvents`).
    { value: subjectEvents.topicArn, description: 'subject-events topic ARN' },
    // The webhook dispatchers consume their recipients' queues (event source) and change visibility (backoff).
    ...webhookRecipientIds().flatMap((id) => [
      { value: resources.recipientQueues[id].queue.queueArn, description: `recipient ${id} queue ARN` },
      { value: resources.recipientQueues[id].queue.queueUrl, description: `recipient ${id} queue URL` },
    ]),
    // The operations view reads every queue's and DLQ's counters, and its redrive moves DLQ messages back (bindOperations).
    { value: rightsRequestDlq.queueArn, description: 'rights-request DLQ ARN' },
    { value: rightsRequestDlq.queueUrl, description: 'rights-request DLQ URL' },
    ...RECIPIENT_IDS.filter((id) => !webhookRecipientIds().includes(id)).map((id) => ({
      value: resources.recipientQueues[id].queue.queueUrl,
      description: `recipient ${id} queue URL`,
    })),
    ...RECIPIENT_IDS.flatMap((id) => [
      { value: resources.recipientQueues[id].dlq.queueArn, description: `recipient ${id} DLQ ARN` },
      { value: resources.recipientQueues[id].dlq.queueUrl, description: `recipient ${id} DLQ URL` },
    ]),
    // A queue recipient's own consumer in this account (the example recipient stack, -c exampleRecipient=true) reads its queue.
    ...RECIPIENT_IDS.filter((id) => !webhookRecipientIds().includes(id)).map((id) => ({
      value: resources.recipientQueues[id].queue.queueArn,
      description: `recipient ${id} queue ARN`,
    })),
  ];
}

/**
 * Export names (without the `<stack name>:` prefix) removed on purpose, each with why and when. An export listed here
 * must be gone from the template; one that disappears without being listed fails the infra tests.
 */
export const RETIRED_EXPORTS: Readonly<Record<string, string>> = {};

/** Creates each pinned export on `stack` (the stateful stack), whether or not the API stack imports it. */
export function pinExports(stack: Stack, resources: StatefulResources): void {
  for (const pin of pinnedExports(resources)) {
    stack.exportValue(pin.value, { description: `Pinned export (lib/stateful-exports.ts): ${pin.description}` });
  }
}
