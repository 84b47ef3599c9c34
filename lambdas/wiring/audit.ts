/**
 * Wires the audit trail to AWS. Writing: the trail of one request or job, built from its owner's declaration in the route
 * table (the audit table, the pseudonym key, the purpose, and which fields and categories each kind of action touches by
 * default). Reading: the reader the audit routes search with, and the pseudonyms they search by. Also the pseudonym HMAC
 * every route that touches personal data is granted, which keys the page cursors.
 */
import { AuditTrail, DynamoAuditReader, type AuditContext } from '../adapters/dynamo-audit';
import { KmsPseudonyms } from '../adapters/kms-pseudonyms';
import type { ActorRole, AuditAction } from '../domain/audit';
import { PROFILE_FIELD_CATEGORIES, inventory, type StoreId } from '../inventory';
import type { DataAccess, DataTouch, RouteDefinition } from '../http/route-definition';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../retention-periods';
import { kms } from '../runtime/kms';
import { dynamodb } from '../runtime/clients';
import { intEnv, requireEnv } from '../runtime/env';
import { keyEnvVar } from '../runtime/resources';
import { declaredStores } from '../runtime/stores';


const ACCESS_OF: Record<AuditAction, DataAccess> = {
  read: 'read',
  export: 'read',
  create: 'write',
  update: 'write',
  login: 'write',
  'consent.grant': 'write',
  'consent.withdraw': 'write',
  'consent.object': 'write',
  'consent.unobject': 'write',
  'restriction.start': 'write',
  'restriction.end': 'write',
  'recipient.ack': 'write',
  delete: 'delete',
  logout: 'delete',
  erase: 'delete',
};

/** The category of `store.field` or `users.profile.<field>`; unknown names count as `identifier` (the cautious reading). */
export function categoryOf(name: string): string {
  const [store, field, sub] = name.split('.');
  if (store === 'users' && field === 'profile' && sub && sub in PROFILE_FIELD_CATEGORIES) {
    return PROFILE_FIELD_CATEGORIES[sub as keyof typeof PROFILE_FIELD_CATEGORIES];
  }
  const declaration = (inventory[store as StoreId]?.fields as Record<string, { category: string }> | undefined)?.[field];
  return declaration?.category ?? 'identifier';
}

const categoriesOf = (fields: readonly string[]) =>
  [...new Set(fields.map(categoryOf))].filter((c) => c !== 'none').sort();

/** The personal fields a declaration touches with an access, as `store.field`; the audit table itself is left out. */
export function declaredFields(personalData: readonly DataTouch[], access: DataAccess): string[] {
  const fields = personalData
    .filter((t) => t.store !== 'audit' && t.access.includes(access))
    .flatMap((t) => (t.fields as readonly string[]).filter((f) => personalField(t.store, f)).map((f) => `${t.store}.${f}`));
  return [...new Set(fields)].sort();
}

function personalField(store: StoreId, field: string): boolean {
  return (inventory[store].fields as Record<string, { personal: boolean }>)[field]?.personal ?? true;
}

export interface AuditOwner {
  readonly id: string;
  readonly personalData: readonly DataTouch[];
  readonly crypto?: readonly string[];
  readonly purpose?: string;
}

export interface AuditActor {
  readonly actorSubjectId?: string;
  readonly actorRole: ActorRole;
  readonly correlationId: string;
}

/** Call at module scope; returns a factory of per-request trails, or undefined for owners that touch no personal data. */
export function auditTrails(owner: AuditOwner, kind: 'route' | 'worker' | 'command'): ((actor: AuditActor) => AuditTrail) | undefined {
  if (owner.personalData.length === 0) return undefined;
  const table = declaredStores(owner).table('audit');
  const pseudonymKeyId = requireEnv(keyEnvVar('pseudonymKey'));
  const retentionDays = intEnv('AUDIT_RETENTION_DAYS', DEFAULT_AUDIT_RETENTION_DAYS);
  const defaults = new Map<DataAccess, { fields: string[]; categories: string[] }>();
  for (const access of ['read', 'write', 'delete'] as const) {
    const fields = declaredFields(owner.personalData, access);
    defaults.set(access, { fields, categories: categoriesOf(fields) });
  }
  return (actor) => {
    const context: AuditContext = {
      ...actor,
      purpose: owner.purpose ?? 'service-operation',
      origin: `${kind}:${owner.id}`,
      declared: (action) => defaults.get(ACCESS_OF[action])!,
      categoriesOf,
      retentionDays,
      now: () => new Date(),
    };
    // Pseudonyms are memoised per container (bounded, emptied on erasure: see kms-pseudonyms.ts).
    return new AuditTrail(dynamodb, table, new KmsPseudonyms(kms, pseudonymKeyId), context);
  };
}

/** The pseudonym HMAC (memoised per container, bounded): route code keys cursors with it, the audit routes search by it. */
export function pseudonymHmac(): KmsPseudonyms {
  return new KmsPseudonyms(kms, requireEnv(keyEnvVar('pseudonymKey')));
}

/** Reading the audit trail: the reader for the route's audit table, and the subject pseudonyms to search by. */
export function auditReading(route: Pick<RouteDefinition, 'id' | 'personalData'>) {
  const reader = new DynamoAuditReader(dynamodb, declaredStores(route).table('audit'));
  const pseudonymKeyId = requireEnv(keyEnvVar('pseudonymKey'));
  return { reader, pseudonyms: () => new KmsPseudonyms(kms, pseudonymKeyId) };
}
