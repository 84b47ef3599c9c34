/** What the incident routes and the scope job touch, declared once (plain data: the worker bundles it too). */
import { touches, type DataTouch } from '../http/route-definition';
import { inventory } from '../inventory';
import { TABLE_IDS } from '../runtime/resources';

/** The times the breach scope projects from a scanned table (adapters/dynamo-breach-scope.ts `SCAN_TIME_FIELDS`). */
const SCAN_TIME_FIELDS = ['createdAt', 'at', 'expiresAt'] as const;

/** Every attribute of an incident record: records are read whole (GetItem, Query), so a read touches them all. */
export const INCIDENT_FIELDS = [
  'incidentId', 'sk', 'listed', 'awareAt', 'detectedAt', 'stores', 'window', 'description', 'nature', 'status', 'authorityNotice',
  'subjectNotice', 'scope', 'createdAt', 'updatedAt', 'expiresAt',
] as const;

export const INCIDENT_READ = touches('incidents', ['read'], [...INCIDENT_FIELDS]);
export const INCIDENT_WRITE = touches('incidents', ['read', 'write'], [...INCIDENT_FIELDS]);
/** A new record: written whole, read never, and without a scope yet. */
export const INCIDENT_CREATE = touches('incidents', ['write'], INCIDENT_FIELDS.filter((f) => f !== 'scope'));


/**
 * The scope job's scans (adapters/dynamo-breach-scope.ts): every table the inventory declares with a subject key, except
 * the audit trail (never scanned: its accesses come from the by-day index) and the incidents themselves.
 */
export const BREACH_SCAN_READS: readonly DataTouch[] = TABLE_IDS.filter((id) => id !== 'audit' && id !== 'incidents').flatMap((id) => {
  const fields = inventory[id].fields as Record<string, { personal: boolean; category: string }>;
  const key = fields.subjectId ? 'subjectId' : Object.entries(fields).find(([, d]) => d.personal && d.category === 'identifier')?.[0];
  if (!key) return [];
  return [{ store: id, access: ['read'], fields: [key, ...SCAN_TIME_FIELDS.filter((f) => f in fields)] } as DataTouch];
});
