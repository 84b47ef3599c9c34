/**
 * Reading the audit trail from handlers: the reader for the route's audit table, and opaque page cursors.
 */
import { DynamoAuditReader, type AuditCursor } from '../adapters/dynamo-audit';
import { KmsPseudonyms } from '../adapters/kms-pseudonyms';
import type { RouteDefinition } from '../routes';
import { dynamodb } from './clients';
import { requireEnv } from './env';
import { ValidationError } from './errors';
import { kms } from './kms';
import { keyEnvVar } from './resources';
import { declaredStores } from './stores';

export function auditReading(route: Pick<RouteDefinition, 'id' | 'personalData'>) {
  const reader = new DynamoAuditReader(dynamodb, declaredStores(route).table('audit'));
  const pseudonymKeyId = requireEnv(keyEnvVar('pseudonymKey'));
  return { reader, pseudonyms: () => new KmsPseudonyms(kms, pseudonymKeyId) };
}

/** Cursors are base64url JSON of the storage position; opaque to clients, checked on the way back in. */
export function encodeCursor(cursor: AuditCursor | undefined): string | undefined {
  return cursor ? Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url') : undefined;
}

export function decodeCursor(raw: string | undefined): AuditCursor | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { day, key } = value as { day?: unknown; key?: unknown };
      const dayOk = day === undefined || (typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day));
      const keyOk = key === undefined || (typeof key === 'object' && key !== null && !Array.isArray(key));
      if (dayOk && keyOk) return { day: day as string | undefined, key: key as Record<string, unknown> | undefined };
    }
  } catch {
    // fall through
  }
  throw new ValidationError([{ path: 'query.cursor', message: 'Not a cursor this API issued' }]);
}
