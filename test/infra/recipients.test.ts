/**
 * The recipient fan-out as deployed: an encrypted topic, one queue and DLQ per declared recipient subscribed with raw
 * delivery and the filter policy computed from its declaration, and a publish grant that reaches the topic and its key only.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { filterPolicyFor } from '../../lambdas/domain/recipient-events';
import { RECIPIENT_IDS } from '../../lambdas/recipients';
import { RESOURCE_TAG, recipientDlqId, recipientQueueId, topicEnvVar, type ResourceId } from '../../lambdas/runtime/resources';
import { DLQ_RETENTION_DAYS, QUEUE_RETENTION_DAYS } from '../../lambdas/retention-periods';
import { bindDeclarations, bindRecipientEvents, type Declaration } from '../../lib/constructs/bindings';
import { rightsRequestWorker } from '../../lambdas/handlers/rights-request-worker.route';
import { drainRecipientOutboxJob } from '../../lambdas/schedules';
import { BackendFunction } from '../../lib/constructs/backend-function';
import { newInProcessApp } from '../../lib/app';
import { stageConfig } from '../../lib/config';
import { RECIPIENT_MAX_RECEIVES, RECIPIENT_QUEUE_VISIBILITY, StatefulStack } from '../../lib/stateful-stack';
import { asList, environmentOf, scratchDir, statementsOf, synth, type Synthesized } from './support';

type Json = Record<string, any>;

let built: Synthesized;
let template: Json;
beforeAll(() => {
  built = synth({ stage: 'dev' });
  template = built.statefulTemplate.toJSON();
});

const resources = (type: string) => Object.entries(template.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);

/** The logical id of the resource tagged with `id`. */
function tagged(type: string, id: ResourceId): string {
  const found = resources(type).filter(([, r]) => (r.Properties.Tags ?? []).some((t: Json) => t.Key === RESOURCE_TAG && t.Value === id));
  expect(found).toHaveLength(1);
  return found[0][0];
}

const getAtt = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

