/**
 * Alarms reach a person: every alarm of either stack notifies the stage's alarm topic (on ALARM and on OK), the topic is
 * encrypted with a customer-managed key that CloudWatch may use (or notifications would be dropped without an error),
 * only CloudWatch alarms of this account may publish to it, over TLS, and `-c alarmEmail=` subscribes addresses.
 * Scheduled jobs' asynchronous failures land in a DLQ that is alarmed on, and concurrency is capped per stage.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { schedules } from '../../lambdas/schedules';
import { configFromContext, stageConfig } from '../../lib/config';
import { NotifyingAlarm } from '../../lib/constructs/notifying-alarm';
import { actionsOn, apiStacks, propertiesOf, resolvedIn, statementsOf, synth, templateOf, type Synthesized } from './support';

type Json = Record<string, any>;

let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synth({ stage: 'dev' });
  prod = synth({ stage: 'prod', alarmEmails: ['ops@example.com', 'oncall@example.org'] });
});

/** Logical ids of the alarms in `template` whose ALARM or OK actions are not exactly the topic. */
function alarmsNotNotifying(template: Template, topicRef: unknown): string[] {
  const alarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, Json>;
  const expected = JSON.stringify([topicRef]);
  return Object.entries(alarms)
    .filter(([, a]) => {
      const p = a.Properties;
      return p.ActionsEnabled !== true || JSON.stringify(p.AlarmActions) !== expected || JSON.stringify(p.OKActions) !== expected;
    })
    .map(([id]) => id);
}

const topicIn = (s: Synthesized, stack: Stack) => resolvedIn(stack, s.stateful.resources.alarmTopic.topicArn);

describe('every alarm', () => {
  it.each([
    ['dev', () => dev],
    ['prod', () => prod],
  ] as const)('in %s notifies the alarm topic when it fires and when it clears', (_, get) => {
    const s = get();
    // The API stack and every stack nested in it (the alarms are in the jobs' stack today).
    const stacks = apiStacks(s);
    const alarms = stacks.flatMap((stack) => Object.keys(templateOf(stack).findResources('AWS::CloudWatch::Alarm')));
    // The DLQ alarm, one per job metric, the scheduled jobs' DLQ and the failed schedule invocations.
    expect(alarms).toHaveLength(1 + schedules.length + 2);
    for (const stack of stacks) expect(alarmsNotNotifying(templateOf(stack), topicIn(s, stack))).toEqual([]);
    expect(alarmsNotNotifying(s.statefulTemplate, topicIn(s, s.stateful))).toEqual([]);
  });

  it('is caught when made any other way', () => {
    const stack = new Stack(new App(), 'Probe');
    const topic = new sns.Topic(stack, 'Topic');
    const metric = new cloudwatch.Metric({ namespace: 'Probe', metricName: 'Probe' });
    const silent = new cloudwatch.Alarm(stack, 'Silent', { metric, threshold: 1, evaluationPeriods: 1 });
    new NotifyingAlarm(stack, 'Notifying', { metric, topic, threshold: 1, evaluationPeriods: 1 });
    const missing = alarmsNotNotifying(Template.fromStack(stack), stack.resolve(topic.topicArn));
    expect(missing).toEqual([stack.getLogicalId(silent.node.defaultChild as cloudwatch.CfnAlarm)]);
  });
});

