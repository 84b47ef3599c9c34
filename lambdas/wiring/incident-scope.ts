/**
 * Wires the incident scope job (run by the rights-request worker) to AWS: the incidents table through the job's audit
 * trail, and the breach-scope computation over every table the worker declares a read of, with the origins' declarations
 * read from the generated docs/audit-origins.json (no function bundles the route table).
 */
import type { AuditTrail } from '../adapters/dynamo-audit';
import { breachScope } from '../adapters/dynamo-breach-scope';
import { DynamoIncidents } from '../adapters/dynamo-incidents';
import type { ComputedStoreScope, ScopeJobDeps } from '../domain/incidents';
import type { DataTouch, RouteDefinition } from '../http/route-definition';
import { bundledFileReader } from '../runtime/bundled-file';
import { dynamodb } from '../runtime/clients';
import { indexShards } from '../runtime/index-shards';
import { requireEnv } from '../runtime/env';
import { TABLE_IDS, tableEnvVar, type TableId } from '../runtime/resources';
import { declaredStores } from '../runtime/stores';
import { pseudonymHmac } from './audit';

type Owner = Pick<RouteDefinition, 'id' | 'personalData'>;

const auditOrigins = bundledFileReader('docs/audit-origins.json');
let declarations: Map<string, readonly DataTouch[]> | undefined;

/** Who touches what, by audit origin, as the generated file lists it (read once per container). */
function originDeclarations(): Map<string, readonly DataTouch[]> {
  declarations ??= new Map(Object.entries(JSON.parse(auditOrigins()) as Record<string, DataTouch[]>));
  return declarations;
}

/** Call at module scope (the worker): the scope job's deps, per job (the record's writes go through its audit trail). */
export function scopeJobContext(owner: Owner): (audit: AuditTrail) => ScopeJobDeps {
  const stores = declaredStores(owner);
  const incidentsTable = stores.table('incidents');
  const audit = stores.table('audit');
  const pseudonyms = pseudonymHmac();
  // The tables the worker may scan are the ones it declares a read of; any other store is scoped from the audit only.
  const scannable = new Set(owner.personalData.filter((t) => t.access.includes('read')).map((t) => t.store));
  const tableOf = (store: string): string | undefined =>
    (TABLE_IDS as readonly string[]).includes(store) && scannable.has(store as TableId)
      ? requireEnv(tableEnvVar(store as TableId))
      : undefined;
  return (trail) => ({
    incidents: new DynamoIncidents(dynamodb, incidentsTable, trail),
    scopeOf: async (store, window): Promise<ComputedStoreScope> =>
      breachScope(
        { store, from: window.from, to: window.to },
        {
          db: dynamodb,
          tables: { audit, store: tableOf(store) },
          subjectPseudonym: (id) => pseudonyms.subject(id),
          declarations: originDeclarations(),
          indexShards: indexShards(),
        },
      ),
  });
}
