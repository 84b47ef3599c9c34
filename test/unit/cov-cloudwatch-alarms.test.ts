/**
 * The operations view's alarm reader at the SDK edge (aws-sdk-client-mock): it asks CloudWatch only for the alarms that
 * notify the stage's alarm topic, metric and composite alike, across every page; it lists firing alarms first, then by
 * name; an unknown or missing state reads as INSUFFICIENT_DATA; a missing time or description is left out, never invented.
 * There is no CloudWatch in the local cloud, so this edge is where the adapter is pinned.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchAlarms } from '../../lambdas/adapters/cloudwatch-alarms';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:fmn-prod-alarms';
const cloudwatch = mockClient(CloudWatchClient);
const reader = () => new CloudWatchAlarms(new CloudWatchClient({ region: 'eu-west-1' }), TOPIC);

beforeEach(() => cloudwatch.reset());

it('asks only for the alarms that notify the stage topic, metric and composite, and reads every page', async () => {
  cloudwatch
    .on(DescribeAlarmsCommand)
    .resolvesOnce({ MetricAlarms: [{ AlarmName: 'b-queue-age', StateValue: 'OK' }], NextToken: 'page-2' })
    .resolvesOnce({ CompositeAlarms: [{ AlarmName: 'a-composite', StateValue: 'OK' }] });

  const alarms = await reader().alarms();

  expect(alarms.map((a) => a.name)).toEqual(['a-composite', 'b-queue-age']);
  const calls = cloudwatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input);
  expect(calls).toHaveLength(2);
  expect(calls[0]).toMatchObject({ ActionPrefix: TOPIC, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
  expect(calls[1]).toMatchObject({ ActionPrefix: TOPIC, NextToken: 'page-2' });
});

it('puts firing alarms first, then sorts by name', async () => {
  cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [
      { AlarmName: 'c-ok', StateValue: 'OK' },
      { AlarmName: 'z-firing', StateValue: 'ALARM' },
      { AlarmName: 'a-no-data', StateValue: 'INSUFFICIENT_DATA' },
    ],
    CompositeAlarms: [{ AlarmName: 'b-firing', StateValue: 'ALARM' }],
  });

  const alarms = await reader().alarms();

  expect(alarms.map((a) => [a.name, a.state])).toEqual([
    ['b-firing', 'ALARM'],
    ['z-firing', 'ALARM'],
    ['a-no-data', 'INSUFFICIENT_DATA'],
    ['c-ok', 'OK'],
  ]);
});

it('keeps the time of the last change and the description when CloudWatch gives them, and leaves them out when not', async () => {
  const since = new Date('2026-12-06T09:30:00.000Z');
  cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [
      { AlarmName: 'dlq-not-empty', StateValue: 'ALARM', StateUpdatedTimestamp: since, AlarmDescription: 'Redrive after fixing the cause.' },
      { AlarmName: 'quiet', StateValue: 'OK' },
    ],
  });

  const [firing, quiet] = await reader().alarms();

  expect(firing).toEqual({ name: 'dlq-not-empty', state: 'ALARM', since: '2026-12-06T09:30:00.000Z', description: 'Redrive after fixing the cause.' });
  expect(quiet).toEqual({ name: 'quiet', state: 'OK' });
  expect(Object.keys(quiet!)).not.toContain('since');
});

it('reads a missing or unknown state as INSUFFICIENT_DATA and a missing name as empty', async () => {
  cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [{ AlarmName: 'no-state' }, { StateValue: 'SOMETHING_NEW' as never }],
  });

  const alarms = await reader().alarms();

  expect(alarms).toEqual([
    { name: '', state: 'INSUFFICIENT_DATA' },
    { name: 'no-state', state: 'INSUFFICIENT_DATA' },
  ]);
});

it('returns no alarms when the stage has none', async () => {
  cloudwatch.on(DescribeAlarmsCommand).resolves({});
  expect(await reader().alarms()).toEqual([]);
});

it('lets a CloudWatch failure through for the operations view to report', async () => {
  cloudwatch.on(DescribeAlarmsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
  await expect(reader().alarms()).rejects.toThrow('denied');
});
