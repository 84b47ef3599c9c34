import { operationsOverview } from '../domain/operations';
import { httpRoute } from '../http/http';
import { schedules } from '../schedules';
import { alarmReader, jobRuns, operatedQueues } from '../wiring/operations';
import { rightsRequests } from '../wiring/rights';
import { adminOperationsRoute } from './admin-operations.route';

const queues = operatedQueues();
const runs = jobRuns(adminOperationsRoute);
const alarms = alarmReader();
const requests = rightsRequests(adminOperationsRoute);
const jobs = schedules.map((job) => ({ id: job.id, schedule: job.schedule }));

export const handler = httpRoute(adminOperationsRoute, async ({ audit }) => ({
  body: await operationsOverview({ queues, requests: requests(audit), runs, jobs, alarms, now: () => new Date() }),
}));
