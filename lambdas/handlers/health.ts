import { healthRoute } from './health.route';
import { dataFreeRoute } from '../http/http-core';

const stage = process.env.STAGE ?? 'dev';

/** Liveness only: it touches no store, so a failing dependency never hides that the API itself is up. */
export const handler = dataFreeRoute(healthRoute, async () => ({
  body: { status: 'ok', service: 'forget-me-not', stage, time: new Date().toISOString() },
}));
