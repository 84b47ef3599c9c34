/**
 * `fmn breach-scope`: what a personal-data breach of one store in a time window concerns, for the notification to the
 * supervisory authority within 72 hours (Art. 33(3)(a): the categories and approximate number of data subjects).
 *
 * The scope itself is computed in `lambdas/adapters/dynamo-breach-scope.ts` (the incident scope job runs the same code);
 * this command gives it the route table's declarations and turns its input errors into the CLI's.
 */
import { createAdminCommand, routes, workers, type DataTouch } from '../lambdas/routes';
import { schedules } from '../lambdas/schedules';
import {
  BreachScopeInputError,
  breachScope as computeBreachScope,
  type BreachScope,
  type BreachScopeDeps,
  type BreachScopeOptions,
} from '../lambdas/adapters/dynamo-breach-scope';
import { OpsInputError } from './errors';

export { MAX_WINDOW_DAYS, type BreachScope, type BreachScopeOptions, type OriginAccess } from '../lambdas/adapters/dynamo-breach-scope';

/** Every audit origin and what it declares: `route:<id>`, `worker:<id>`, `command:<id>`, and jobs as `worker:` or `schedule:`. */
export function declarationsByOrigin(): Map<string, readonly DataTouch[]> {
  const map = new Map<string, readonly DataTouch[]>();
  for (const route of routes) map.set(`route:${route.id}`, route.personalData);
  for (const worker of workers) map.set(`worker:${worker.id}`, worker.personalData);
  for (const job of schedules) {
    map.set(`schedule:${job.id}`, job.personalData);
    if (!map.has(`worker:${job.id}`)) map.set(`worker:${job.id}`, job.personalData);
  }
  map.set(`command:${createAdminCommand.id}`, createAdminCommand.personalData);
  return map;
}

/**
 * The declarations as functions read them (docs/audit-origins.json, `npm run datadocs`): per origin, the stores and
 * fields it touches (the access is not needed by the scope).
 */
export function auditOriginsJson(): string {
  const out: Record<string, { store: string; fields: readonly string[] }[]> = {};
  for (const [origin, touches] of [...declarationsByOrigin()].sort(([a], [b]) => a.localeCompare(b))) {
    out[origin] = touches.map((t) => ({ store: t.store, fields: t.fields }));
  }
  return JSON.stringify(out, null, 1) + '\n';
}

export interface BreachScopeCommandDeps extends Omit<BreachScopeDeps, 'declarations'> {
  /** Who touches what, by audit origin; default: the route table, workers, jobs and commands. */
  readonly declarations?: BreachScopeDeps['declarations'];
}

/** The breach scope of one store in a window (see lambdas/adapters/dynamo-breach-scope.ts). */
export async function breachScope(options: BreachScopeOptions, deps: BreachScopeCommandDeps): Promise<BreachScope> {
  try {
    return await computeBreachScope(options, { ...deps, declarations: deps.declarations ?? declarationsByOrigin() });
  } catch (error) {
    if (error instanceof BreachScopeInputError) throw new OpsInputError(error.message);
    throw error;
  }
}

export type { BreachScopeCommandDeps as BreachScopeDeps };
