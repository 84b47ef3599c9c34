import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoRightsStore } from '../adapters/dynamo-rights';
import { OPEN_STATUSES } from '../domain/rights';
import { overdueRequestsJob } from '../schedules';
import { dynamodb } from '../shared/clients';
import { logger } from '../shared/logger';
import { declaredStores } from '../shared/stores';

const requests = new DynamoRightsStore(dynamodb, declaredStores(overdueRequestsJob).table('rightsRequests'));
const metrics = new Metrics({
  namespace: overdueRequestsJob.metric.namespace,
  serviceName: 'forget-me-not',
  defaultDimensions: { stage: process.env.STAGE ?? 'unknown' },
});

/**
 * Hourly: how many open requests are past their due date. The count goes out as a CloudWatch metric (embedded metric
 * format, through the log) with an alarm on it; no request or subject id is logged.
 */
export async function handler(): Promise<{ overdue: number; byType: Record<string, number> }> {
  const today = new Date().toISOString().slice(0, 10);
  const byType: Record<string, number> = {};
  let overdue = 0;
  for (const status of OPEN_STATUSES) {
    for (const request of await requests.listByStatus(status, today)) {
      overdue++;
      byType[request.type] = (byType[request.type] ?? 0) + 1;
    }
  }
  metrics.addMetric(overdueRequestsJob.metric.name, MetricUnit.Count, overdue);
  metrics.publishStoredMetrics();
  logger.info('overdue rights requests counted', { overdue, byType });
  return { overdue, byType };
}