describe('the recipient-events topic', () => {
  it('is encrypted with a customer-managed, rotated key of its own, and refuses plain HTTP', () => {
    const topicId = tagged('AWS::SNS::Topic', 'recipientEvents');
    const keyId = tagged('AWS::KMS::Key', 'recipientEventsKey');
    expect(template.Resources[topicId].Properties.KmsMasterKeyId).toEqual(getAtt(keyId));
    expect(template.Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    const policies = resources('AWS::SNS::TopicPolicy').filter(([, p]) => p.Properties.Topics.some((t: Json) => t.Ref === topicId));
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });
});

describe('the subject-events topic', () => {
  it('is encrypted with a rotated key of its own, refuses plain HTTP, has no subscription (the app adds its mailer)', () => {
    const topicId = tagged('AWS::SNS::Topic', 'subjectEvents');
    const keyId = tagged('AWS::KMS::Key', 'subjectEventsKey');
    expect(template.Resources[topicId].Properties.KmsMasterKeyId).toEqual(getAtt(keyId));
    expect(template.Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    const policies = resources('AWS::SNS::TopicPolicy').filter(([, p]) => p.Properties.Topics.some((t: Json) => t.Ref === topicId));
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(resources('AWS::SNS::Subscription').filter(([, s]) => s.Properties.TopicArn?.Ref === topicId)).toEqual([]);
    // Its ARN is an output: what an app subscribes its mailer to.
    expect(Object.values(template.Outputs as Record<string, Json>)).toContainEqual(
      expect.objectContaining({ Description: topicEnvVar('subjectEvents'), Value: { Ref: topicId } }),
    );
  });

  it('is published to by the outbox drain alone, on that topic and key only', () => {
    const app = newInProcessApp({ outdir: scratchDir('fmn-subject-publisher-'), context: { 'aws:cdk:bundling-stacks': [] } });
    const stateful = new StatefulStack(app, 'FmnStateful-dev', { config: stageConfig('dev') });
    const stack = new Stack(app, 'SubjectPublisherProbe');
    const drain = probeFunction(stack, stateful, 'Drain');
    bindDeclarations(drain, drainRecipientOutboxJob, stateful.resources);
    const worker = probeFunction(stack, stateful, 'Worker');
    bindDeclarations(worker, rightsRequestWorker, stateful.resources);
    Template.fromStack(stack);
    const topic = JSON.stringify(stack.resolve(stateful.resources.subjectEvents.topicArn));
    const publishes = (fn: BackendFunction) =>
      statementsOf(fn).filter((s) => asList(s.Action).includes('sns:Publish')).flatMap((s) => asList(s.Resource).map((r) => JSON.stringify(r)));
    expect(publishes(drain)).toContain(topic);
    expect(publishes(worker)).not.toContain(topic);
    expect(environmentOf(drain)[topicEnvVar('subjectEvents')]).toEqual(stack.resolve(stateful.resources.subjectEvents.topicArn));
  });
});

describe.each(RECIPIENT_IDS)('recipient %s', (id) => {
  const queueId = () => tagged('AWS::SQS::Queue', recipientQueueId(id));
  const dlqId = () => tagged('AWS::SQS::Queue', recipientDlqId(id));
  const subscriptions = () => resources('AWS::SNS::Subscription').filter(([, s]) => JSON.stringify(s.Properties.Endpoint) === JSON.stringify(getAtt(queueId())));

  it('has one queue and one DLQ, both under the queue key, retained as declared, redriving after a few receives', () => {
    const queue = template.Resources[queueId()].Properties;
    const dlq = template.Resources[dlqId()].Properties;
    const queueKey = getAtt(tagged('AWS::KMS::Key', 'queueKey'));
    expect(queue.KmsMasterKeyId).toEqual(queueKey);
    expect(dlq.KmsMasterKeyId).toEqual(queueKey);
    expect(queue.MessageRetentionPeriod).toBe(QUEUE_RETENTION_DAYS * 86_400);
    expect(dlq.MessageRetentionPeriod).toBe(DLQ_RETENTION_DAYS * 86_400);
    expect(queue.VisibilityTimeout).toBe(RECIPIENT_QUEUE_VISIBILITY.toSeconds());
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: getAtt(dlqId()), maxReceiveCount: RECIPIENT_MAX_RECEIVES });
  });

  it('accepts only TLS, and SendMessage only from the recipient-events topic', () => {
    for (const logicalId of [queueId(), dlqId()]) {
      const statements = resources('AWS::SQS::QueuePolicy')
        .filter(([, p]) => p.Properties.Queues.some((q: Json) => q.Ref === logicalId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      const sends = statements.filter((s) => s.Effect === 'Allow');
      expect(sends).toHaveLength(1);
      expect(sends[0]).toMatchObject({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: tagged('AWS::SNS::Topic', 'recipientEvents') } } },
      });
    }
  });

  it('is subscribed once, with raw delivery, its DLQ for undeliverable messages, and the filter policy of its declaration', () => {
    const found = subscriptions();
    expect(found).toHaveLength(1);
    expect(found[0][1].Properties).toEqual({
      Protocol: 'sqs',
      TopicArn: { Ref: tagged('AWS::SNS::Topic', 'recipientEvents') },
      Endpoint: getAtt(queueId()),
      RawMessageDelivery: true,
      RedrivePolicy: { deadLetterTargetArn: getAtt(dlqId()) },
      FilterPolicy: filterPolicyFor(id),
    });
    expect(found[0][1].Properties.FilterPolicy.recipient).toEqual([id]);
  });
});

