/**
 * Scheduled jobs of `lambdas/schedules.ts` in the API stack's nested `Jobs` stack: one function each, bound to exactly the declared stores, an
 * EventBridge rule invoking it on the declared schedule, and an alarm on the job's metric; nothing cdk-nag objects to.
 */
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { JOB_RUN_WRITE, overdueRequestsJob, resendLostJobsJob, retentionJob, schedules } from '../../lambdas/schedules';
import { queueEnvVar, tableEnvVar } from '../../lambdas/runtime/resources';
import { SUBJECT_OUTBOX_FIELDS } from '../../lambdas/http/route-definition';
import { stageConfig } from '../../lib/config';
import { nagPacks } from '../../lib/constructs/nag';
import { actionsOn, asList, environmentOf, resolvedIn, serviceActions, statementsOf, synth, templateOf, type Synthesized } from './support';

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
  Stack.of(jobFunction(s, id)).getLogicalId(jobFunction(s, id).function.node.defaultChild as CfnFunction);

describe('the overdue-requests job', () => {
  it('is declared hourly, reading only the states, due dates and recipient deadlines of rights requests (it counts, it lists nothing)', () => {
    expect(schedules).toContain(overdueRequestsJob);
    expect(overdueRequestsJob).toMatchObject({ id: 'overdueRequests', handler: 'overdue-requests', schedule: 'rate(1 hour)', timeoutSeconds: 60 });
    expect(overdueRequestsJob.personalData).toEqual([
      { store: 'rightsRequests', access: ['read'], fields: ['status', 'dueAt', 'requestId', 'recipients'] },
      // every job records its last run (runtime/scheduled-job.ts)
      JOB_RUN_WRITE,
    ]);
  });

  it('gets its own function with the declared timeout, the stage and the requests table name', () => {
    const props = (templateOf(prod.api.jobs).toJSON().Resources[logicalIdOf(prod, 'overdueRequests')] as Record<string, any>).Properties;
    expect(props).toMatchObject({ Timeout: 60, Runtime: 'nodejs22.x', Description: overdueRequestsJob.description });
    const env = environmentOf(jobFunction(prod, 'overdueRequests'));
    expect(env).toMatchObject({ STAGE: 'prod', [tableEnvVar('rightsRequests')]: expect.anything() });
    // Only the declared store: no other table, queue, bucket or key reaches it.
    expect(Object.keys(env).filter((k) => /_(TABLE_NAME|QUEUE_URL|BUCKET_NAME|KEY_ID)$/.test(k)).sort()).toEqual([tableEnvVar('rightsRequests'), tableEnvVar('jobRuns')].sort());
  });

  it('may read the requests table and its indexes, and write nothing anywhere but its run record and its own failed events to the jobs DLQ', () => {
    const statements = statementsOf(jobFunction(prod, 'overdueRequests'));
    const table = prod.stateful.resources.tables.rightsRequests;
    expect(actionsOn(statements, resolvedIn(prod.api.jobs, table.tableArn))).toEqual(expect.arrayContaining(['dynamodb:Query']));
    expect(actionsOn(statements, resolvedIn(prod.api.jobs, table.tableArn)).filter((a) => /Put|Update|Delete|BatchWrite|Transact/.test(a))).toEqual([]);
    // its only write: the jobRuns table (the run's record)
    const runs = JSON.stringify(resolvedIn(prod.api.jobs, prod.stateful.resources.tables.jobRuns.tableArn));
    const writing = statements.filter((st) => asList(st.Action).some((a) => /^dynamodb:.*(Put|Update|Delete|BatchWrite|Transact)/.test(a)));
    expect(writing.flatMap((st) => asList(st.Resource)).map((r) => JSON.stringify(r))).toEqual([runs]);
    // Lambda puts a failed asynchronous event on the scheduled jobs' DLQ as this role (alarms.test.ts).
    const { scheduledJobsDlq, keys } = prod.stateful.resources;
    const dlqActions = actionsOn(statements, resolvedIn(prod.api.jobs, scheduledJobsDlq.queueArn));
    expect(serviceActions(statements, 'sqs:').sort()).toEqual(dlqActions);
    const encrypting = statements.filter((st) => asList(st.Action).some((a) => /Encrypt|GenerateDataKey|GenerateMac/.test(a)));
    // the queue key for the DLQ, the data key for the jobRuns table's encryption
    expect(encrypting.map((st) => JSON.stringify(st.Resource)).sort()).toEqual(
      [resolvedIn(prod.api.jobs, keys.queueKey.keyArn), resolvedIn(prod.api.jobs, keys.dataKey.keyArn)].map((r) => JSON.stringify(r)).sort(),
    );
    expect(serviceActions(statements, 's3:')).toEqual([]);
  });

  it('is invoked by an EventBridge rule every hour, with retries', () => {
    const fnId = logicalIdOf(prod, 'overdueRequests');
    templateOf(prod.api.jobs).hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    templateOf(prod.api.jobs).hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
    });
  });

  it.each([
    ['prod', () => prod],
    ['dev', () => dev],
  ] as const)('alarms in %s when one request is overdue in an hour, and not on missing data', (stage, get) => {
    templateOf(get().api.jobs).hasResourceProperties('AWS::CloudWatch::Alarm', {
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

describe('the retention job', () => {
  it('runs daily, with the retention settings from the stage configuration (24 months, 30 days by default)', () => {
    expect(retentionJob).toMatchObject({ id: 'retention', handler: 'retention', schedule: 'rate(1 day)', settings: ['retention', 'rightsModes'] });
    const env = environmentOf(jobFunction(prod, 'retention'));
    expect(env).toMatchObject({ RETENTION_INACTIVE_MONTHS: '24', RETENTION_GRACE_DAYS: '30', RIGHTS_MODES: expect.any(String), STAGE: 'prod' });
    expect(Object.keys(env).filter((k) => /_(TABLE_NAME|QUEUE_URL|BUCKET_NAME)$/.test(k)).sort()).toEqual(
      // consent: the subject's restriction of processing, which stops retention like a legal hold.
      [tableEnvVar('audit'), tableEnvVar('consent'), tableEnvVar('rightsRequests'), tableEnvVar('users'), tableEnvVar('jobRuns'), queueEnvVar('rightsRequestQueue')].sort(),
    );
    templateOf(prod.api.jobs).hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)', State: 'ENABLED' });
  });

  it('may query and update accounts, write requests and send jobs; no bucket, no subject keys table', () => {
    const statements = statementsOf(jobFunction(prod, 'retention'));
    const { users, rightsRequests, subjectKeys } = prod.stateful.resources.tables;
    expect(actionsOn(statements, resolvedIn(prod.api.jobs, users.tableArn))).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem']));
    expect(actionsOn(statements, resolvedIn(prod.api.jobs, rightsRequests.tableArn))).toEqual(expect.arrayContaining(['dynamodb:PutItem']));
    expect(actionsOn(statements, resolvedIn(prod.api.jobs, subjectKeys.tableArn))).toEqual([]);
    // The restriction is read and checked (ConditionCheckItem). The one declared write is the outbox item that tells the
    // subject of the filed request (subjectEvents); IAM's table grant cannot narrow it to those items, the declaration does.
    const consentActions = actionsOn(statements, resolvedIn(prod.api.jobs, prod.stateful.resources.tables.consent.tableArn));
    expect(consentActions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PutItem']));
    const consentWrites = retentionJob.personalData.filter((t) => t.store === 'consent' && t.access.includes('write'));
    expect(consentWrites.map((t) => t.fields)).toEqual([[...SUBJECT_OUTBOX_FIELDS]]);
    expect(serviceActions(statements, 'sqs:')).toEqual(expect.arrayContaining(['sqs:SendMessage']));
    expect(serviceActions(statements, 's3:')).toEqual([]);
  });

  it('takes its retention settings from context, and refuses values that would erase accounts by mistake', () => {
    expect(stageConfig('prod', { accountRetention: { inactiveMonths: 36, graceDays: 14 } }).accountRetention).toEqual({ inactiveMonths: 36, graceDays: 14 });
    expect(() => stageConfig('prod', { accountRetention: { inactiveMonths: 0 } })).toThrow(/retentionInactiveMonths/);
    expect(() => stageConfig('prod', { accountRetention: { graceDays: 0.5 } })).toThrow(/retentionGraceDays/);
  });
});

describe('the job that re-sends lost jobs', () => {
  it('runs every 5 minutes, reading and touching only ids, types, states and change times of requests, and sending jobs', () => {
    expect(schedules).toContain(resendLostJobsJob);
    expect(resendLostJobsJob).toMatchObject({ id: 'resendLostJobs', handler: 'resend-lost-jobs', schedule: 'rate(5 minutes)', timeoutSeconds: 60 });
    templateOf(prod.api.jobs).hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
    const env = environmentOf(jobFunction(prod, 'resendLostJobs'));
    // No audit table: it reads and writes no personal field.
    expect(Object.keys(env).filter((k) => /_(TABLE_NAME|QUEUE_URL|BUCKET_NAME|KEY_ID)$/.test(k)).sort()).toEqual(
      [tableEnvVar('rightsRequests'), tableEnvVar('jobRuns'), queueEnvVar('rightsRequestQueue')].sort(),
    );
  });

  it('may query and update requests and send jobs; nothing else', () => {
    const statements = statementsOf(jobFunction(prod, 'resendLostJobs'));
    const { rightsRequests, users, audit } = prod.stateful.resources.tables;
    expect(actionsOn(statements, resolvedIn(prod.api.jobs, rightsRequests.tableArn))).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem']));
    expect(actionsOn(statements, resolvedIn(prod.api.jobs, users.tableArn))).toEqual([]);
    expect(actionsOn(statements, resolvedIn(prod.api.jobs, audit.tableArn))).toEqual([]);
    expect(serviceActions(statements, 'sqs:')).toEqual(expect.arrayContaining(['sqs:SendMessage']));
    expect(serviceActions(statements, 's3:')).toEqual([]);
  });

  it('alarms on the first job it re-sends', () => {
    templateOf(prod.api.jobs).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ForgetMeNot',
      MetricName: 'RightsJobsResent',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('cannot be crashed on purpose in Lambda: no function is given a fault-injection variable', () => {
    for (const job of schedules) expect(Object.keys(environmentOf(jobFunction(prod, job.id))).filter((k) => k.startsWith('FMN_FAULT'))).toEqual([]);
  });
});

describe('every scheduled job', () => {
  it('has exactly one function, one rule and one alarm', () => {
    for (const job of schedules) expect(prod.api.functions.has(job.id)).toBe(true);
    const rules = Object.values(templateOf(prod.api.jobs).findResources('AWS::Events::Rule')) as Record<string, any>[];
    expect(rules.map((r) => r.Properties.ScheduleExpression).sort()).toEqual(schedules.map((j) => j.schedule).sort());
    const alarms = Object.values(templateOf(prod.api.jobs).findResources('AWS::CloudWatch::Alarm')) as Record<string, any>[];
    for (const job of schedules) expect(alarms.filter((a) => a.Properties.MetricName === job.metric.name)).toHaveLength(1);
  });

  it('passes cdk-nag (all four packs) without findings on its resources', () => {
    const s = synth({ stage: 'prod', nag: true });
    const findings = nagPacks()
      .flatMap((pack) => pack.validateScope(s.app).violations)
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? ''}`))
      .filter((f) => schedules.some((job) => f.includes(`/${job.id}`)));
    expect(findings).toEqual([]);
  });
});
