/**
 * The breach scope of one store in a time window (Art. 33(3)(a): the categories and approximate number of data subjects),
 * over DynamoDB: shared by `fmn breach-scope` (ops/breach-scope.ts) and the incident scope job of the rights worker.
 *
 * 1. held in the store: the categories the inventory declares for it, and the subjects with an item in it during the window
 *    (an item created after the window, or expired before it, does not count), named by their audit pseudonym;
 * 2. accessed from the store: audit entries in the window (the by-day index, one day at a time, never a scan of the trail)
 *    whose origin (route, worker, job or command) declares a touch of the store, or whose field names name it;
 * 3. one plain result: categories, the number of subjects and their pseudonyms, and the accesses by origin.
 *
 * Raw subject ids never leave this module: every subject is reported by pseudonym. Who touches what, by origin, is passed
 * in (`declarations`): the command builds it from the route table, a function reads the generated docs/audit-origins.json,
 * since no function may bundle the route table.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryItems, scanItems } from './dynamo-paging';
import { AUDIT_DAY_INDEX } from './dynamo-audit';
import { dayOf, type AuditEntry } from '../domain/audit';
import { allShardKeys } from '../domain/key-shards';
import { indexShards } from '../runtime/index-shards';
import { PROFILE_FIELD_CATEGORIES, inventory, type StoreId } from '../inventory';
import type { DataTouch } from '../http/route-definition';

/** Day partitions queried at most: about 13 months, the audit trail's default retention. */
export const MAX_WINDOW_DAYS = 400;
/** The times a scanned item may carry: when it was created (`createdAt`, or `at` for events) and when it expires. */
export const SCAN_TIME_FIELDS = ['createdAt', 'at', 'expiresAt'] as const;
/** Subjects pseudonymised at once (one KMS call each). */
const PSEUDONYMS_IN_FLIGHT = 16;

/** The store, a moment or the window is not usable; the message names the option, never data. */
export class BreachScopeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BreachScopeInputError';
  }
}

export interface BreachScopeOptions {
  readonly store: string;
  /** ISO 8601 (or anything `Date` parses), inclusive. */
  readonly from: string;
  readonly to: string;
}

export interface BreachScopeDeps {
  readonly db: DynamoDBDocumentClient;
  /** Physical names: the audit table, and the store's own table when the store is a table. */
  readonly tables: { readonly audit: string; readonly store?: string };
  /** The audit pseudonym of a subject id (HMAC under the target's pseudonym key), as in the trail. */
  readonly subjectPseudonym: (subjectId: string) => Promise<string>;
  /** Who touches what, by audit origin (`route:<id>`, `worker:<id>`, `schedule:<id>`, `command:<id>`). */
  readonly declarations: ReadonlyMap<string, readonly DataTouch[]>;
  /** Shards of the audit's by-day index; default: `INDEX_SHARDS` from the environment (as the functions have it). */
  readonly indexShards?: number;
}

export interface OriginAccess {
  readonly origin: string;
  readonly entries: number;
  readonly subjects: number;
  readonly actions: string[];
  readonly categories: string[];
  /** False when the origin is not in the route table (counted because its field names name the store). */
  readonly declared: boolean;
}

export interface BreachScope {
  readonly store: string;
  readonly kind: string;
  readonly window: { readonly from: string; readonly to: string };
  /** Every category concerned: held or accessed (never `none`). */
  readonly categories: string[];
  /** Subjects concerned, by audit pseudonym (held or accessed). */
  readonly subjects: {
    readonly count: number;
    readonly pseudonyms: string[];
    /** True when the count adds keys that cannot be matched to audit pseudonyms (and may count a person twice). */
    readonly approximate: boolean;
  };
  readonly held: {
    readonly categories: string[];
    /** False when the store's subjects cannot be listed (a bucket, a queue, the audit trail itself). */
    readonly enumerated: boolean;
    readonly subjects: number;
    readonly pseudonyms: string[];
    /** What the held pseudonyms are: `subject` (audit pseudonyms), or the store's own pseudonymous key field. */
    readonly identifiedBy: string;
    readonly note?: string;
  };
  readonly accessed: {
    readonly entries: number;
    readonly subjects: number;
    readonly pseudonyms: string[];
    readonly categories: string[];
    readonly byOrigin: OriginAccess[];
  };
}

