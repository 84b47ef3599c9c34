import { allPurposes, purposeSummary } from '../purpose-summary';
import { purposesRoute } from './purposes.route';
import { dataFreeRoute } from '../http/http-core';

// The catalogue changes only with a deploy: built on the first request (it reads the generated record from the asset, which
// a cold start that never serves it should not pay for) and kept.
let catalogue: ReturnType<typeof allPurposes<ReturnType<typeof purposeSummary>>> | undefined;

export const handler = dataFreeRoute(purposesRoute, async () => ({ body: { purposes: (catalogue ??= allPurposes(purposeSummary)) } }));
