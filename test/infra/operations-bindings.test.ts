/**
 * The operations routes' grants (`bindOperations`, lib/constructs/bindings.ts): the view reads every queue's and DLQ's
 * attributes and nothing of their messages, and lists alarms; the redrive consumes the DLQs and sends to their source
 * queues, and sends nowhere else. Each env var comes with its grant.
 */
import { RECIPIENT_IDS } from '../../lambdas/recipients';
import { ALARM_TOPIC_ENV, queueEnvVar, recipientDlqId, recipientQueueEnvVar, recipientQueueId } from '../../lambdas/runtime/resources';
import { actionsOn, environmentOf, resolvedIn, serviceActions, statementsOf, synth, type Synthesized } from './support';

let dev: Synthesized;
beforeAll(() => {
  dev = synth({ stage: 'dev' });
});

const fnOf = (id: string) => dev.api.functions.get(id)!;
const pairs = () => [
  { queue: dev.stateful.resources.rightsRequestQueue, dlq: dev.stateful.resources.rightsRequestDlq, env: [queueEnvVar('rightsRequestQueue'), queueEnvVar('rightsRequestDlq')] },
  ...RECIPIENT_IDS.map((id) => ({
    ...dev.stateful.resources.recipientQueues[id],
    env: [recipientQueueEnvVar(recipientQueueId(id)), recipientQueueEnvVar(recipientDlqId(id))],
  })),
];

it('the view: GetQueueAttributes on every queue and DLQ, no message access, DescribeAlarms, each URL and the alarm topic set', () => {
  const fn = fnOf('adminOperations');
  const statements = statementsOf(fn);
  for (const pair of pairs()) {
    expect(actionsOn(statements, resolvedIn(fn, pair.queue.queueArn))).toEqual(['sqs:GetQueueAttributes']);
    expect(actionsOn(statements, resolvedIn(fn, pair.dlq.queueArn))).toEqual(['sqs:GetQueueAttributes']);
    for (const name of pair.env) expect(environmentOf(fn)[name]).toBeDefined();
  }
  expect(serviceActions(statements, 'sqs:').filter((a) => a !== 'sqs:GetQueueAttributes')).toEqual([]);
  expect(serviceActions(statements, 'cloudwatch:')).toEqual(['cloudwatch:DescribeAlarms']);
  expect(environmentOf(fn)[ALARM_TOPIC_ENV]).toEqual(resolvedIn(fn, dev.stateful.resources.alarmTopic.topicArn));
});

it('the redrive: consumes every DLQ and sends to its source queue; no alarms, no publish', () => {
  const fn = fnOf('redriveQueue');
  const statements = statementsOf(fn);
  for (const pair of pairs()) {
    expect(actionsOn(statements, resolvedIn(fn, pair.dlq.queueArn))).toEqual(
      expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes']),
    );
    expect(actionsOn(statements, resolvedIn(fn, pair.dlq.queueArn))).not.toContain('sqs:SendMessage');
    expect(actionsOn(statements, resolvedIn(fn, pair.queue.queueArn))).toEqual(expect.arrayContaining(['sqs:SendMessage']));
    // nothing is read or deleted in the source queue
    expect(actionsOn(statements, resolvedIn(fn, pair.queue.queueArn))).not.toContain('sqs:ReceiveMessage');
    expect(actionsOn(statements, resolvedIn(fn, pair.queue.queueArn))).not.toContain('sqs:DeleteMessage');
  }
  expect(serviceActions(statements, 'cloudwatch:')).toEqual([]);
  expect(serviceActions(statements, 'sns:')).toEqual([]);
  expect(environmentOf(fn)[ALARM_TOPIC_ENV]).toBeUndefined();
});