it('lets SNS use the queue key only on behalf of the recipient-events topic', () => {
  const key = template.Resources[tagged('AWS::KMS::Key', 'queueKey')].Properties.KeyPolicy.Statement as Json[];
  const forSns = key.filter((s) => JSON.stringify(s.Principal ?? {}).includes('sns.amazonaws.com'));
  expect(forSns.length).toBeGreaterThan(0);
  for (const s of forSns) {
    expect(s.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': { Ref: tagged('AWS::SNS::Topic', 'recipientEvents') } } });
    expect(asList(s.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  }
});

it('has as many queues and subscriptions as there are recipients, and no more', () => {
  expect(resources('AWS::SNS::Subscription')).toHaveLength(RECIPIENT_IDS.length);
  const recipientQueues = resources('AWS::SQS::Queue').filter(([, r]) =>
    (r.Properties.Tags ?? []).some((t: Json) => t.Key === RESOURCE_TAG && String(t.Value).startsWith('recipient-')),
  );
  expect(recipientQueues).toHaveLength(2 * RECIPIENT_IDS.length);
});

/** A function with nothing bound yet, in a stack of its own, for the bind helpers to act on. */
function probeFunction(stack: Stack, stateful: StatefulStack, id: string): BackendFunction {
  return new BackendFunction(stack, id, {
    handler: 'health',
    stage: 'dev',
    logsKey: stateful.resources.keys.logsKey,
    logRetention: logs.RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
    timeout: Duration.seconds(5),
    invocation: { mode: 'synchronous', caller: 'a test' },
    concurrency: { boundedBy: 'a test' },
  });
}

describe('bindRecipientEvents', () => {
  it('grants publish on the topic and the two KMS actions on its key, nothing on the queues, and sets the topic variable', () => {
    // A fresh app (the synthesized one is sealed): the stateful stack, and a probe function in a stack of its own.
    const app = newInProcessApp({ outdir: scratchDir('fmn-publisher-probe-'), context: { 'aws:cdk:bundling-stacks': [] } });
    const stateful = new StatefulStack(app, 'FmnStateful-dev', { config: stageConfig('dev') });
    const stack = new Stack(app, 'PublisherProbe');
    const fn = probeFunction(stack, stateful, 'Publisher');
    bindRecipientEvents(fn, stateful.resources);
    Template.fromStack(stack); // resolves cross-stack references
    const resolve = (token: string) => JSON.stringify(stack.resolve(token));
    const topic = resolve(stateful.resources.recipientEvents.topicArn);
    const key = resolve(stateful.resources.keys.recipientEventsKey.keyArn);
    const statements = statementsOf(fn).filter((s) => asList(s.Action).some((a) => a.startsWith('sns:') || a.startsWith('kms:') || a.startsWith('sqs:')));
    expect(statements.map((s) => ({ actions: asList(s.Action).sort(), resources: asList(s.Resource).map((r) => JSON.stringify(r)) }))).toEqual(
      expect.arrayContaining([
        { actions: ['sns:Publish'], resources: [topic] },
        { actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: [key] },
      ]),
    );
    expect(statements.flatMap((s) => asList(s.Action))).not.toContainEqual(expect.stringMatching(/^sqs:/));
    expect(statements).toHaveLength(2);
    expect(environmentOf(fn)[topicEnvVar('recipientEvents')]).toEqual(stack.resolve(stateful.resources.recipientEvents.topicArn));
  });

  it('is what a declared write of recipientEvents binds (the rights worker publishes), and nothing but a write is accepted', () => {
    const app = newInProcessApp({ outdir: scratchDir('fmn-declared-publisher-'), context: { 'aws:cdk:bundling-stacks': [] } });
    const stateful = new StatefulStack(app, 'FmnStateful-dev', { config: stageConfig('dev') });
    const stack = new Stack(app, 'DeclaredPublisherProbe');
    const probe = (id: string) => probeFunction(stack, stateful, id);
    const worker = probe('Worker');
    bindDeclarations(worker, rightsRequestWorker, stateful.resources);
    Template.fromStack(stack);
    expect(rightsRequestWorker.personalData.some((t) => t.store === 'recipientEvents')).toBe(true);
    const topic = JSON.stringify(stack.resolve(stateful.resources.recipientEvents.topicArn));
    const publish = statementsOf(worker).filter((s) => asList(s.Action).includes('sns:Publish'));
    expect(publish.map((s) => asList(s.Resource).map((r) => JSON.stringify(r)))).toEqual([[topic]]);
    expect(environmentOf(worker)[topicEnvVar('recipientEvents')]).toEqual(stack.resolve(stateful.resources.recipientEvents.topicArn));
    // The queues behind the topic are the recipients' to read: a declaration cannot claim that.
    const reader = { id: 'reader', personalData: [{ store: 'recipientEvents', access: ['read'], fields: ['subjectId'] }] } as unknown as Declaration;
    expect(() => bindDeclarations(probe('Reader'), reader, stateful.resources)).toThrow(/can only be written/);
  });
});