type Fields = Record<string, { category: string; personal: boolean }>;

function fieldsOf(store: StoreId): Fields {
  return inventory[store].fields as Fields;
}

/** Categories of a store's fields (the profile's inner categories included), without `none`. */
function categoriesOfFields(store: StoreId, fields: readonly string[]): string[] {
  const declared = fieldsOf(store);
  const categories = new Set<string>();
  for (const field of fields) {
    const [name, sub] = field.split('.');
    if (store === 'users' && name === 'profile') {
      const inner = sub ? [PROFILE_FIELD_CATEGORIES[sub as keyof typeof PROFILE_FIELD_CATEGORIES]] : Object.values(PROFILE_FIELD_CATEGORIES);
      for (const c of inner) if (c) categories.add(c);
    }
    // An undeclared name counts as an identifier: the cautious reading.
    categories.add(declared[name!]?.category ?? 'identifier');
  }
  categories.delete('none');
  return [...categories].sort();
}

function parseMoment(value: string, option: string): string {
  const date = new Date(value);
  if (value.trim() === '' || Number.isNaN(date.getTime())) throw new BreachScopeInputError(`${option} is not a date or time (ISO 8601)`);
  return date.toISOString();
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return dayOf(date.toISOString());
}

/** The store's own identifier for a subject: its subject id, else its first personal identifier field (a keyed HMAC). */
function subjectKeyField(store: StoreId): { field: string; kind: 'subject' | 'pseudonymous-key' } | undefined {
  const fields = fieldsOf(store);
  if (fields.subjectId) return { field: 'subjectId', kind: 'subject' };
  const key = Object.entries(fields).find(([, d]) => d.personal && d.category === 'identifier');
  return key ? { field: key[0], kind: 'pseudonymous-key' } : undefined;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit) out.push(...(await Promise.all(items.slice(i, i + limit).map(fn))));
  return out;
}

/** Subjects with an item in the store during the window, by a scan of that store (projecting the key and times only). */
async function heldSubjects(
  store: StoreId,
  options: { from: string; to: string },
  deps: BreachScopeDeps,
): Promise<Omit<BreachScope['held'], 'categories'>> {
  const kind = inventory[store].kind;
  if (kind !== 'table' || store === 'audit' || !deps.tables.store) {
    return {
      enumerated: false,
      subjects: 0,
      pseudonyms: [],
      identifiedBy: 'subject',
      note:
        store === 'audit'
          ? 'the audit trail names subjects by pseudonym only; listing them all would need a scan of the trail, which this command never does'
          : `a ${kind}: its subjects are not listed; see the accesses`,
    };
  }
  const key = subjectKeyField(store);
  if (!key) return { enumerated: false, subjects: 0, pseudonyms: [], identifiedBy: 'subject', note: 'the store declares no subject identifier' };
  const fromSeconds = Math.floor(Date.parse(options.from) / 1000);
  const ids = new Set<string>();
  // The key and whichever of the time attributes the store declares (an undeclared one is never written, so never read).
  const projected = [key.field, ...SCAN_TIME_FIELDS.filter((f) => f in fieldsOf(store))];
  const items = scanItems<Record<string, unknown>>(deps.db, {
    TableName: deps.tables.store,
    ProjectionExpression: projected.map((_, i) => `#f${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(projected.map((f, i) => [`#f${i}`, f])),
  });
  for await (const item of items) {
    const id = item[key.field];
    if (typeof id !== 'string') continue;
    const created = typeof item.createdAt === 'string' ? item.createdAt : typeof item.at === 'string' ? item.at : undefined;
    if (created !== undefined && created > options.to) continue; // came after the window
    if (typeof item.expiresAt === 'number' && item.expiresAt < fromSeconds) continue; // gone before it (TTL lags)
    ids.add(id);
  }
  const pseudonyms =
    key.kind === 'subject' ? await mapLimited([...ids], PSEUDONYMS_IN_FLIGHT, deps.subjectPseudonym) : [...ids]; // already keyed HMACs
  return { enumerated: true, subjects: ids.size, pseudonyms: [...new Set(pseudonyms)].sort(), identifiedBy: key.kind === 'subject' ? 'subject' : key.field };
}

/**
 * Audit entries of the window, day by day (the by-day index), oldest day first; each day's shards one after the other (the
 * scope counts, so their order does not matter).
 */
async function* entriesInWindow(db: DynamoDBDocumentClient, table: string, from: string, to: string, shards: number): AsyncGenerator<AuditEntry> {
  for (let day = dayOf(from); day <= dayOf(to); day = nextDay(day)) {
    for (const dayShard of allShardKeys(day, shards)) {
      yield* queryItems<AuditEntry>(db, {
        TableName: table,
        IndexName: AUDIT_DAY_INDEX,
        KeyConditionExpression: '#ds = :ds AND #at BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#ds': 'dayShard', '#at': 'at' },
        ExpressionAttributeValues: { ':ds': dayShard, ':from': from, ':to': to },
      });
    }
  }
}

