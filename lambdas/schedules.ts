/**
 * Scheduled jobs, declared like routes and workers: the API stack gives each a function (grants from `personalData`), an
 * EventBridge rule on `schedule` and an alarm on its metric; the local cloud runs each at start-up and on an interval.
 */
import { touches, type DataTouch } from './routes';

export interface ScheduleDefinition {
  /** Stable id: names the Lambda function, the rule and the alarm. */
  readonly id: string;
  /** The handler file, `lambdas/handlers/<handler>.ts`. */
  readonly handler: string;
  readonly description: string;
  /** EventBridge schedule expression: `rate(1 hour)`, `cron(0 6 * * ? *)`. */
  readonly schedule: string;
  readonly timeoutSeconds: number;
  readonly personalData: readonly DataTouch[];
  /** The CloudWatch metric the job emits (dimension `stage`), alarmed on as soon as it is above zero. */
  readonly metric: { readonly namespace: string; readonly name: string; readonly alarm: string };
}

export const METRICS_NAMESPACE = 'ForgetMeNot';

export const overdueRequestsJob: ScheduleDefinition = {
  id: 'overdueRequests',
  handler: 'overdue-requests',
  description: 'Counts open rights requests past their due date (Art. 12(3)) and emits the OverdueRightsRequests metric.',
  schedule: 'rate(1 hour)',
  timeoutSeconds: 60,
  // Counts on the byStatus index (status, dueAt): no personal field is read, so there is no audit entry, and nothing is written.
  personalData: [touches('rightsRequests', ['read'], ['requestId', 'status', 'dueAt'])],
  metric: {
    namespace: METRICS_NAMESPACE,
    name: 'OverdueRightsRequests',
    alarm: 'A data-subject request is past its legal deadline: answer or extend it (GET /v1/admin/requests?overdue=true).',
  },
};

export const schedules: readonly ScheduleDefinition[] = [overdueRequestsJob];
