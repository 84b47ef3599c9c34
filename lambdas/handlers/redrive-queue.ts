import { QUEUE_PAIRS, redriveDlq } from '../domain/operations';
import { httpRoute } from '../http/http';
import { logger } from '../runtime/logger';
import { operatedQueues } from '../wiring/operations';
import { redriveQueueRoute } from './redrive-queue.route';

const queues = operatedQueues();
const DEFAULT_MAX = 10;

export const handler = httpRoute(redriveQueueRoute, async ({ params, body, audit }) => {
  const result = await redriveDlq(queues, params.queue, body?.max ?? DEFAULT_MAX);
  const store = QUEUE_PAIRS.find((pair) => pair.dlq === params.queue)?.recipient ? 'recipientEvents' : 'rightsRequestQueue';
  // An entry about no one (the messages are not read): which admin moved which queue's messages, and whether all went.
  await audit?.transact([], { action: 'update', fields: [`${store}.*`], outcome: result.interruptedBy ? 'failure' : 'success' });
  logger.info('dead-letter queue redriven', { dlq: result.dlq, moved: result.moved, interruptedBy: result.interruptedBy });
  return { body: result };
});
