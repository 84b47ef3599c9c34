/**
 * One route handler invoked in a process of its own, as one Lambda invocation: for tests that kill that process midway
 * (FMN_FAULT_KILL_AT) without losing the local cloud that serves everything else. Run with the cloud's handler
 * environment:
 *
 *   node --import tsx test/integration/helpers/invoke-route.ts <routeId> <subjectId> '<json body>'
 *
 * The event is the one API Gateway sends once the authorizer has accepted a fresh subject session (bench/lib/events.ts).
 * Prints `ROUTE_RESULT {"statusCode":…,"body":…}` when the handler returns.
 */
import { randomUUID } from 'node:crypto';
import { apiEvent, subjectContext } from '../../../bench/lib/events';
import { routes } from '../../../lambdas/routes';
import { lambdaContext } from '../../../local/lambda-context';
import { installLocalTestHooks } from '../../../local/test-hooks';

// As the local cloud does: FMN_FAULT_KILL_AT is honoured (and FMN_FIELD_TRACE), before the handler loads.
installLocalTestHooks();

async function main(): Promise<void> {
  const [routeId, subjectId, body] = process.argv.slice(2);
  const route = routes.find((r) => r.id === routeId);
  if (!route || !subjectId) throw new Error('usage: invoke-route.ts <routeId> <subjectId> [json body]');
  const { handler } = (await import(`../../../lambdas/handlers/${route.handler}.ts`)) as {
    handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
  };
  const event = apiEvent({ route, body: body ? JSON.parse(body) : undefined, authorizer: subjectContext(subjectId, randomUUID()) });
  const result = await handler(event, lambdaContext(`fmn-invoke-${route.id}`, 30));
  console.log(`ROUTE_RESULT ${JSON.stringify({ statusCode: result.statusCode, body: JSON.parse(result.body || 'null') })}`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`invoke failed: ${error.name}`);
    process.exit(1);
  },
);
