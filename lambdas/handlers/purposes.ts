import { allPurposes, purposeSummary } from '../purpose-summary';
import { purposesRoute } from './purposes.route';
import { httpRoute } from '../shared/http';

// The catalogue is code: computed once per cold start.
const catalogue = allPurposes(purposeSummary);

export const handler = httpRoute(purposesRoute, async () => ({ body: { purposes: catalogue } }));
