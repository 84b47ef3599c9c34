/**
 * The stage's alarms as the operations view shows them (`domain/operations.ts`). Every alarm of the stage notifies the
 * stage's alarm topic (`NotifyingAlarm`, lib/constructs/notifying-alarm.ts), so DescribeAlarms filtered on that action
 * finds exactly them, whatever names CloudFormation gave them and in whichever nested stack they live.
 */
import { CloudWatchClient, paginateDescribeAlarms, type StateValue } from '@aws-sdk/client-cloudwatch';
import type { AlarmReader, AlarmState } from '../domain/operations';

export class CloudWatchAlarms implements AlarmReader {
  constructor(
    private readonly cloudwatch: CloudWatchClient,
    private readonly alarmTopicArn: string,
  ) {}

  async alarms(): Promise<AlarmState[]> {
    const found: AlarmState[] = [];
    const pages = paginateDescribeAlarms(
      { client: this.cloudwatch },
      { ActionPrefix: this.alarmTopicArn, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 },
    );
    for await (const page of pages) {
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        found.push({
          name: alarm.AlarmName ?? '',
          state: stateOf(alarm.StateValue),
          ...(alarm.StateUpdatedTimestamp ? { since: alarm.StateUpdatedTimestamp.toISOString() } : {}),
          ...(alarm.AlarmDescription ? { description: alarm.AlarmDescription } : {}),
        });
      }
    }
    // Firing first, then by name: what needs a person is at the top.
    return found.sort((a, b) => Number(b.state === 'ALARM') - Number(a.state === 'ALARM') || a.name.localeCompare(b.name));
  }
}

function stateOf(value: StateValue | string | undefined): AlarmState['state'] {
  return value === 'ALARM' || value === 'OK' ? value : 'INSUFFICIENT_DATA';
}
