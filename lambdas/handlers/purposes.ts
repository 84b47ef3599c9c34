import { allPurposes, purposeSummary } from '../purpose-summary';
import { purposesRoute } from './purposes.route';
import { dataFreeRoute } from '../http/http-core';

// The catalogue is code: computed once per cold start.
const catalogue = allPurposes(purposeSummary);

export const handler = dataFreeRoute(purposesRoute, async () => ({ body: { purposes: catalogue } }));
