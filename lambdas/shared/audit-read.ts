/**
 * Reading the audit trail from handlers: the reader for the route's audit table, and the subject pseudonyms to search by.
 * Page cursors are sealed by `httpRoute` (`shared/cursor.ts`).
 */
import { DynamoAuditReader } from '../adapters/dynamo-audit';
import { KmsPseudonyms } from '../adapters/kms-pseudonyms';
import type { RouteDefinition } from './route-definition';
import { dynamodb } from './clients';
import { requireEnv } from './env';
import { kms } from './kms';
import { keyEnvVar } from './resources';
import { declaredStores } from './stores';

export function auditReading(route: Pick<RouteDefinition, 'id' | 'personalData'>) {
  const reader = new DynamoAuditReader(dynamodb, declaredStores(route).table('audit'));
  const pseudonymKeyId = requireEnv(keyEnvVar('pseudonymKey'));
  return { reader, pseudonyms: () => new KmsPseudonyms(kms, pseudonymKeyId) };
}
