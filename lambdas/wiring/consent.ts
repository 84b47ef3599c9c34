/**
 * Wires consent to AWS: the gate every gated route passes (built from its declared purpose), per-request consent deps, and
 * the analytics events the `analytics` purpose stores.
 */
import type { AuditTrail } from '../adapters/dynamo-audit';
import { DynamoAnalyticsStore, DynamoConsentStats, DynamoConsentStore } from '../adapters/dynamo-consent';
import type { AnalyticsDeps } from '../domain/analytics';
import { pseudonymHmac } from './audit';
import { decide, type ConsentDeps, type Decision } from '../domain/consent';
import { isGated, type PurposeId } from '../purposes';
import type { RouteDefinition } from '../http/route-definition';
import { dynamodb } from '../runtime/clients';
import { declaredStores } from '../runtime/stores';

export interface ConsentGate {
  readonly purpose: PurposeId;
  check(subjectId: string): Promise<Decision>;
}

/**
 * The gate for a route, or undefined when its purpose needs none. Reads the projection with a consistent read, so a
 * withdrawal stops processing from the very next request.
 */
export function consentGateFor(route: Pick<RouteDefinition, 'id' | 'personalData' | 'purpose'>): ConsentGate | undefined {
  if (!route.purpose || !isGated(route.purpose)) return undefined;
  const purpose = route.purpose;
  const store = new DynamoConsentStore(dynamodb, declaredStores(route).table('consent'));
  return {
    purpose,
    check: async (subjectId) => decide(purpose, await store.states(subjectId), new Date()),
  };
}

/** Call at module scope; per request, a store that writes through that request's audit trail. */
export function consentContext(route: Pick<RouteDefinition, 'id' | 'personalData'>) {
  const table = declaredStores(route).table('consent');
  return (audit: AuditTrail | undefined): ConsentDeps & { consents: DynamoConsentStore } => ({
    consents: new DynamoConsentStore(dynamodb, table, audit),
    now: () => new Date(),
  });
}

/** Call at module scope; per request, analytics events written through that request's audit trail. */
export function analyticsContext(route: Pick<RouteDefinition, 'id' | 'personalData'>): (audit: AuditTrail | undefined) => AnalyticsDeps {
  const table = declaredStores(route).table('analyticsEvents');
  const pseudonyms = pseudonymHmac();
  return (audit) => {
    if (!audit) throw new Error(`${route.id} stores analytics events without an audit trail`);
    const store = new DynamoAnalyticsStore(table, audit);
    return {
      analyticsIdOf: (subjectId) => pseudonyms.mac('analytics', subjectId),
      putAll: (subjectId, events) => store.putAll(subjectId, events),
      now: () => new Date(),
    };
  };
}

/** Call at module scope: the consent figures' counters, for the admin route that sums them. */
export function consentStatsReader(route: Pick<RouteDefinition, 'id' | 'personalData'>): DynamoConsentStats {
  return new DynamoConsentStats(dynamodb, declaredStores(route).table('consent'));
}
