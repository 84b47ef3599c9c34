import * as z from 'zod/mini';
import { commonProblems, defineRoute, lazySchema } from '../http/route-definition';

export const healthResponse = lazySchema(() =>
  z
    .object({
      status: z.literal('ok'),
      service: z.string(),
      stage: z.string(),
      time: z.iso.datetime(),
    })
    .register(z.globalRegistry, { id: 'Health' }),
);

export const healthRoute = defineRoute({
  id: 'health',
  method: 'GET',
  path: '/v1/health',
  handler: 'health',
  summary: 'Liveness: answers when the API and its function are up. Touches no data.',
  description: 
    'For load balancers and uptime checks: answers 200 with the service name, stage and server time while ' +
    'the function runs. Reads no store and needs no session.',
  tags: ['operations'],
  feature: 'operations',
  auth: 'public',
  responses: { 200: { description: 'The API is up.', schema: healthResponse }, ...commonProblems },
  personalData: [],
});