describe('the alarm topic', () => {
  // The stateful stack has another topic (recipient events, test/infra/recipients.test.ts): pick the alarm topic by its id.
  const topicOf = (s: Synthesized) => {
    const alarmTopicId = s.stateful.getLogicalId(s.stateful.resources.alarmTopic.node.defaultChild as any);
    return (Object.entries(s.statefulTemplate.findResources('AWS::SNS::Topic')) as [string, Json][]).filter(([id]) => id === alarmTopicId);
  };
  const subscriptionsTo = (s: Synthesized) =>
    (Object.values(s.statefulTemplate.findResources('AWS::SNS::Subscription')) as Json[]).filter((sub) => sub.Properties.TopicArn.Ref === topicOf(s)[0][0]);
  const keyIdOf = (s: Synthesized) => s.stateful.getLogicalId(s.stateful.alarmsKey.node.defaultChild as any);

  it('is encrypted with its own rotating customer-managed key', () => {
    const topics = topicOf(dev);
    expect(topics).toHaveLength(1);
    expect(topics[0][1].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyIdOf(dev), 'Arn'] });
    const key = dev.statefulTemplate.toJSON().Resources[keyIdOf(dev)] as Json;
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it.each([
    ['dev', () => dev],
    ['prod', () => prod],
  ] as const)('in %s has a key policy that lets CloudWatch alarms of this account decrypt and generate data keys, nothing more', (_, get) => {
    const s = get();
    // The policy checked is that of the key the topic actually uses.
    expect(topicOf(s)[0][1].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyIdOf(s), 'Arn'] });
    const key = s.statefulTemplate.toJSON().Resources[keyIdOf(s)] as Json;
    const statements = key.Properties.KeyPolicy.Statement as Json[];
    // Nothing denies it: an explicit Deny would override the allowance below and drop notifications just the same.
    expect(statements.filter((st) => st.Effect !== 'Allow')).toEqual([]);
    const forCloudWatch = statements.filter((st) => JSON.stringify(st.Principal).includes('cloudwatch.amazonaws.com'));
    expect(forCloudWatch).toEqual([
      {
        Sid: 'AllowCloudWatchAlarmsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    // No other service principal may use it.
    const services = statements.filter((st) => st.Principal?.Service !== undefined).map((st) => st.Principal.Service);
    expect(services).toEqual(['cloudwatch.amazonaws.com']);
  });

  it('accepts only TLS, and only alarms of this account may publish', () => {
    const [topicId] = topicOf(dev)[0];
    dev.statefulTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('has no subscription unless -c alarmEmail names addresses, then one email subscription each', () => {
    expect(subscriptionsTo(dev)).toEqual([]);
    const [topicId] = topicOf(prod)[0];
    const subscriptions = subscriptionsTo(prod);
    expect(subscriptions.map((s) => s.Properties).sort((a, b) => a.Endpoint.localeCompare(b.Endpoint))).toEqual([
      { Protocol: 'email', Endpoint: 'oncall@example.org', TopicArn: { Ref: topicId } },
      { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } },
    ]);
    prod.statefulTemplate.hasOutput('ALARMTOPICARN', { Value: { Ref: topicId } });
  });
});

describe('-c alarmEmail', () => {
  const fromContext = (context: Record<string, unknown>) => configFromContext(new App({ context }).node);

  it('is optional, and takes one address or a comma list (CLI) or an array (cdk.json)', () => {
    expect(fromContext({}).alarmEmails).toEqual([]);
    expect(fromContext({ alarmEmail: 'ops@example.com' }).alarmEmails).toEqual(['ops@example.com']);
    expect(fromContext({ alarmEmail: ' ops@example.com, oncall@example.org ' }).alarmEmails).toEqual(['ops@example.com', 'oncall@example.org']);
    expect(fromContext({ alarmEmail: ['ops@example.com'] }).alarmEmails).toEqual(['ops@example.com']);
  });

  it('fails the synth on anything that is not an email address, naming it, and on a repeated address', () => {
    expect(() => fromContext({ alarmEmail: 'ops@example.com,oncall' })).toThrow(
      'alarmEmail "oncall" is not an email address; use -c alarmEmail=ops@example.com[,oncall@example.com]',
    );
    expect(() => fromContext({ alarmEmail: 'ops example.com' })).toThrow(/alarmEmail "ops example.com"/);
    expect(() => fromContext({ alarmEmail: 'a@b.example,A@b.example' })).toThrow(/twice/);
    expect(() => stageConfig('prod', { alarmEmails: ['<script>@x'] })).toThrow(/not an email address/);
  });
});

describe('scheduled jobs, invoked asynchronously', () => {
  const fnOf = (s: Synthesized, id: string) => s.api.functions.get(id)!;
  const cfn = (s: Synthesized, id: string) => ({ Properties: propertiesOf(fnOf(s, id).function) });

  it('put a failed event on the scheduled jobs DLQ, with the permission to send to it and to use its KMS key', () => {
    const dlqArn = resolvedIn(dev.api.jobs, dev.stateful.resources.scheduledJobsDlq.queueArn);
    const queueKeyArn = resolvedIn(dev.api.jobs, dev.stateful.resources.keys.queueKey.keyArn);
    for (const job of schedules) {
      expect(Stack.of(fnOf(dev, job.id))).toBe(dev.api.jobs);
      expect(cfn(dev, job.id).Properties.DeadLetterConfig).toEqual({ TargetArn: dlqArn });
      const statements = statementsOf(fnOf(dev, job.id));
      expect(actionsOn(statements, dlqArn)).toContain('sqs:SendMessage');
      expect(actionsOn(statements, queueKeyArn)).toEqual(expect.arrayContaining(['kms:Encrypt', 'kms:GenerateDataKey*']));
    }
    // Synchronously invoked functions have none.
    expect(cfn(dev, 'health').Properties.DeadLetterConfig).toBeUndefined();
  });

  it('alarm when an event waits in that DLQ, and when EventBridge fails to invoke any schedule rule', () => {
    const jobs = templateOf(dev.api.jobs);
    jobs.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: resolvedIn(dev.api.jobs, dev.stateful.resources.scheduledJobsDlq.queueName) }],
      Threshold: 1,
    });
    const [failed] = dev.api.scheduleFailureAlarms.filter((a) => a.node.id === 'ScheduleInvocationsFailed');
    const alarm = { Properties: propertiesOf(failed) };
    const rules = Object.keys(jobs.findResources('AWS::Events::Rule')).map((id) => ({ Ref: id }));
    const watched = (alarm.Properties.Metrics as Json[])
      .filter((m) => m.MetricStat?.Metric.MetricName === 'FailedInvocations')
      .map((m) => m.MetricStat.Metric.Dimensions[0].Value);
    expect(rules).toHaveLength(schedules.length);
    expect(watched).toEqual(expect.arrayContaining(rules));
    expect(watched).toHaveLength(rules.length);
    expect(alarm.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });
});