/** The breach scope of one store in a window (see the module comment). */
export async function breachScope(options: BreachScopeOptions, deps: BreachScopeDeps): Promise<BreachScope> {
  if (!(options.store in inventory)) {
    throw new BreachScopeInputError(`unknown store ${JSON.stringify(options.store)} (one of: ${Object.keys(inventory).join(', ')})`);
  }
  const store = options.store as StoreId;
  const from = parseMoment(options.from, '--from');
  const to = parseMoment(options.to, '--to');
  if (from > to) throw new BreachScopeInputError('--from must not be after --to');
  const days = Math.round((Date.parse(`${dayOf(to)}T00:00:00Z`) - Date.parse(`${dayOf(from)}T00:00:00Z`)) / 86_400_000) + 1;
  if (days > MAX_WINDOW_DAYS) throw new BreachScopeInputError(`the window spans ${days} days; at most ${MAX_WINDOW_DAYS}`);

  const declarations = deps.declarations;
  const heldCategories = categoriesOfFields(store, Object.keys(fieldsOf(store)));
  const held = await heldSubjects(store, { from, to }, deps);

  const byOrigin = new Map<string, { entries: number; subjects: Set<string>; actions: Set<string>; categories: Set<string>; declared: boolean }>();
  const accessedPseudonyms = new Set<string>();
  let entries = 0;
  for await (const entry of entriesInWindow(deps.db, deps.tables.audit, from, to, deps.indexShards ?? indexShards())) {
    const touch = declarations.get(entry.origin)?.filter((t) => t.store === store) ?? [];
    const named = (entry.fields ?? []).filter((f) => f.startsWith(`${store}.`)).map((f) => f.slice(store.length + 1));
    if (touch.length === 0 && named.length === 0) continue;
    entries++;
    const access = byOrigin.get(entry.origin) ?? {
      entries: 0,
      subjects: new Set<string>(),
      actions: new Set<string>(),
      categories: new Set<string>(),
      declared: declarations.has(entry.origin),
    };
    access.entries++;
    access.actions.add(entry.action);
    if (entry.subjectPseudonym) {
      access.subjects.add(entry.subjectPseudonym);
      accessedPseudonyms.add(entry.subjectPseudonym);
    }
    const fields = [...touch.flatMap((t) => t.fields as readonly string[]), ...named];
    for (const category of categoriesOfFields(store, fields)) access.categories.add(category);
    byOrigin.set(entry.origin, access);
  }

  const origins: OriginAccess[] = [...byOrigin.entries()]
    .map(([origin, a]) => ({
      origin,
      entries: a.entries,
      subjects: a.subjects.size,
      actions: [...a.actions].sort(),
      categories: [...a.categories].sort(),
      declared: a.declared,
    }))
    .sort((a, b) => b.entries - a.entries || a.origin.localeCompare(b.origin));
  const accessedCategories = [...new Set(origins.flatMap((o) => o.categories))].sort();
  const comparable = held.identifiedBy === 'subject';
  const all = new Set<string>([...(comparable ? held.pseudonyms : []), ...accessedPseudonyms]);
  return {
    store,
    kind: inventory[store].kind,
    window: { from, to },
    categories: [...new Set([...heldCategories, ...accessedCategories])].sort(),
    subjects: {
      count: all.size + (comparable ? 0 : held.subjects),
      pseudonyms: [...all].sort(),
      approximate: !comparable && held.subjects > 0,
    },
    held: { categories: heldCategories, ...held },
    accessed: {
      entries,
      subjects: accessedPseudonyms.size,
      pseudonyms: [...accessedPseudonyms].sort(),
      categories: accessedCategories,
      byOrigin: origins,
    },
  };
}
