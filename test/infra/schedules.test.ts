/**
 * Scheduled jobs of `lambdas/schedules.ts` in the API stack: one function each, bound to exactly the declared stores, an
 * EventBridge rule invoking it on the declared schedule, and an alarm on the job's metric; nothing cdk-nag objects to.
 */
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { overdueRequestsJob, schedules } from '../../lambdas/schedules';
import { tableEnvVar } from '../../lambdas/shared/resources';
import { actionsOn, environmentOf, resolvedIn, serviceActions, statementsOf, synth, type Synthesized } from './support';

let prod: Synthesized;
let dev: Synthesized;

beforeAll(() => {
  prod = synth({ stage: 'prod' });
  dev = synth({ stage: 'dev' });
});

const jobFunction = (s: Synthesized, id: string) => {
  const fn = s.api.functions.get(id);
  if (!fn) throw new Error(`no function for scheduled job ${id}`);
  return fn;
};
const logicalIdOf = (s: Synthesized, id: string) =>
  Stack.of(s.api).getLogicalId(jobFunction(s, id).function.node.defaultChild as CfnFunction);

describe('the overdue-requests job', () => {
  it('is declared hourly, reading only ids, states and due dates of rights requests', () => {
    expect(schedules).toContain(overdueRequestsJob);
    expect(overdueRequestsJob).toMatchObject({ id: 'overdueRequests', handler: 'overdue-requests', schedule: 'rate(1 hour)', timeoutSeconds: 60 });
    expect(overdueRequestsJob.personalData).toEqual([{ store: 'rightsRequests', access: ['read'], fields: ['requestId', 'status', 'dueAt'] }]);
  });

  it('gets its own function with the declared timeout, the stage and the requests table name', () => {
    const props = (prod.apiTemplate.toJSON().Resources[logicalIdOf(prod, 'overdueRequests')] as Record<string, any>).Properties;
    expect(props).toMatchObject({ Timeout: 60, Runtime: 'nodejs22.x', Description: overdueRequestsJob.description });
    const env = environmentOf(prod.apiTemplate, jobFunction(prod, 'overdueRequests'));
    expect(env).toMatchObject({ STAGE: 'prod', [tableEnvVar('rightsRequests')]: expect.anything() });
    // Only the declared store: no other table, queue, bucket or key reaches it.
    expect(Object.keys(env).filter((k) => /_(TABLE_NAME|QUEUE_URL|BUCKET_NAME|KEY_ID)$/.test(k))).toEqual([tableEnvVar('rightsRequests')]);
  });

  it('may read the requests table and its indexes, and write nothing anywhere', () => {
    const statements = statementsOf(prod.apiTemplate, jobFunction(prod, 'overdueRequests'));
    const table = prod.stateful.resources.tables.rightsRequests;
    expect(actionsOn(statements, resolvedIn(prod.api, table.tableArn))).toEqual(expect.arrayContaining(['dynamodb:Query']));
    const dynamo = serviceActions(statements, 'dynamodb:');
    expect(dynamo.filter((a) => /Put|Update|Delete|BatchWrite|Transact/.test(a))).toEqual([]);
    expect(serviceActions(statements, 'sqs:')).toEqual([]);
    expect(serviceActions(statements, 's3:')).toEqual([]);
    expect(serviceActions(statements, 'kms:').filter((a) => /Encrypt|GenerateDataKey|GenerateMac/.test(a))).toEqual([]);
  });

  it('is invoked by an EventBridge rule every hour, with retries', () => {
    const fnId = logicalIdOf(prod, 'overdueRequests');
    prod.apiTemplate.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    prod.apiTemplate.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
    });
  });

  it.each([
    ['prod', () => prod],
    ['dev', () => dev],
  ] as const)('alarms in %s when one request is overdue in an hour, and not on missing data', (stage, get) => {
    get().apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ForgetMeNot',
      MetricName: 'OverdueRightsRequests',
      // The handler's Powertools Metrics emits `stage` plus its own `service` dimension.
      Dimensions: Match.arrayEquals([
        { Name: 'service', Value: 'forget-me-not' },
        { Name: 'stage', Value: stage },
      ]),
      Period: 3600,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('every scheduled job', () => {
  it('has exactly one function, one rule and one alarm', () => {
    for (const job of schedules) expect(prod.api.functions.has(job.id)).toBe(true);
    const rules = Object.values(prod.apiTemplate.findResources('AWS::Events::Rule')) as Record<string, any>[];
    expect(rules.map((r) => r.Properties.ScheduleExpression).sort()).toEqual(schedules.map((j) => j.schedule).sort());
    const alarms = Object.values(prod.apiTemplate.findResources('AWS::CloudWatch::Alarm')) as Record<string, any>[];
    for (const job of schedules) expect(alarms.filter((a) => a.Properties.MetricName === job.metric.name)).toHaveLength(1);
  });

  it('passes cdk-nag (AwsSolutions) without findings on its resources', () => {
    const s = synth({ stage: 'prod', nag: true });
    const findings = new AwsSolutionsChecks()
      .validateScope(s.app)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? ''}`))
      .filter((f) => schedules.some((job) => f.includes(`/${job.id}`)));
    expect(findings).toEqual([]);
  });
});
