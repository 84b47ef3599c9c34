/**
 * Scheduled jobs, declared like routes and workers: the API stack gives each an EventBridge schedule, its grants from the
 * declaration and its alarm; the local cloud runs each on an interval.
 */
import { touches, type DataTouch } from './routes';

export interface ScheduleDefinition {
  readonly id: string;
  readonly handler: string;
  readonly description: string;
  /** EventBridge schedule expression. */
  readonly schedule: string;
  readonly timeoutSeconds: number;
  readonly personalData: readonly DataTouch[];
  /** The CloudWatch metric it emits, alarmed on when above zero. */
  readonly metric: { readonly namespace: string; readonly name: string; readonly alarm: string };
}

export const METRICS_NAMESPACE = 'ForgetMeNot';

export const overdueRequestsJob: ScheduleDefinition = {
  id: 'overdueRequests',
  handler: 'overdue-requests',
  description: 'Counts rights requests past their due date (Art. 12(3)) and emits the OverdueRightsRequests metric.',
  schedule: 'rate(1 hour)',
  timeoutSeconds: 60,
  // Reads ids, states and due dates only (no personal field, so no audit entry); writes nothing but the metric.
  personalData: [touches('rightsRequests', ['read'], ['requestId', 'status', 'dueAt', 'type'])],
  metric: {
    namespace: METRICS_NAMESPACE,
    name: 'OverdueRightsRequests',
    alarm: 'A data-subject request is past its legal deadline: answer or extend it (GET /v1/admin/requests?overdue=true).',
  },
};

export const schedules: readonly ScheduleDefinition[] = [overdueRequestsJob];