describe('concurrency', () => {
  const reservedOf = (s: Synthesized, id: string) => {
    return propertiesOf(s.api.functions.get(id)!.function).ReservedConcurrentExecutions as number | undefined;
  };

  it('reserves nothing in dev (new accounts cannot), and caps the rights worker on its event source', () => {
    for (const id of dev.api.functions.keys()) expect({ id, reserved: reservedOf(dev, id) }).toEqual({ id, reserved: undefined });
    templateOf(dev.api.jobs).hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 2 } });
  });

  it('in prod reserves the worker, each password-hashing function and one per scheduled job; API functions are bounded by throttling', () => {
    const reserved = prod.config.concurrency.reserved!;
    expect(reservedOf(prod, 'rightsRequestWorker')).toBe(reserved.rightsWorker);
    expect(reserved.rightsWorker).toBeGreaterThanOrEqual(prod.config.concurrency.rightsWorkerMax);
    templateOf(prod.api.jobs).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: prod.config.concurrency.rightsWorkerMax },
    });
    for (const id of ['register', 'login']) expect(reservedOf(prod, id)).toBe(reserved.passwordHashing);
    for (const job of schedules) expect(reservedOf(prod, job.id)).toBe(1);
    expect(reservedOf(prod, 'health')).toBeUndefined();
    // What prod reserves in total must leave AWS's 100 unreserved executions in a default (1000) account.
    const total = [...prod.api.functions.keys()].reduce((sum, id) => sum + (reservedOf(prod, id) ?? 0), 0);
    expect(total).toBeLessThanOrEqual(900);
    expect(stageConfig('dev').concurrency.reserved).toBeUndefined();
  });
});
