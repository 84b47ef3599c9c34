import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

export interface NotifyingAlarmProps extends Omit<cloudwatch.AlarmProps, 'actionsEnabled'> {
  /** The alarm topic of the stage (`StatefulResources.alarmTopic`): told when the alarm fires and when it clears. */
  readonly topic: sns.ITopic;
}

/**
 * The only way this app makes a CloudWatch alarm: one that notifies the alarm topic on ALARM and again on OK, so an alarm
 * can never be deployed that tells nobody (a rights request past its legal deadline must reach a person). The infra tests
 * fail on any alarm in either stack without both actions.
 */
export class NotifyingAlarm extends cloudwatch.Alarm {
  constructor(scope: Construct, id: string, props: NotifyingAlarmProps) {
    const { topic, ...alarmProps } = props;
    super(scope, id, { ...alarmProps, actionsEnabled: true });
    const action = new cloudwatchActions.SnsAction(topic);
    this.addAlarmAction(action);
    this.addOkAction(action);
  }
}
