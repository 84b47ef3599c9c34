/**
 * `fmn pseudonymize`: a copy of a table dump that is safe for dev and staging.
 *
 * 1. stream the dump line by line (constant memory, with backpressure, gzip in and out when the names end in `.gz`);
 * 2. for each item, look its store up in the inventory: every field declared `personal: true` is replaced, every other
 *    declared field is copied untouched, an undeclared field fails the run (or is dropped when asked): an unknown field
 *    may hold personal data nobody declared;
 * 3. write the line back in the format it came in, to `<output>.partial`, renamed to `<output>` only when all went well.
 *
 * Replacements are deterministic under the environment's key (see `pseudonym-mapper.ts`), so joins across tables hold.
 * A few fields get a synthetic value instead of a pseudonym, because a pseudonym of them would be meaningless or broken:
 * encrypted blobs (the users profile, sealed under a data key staging will never have) become a synthetic-profile marker
 * that `seed-staging` turns into a real profile; password hashes become a marker `seed-staging` replaces; decisions from a
 * fixed set (consent actions, the newsletter flag) become a keyed choice from the same set.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { inventory, type StoreId } from '../lambdas/inventory';
import { DynamoNumber, formatDumpLine, parseDumpLine, type DumpFormat, type PlainItem, type PlainValue } from './dump-lines';
import { OpsInputError } from './errors';
import { PSEUDONYM_EMAIL_DOMAIN, PseudonymMapper } from './pseudonym-mapper';

/** `users.profile` after pseudonymisation: this prefix, then the synthetic profile as JSON. */
export const SYNTHETIC_PROFILE_PREFIX = 'fmn-synthetic-profile:v1:';
/** A password hash after pseudonymisation: the account had a password; `seed-staging` decides what it becomes. */
export const SYNTHETIC_PASSWORD = 'fmn-synthetic-password:v1';
/** Any other encrypted field: the ciphertext is not carried over. */
export const SYNTHETIC_ENCRYPTED = 'fmn-synthetic-encrypted:v1';

/** DynamoDB items are at most 400 KB; a longer line is not a dump line, and buffering it would defeat constant memory. */
const MAX_LINE_CHARS = 4 * 1024 * 1024;
/** Output is written in chunks of about this size, not one write per line. */
const OUTPUT_CHUNK_CHARS = 64 * 1024;

export interface SyntheticProfile {
  readonly email: string;
  readonly displayName: string;
}

export type UndeclaredFieldPolicy = 'fail' | 'drop';

export interface PseudonymizeOptions {
  readonly input: string;
  readonly output: string;
  /** The per-environment HMAC key (see `pseudonym-key.ts`). */
  readonly key: Buffer;
  /** The store of every line that does not name its own (DynamoDB exports are one table per file). */
  readonly store?: string;
  /** Default: detected per line. */
  readonly format?: DumpFormat;
  /** Default `fail`. */
  readonly undeclared?: UndeclaredFieldPolicy;
  /** Replace an existing output file. Default false. */
  readonly overwrite?: boolean;
  /** Called as the input is read: compressed bytes for a `.gz` input, like the total. */
  readonly onProgress?: (progress: { bytesRead: number; totalBytes: number }) => void;
}

export interface PseudonymizeResult {
  readonly lines: number;
  readonly itemsByStore: Record<string, number>;
  /** `store.field` → how many values were dropped (only with `undeclared: 'drop'`). */
  readonly droppedFields: Record<string, number>;
  readonly bytesRead: number;
  readonly totalBytes: number;
}

type FieldRule = (value: PlainValue, item: PlainItem, mapper: PseudonymMapper) => PlainValue;

const CONSENT_ACTION_FAMILIES: readonly (readonly string[])[] = [
  ['grant', 'withdraw'],
  ['object', 'withdraw-objection'],
  ['restrict', 'lift-restriction'],
];

/** A decision's replacement: the same family (so the ledger stays valid), the member chosen by key, subject and topic. */
const consentAction: FieldRule = (value, item, mapper) => {
  const family = CONSENT_ACTION_FAMILIES.find((f) => f.includes(value as string));
  if (!family) return mapper.string(String(value));
  // Keyed by subject and topic, so a subject's events and projection of one topic agree with each other.
  return mapper.choose(`consent-action:${String(item.subjectId)}:${String(item.topic)}:${family[0]}`, family);
};

/** The synthetic profile of a subject: derived from the key and the original subject id, never from the real profile. */
export function syntheticProfile(mapper: PseudonymMapper, originalSubjectId: string): SyntheticProfile {
  const tag = mapper.hex(`profile:${originalSubjectId}`, 20);
  return { email: `p-${tag}@${PSEUDONYM_EMAIL_DOMAIN}`, displayName: `Subject ${tag.slice(0, 8)}` };
}

/** Reads the synthetic profile back from a pseudonymised `users.profile`; undefined when it is not one. */
export function parseSyntheticProfile(value: unknown): SyntheticProfile | undefined {
  if (typeof value !== 'string' || !value.startsWith(SYNTHETIC_PROFILE_PREFIX)) return undefined;
  try {
    const parsed = JSON.parse(value.slice(SYNTHETIC_PROFILE_PREFIX.length)) as Partial<SyntheticProfile>;
    return typeof parsed.email === 'string' && typeof parsed.displayName === 'string'
      ? { email: parsed.email, displayName: parsed.displayName }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Fields whose replacement is a synthetic value rather than a pseudonym (see the module comment). */
const FIELD_RULES: Record<string, FieldRule> = {
  'users.profile': (_value, item, mapper) => SYNTHETIC_PROFILE_PREFIX + JSON.stringify(syntheticProfile(mapper, String(item.subjectId))),
  'users.passwordHash': () => SYNTHETIC_PASSWORD,
  'consent.action': consentAction,
  'consent.lastAction': consentAction,
  // Structured values with free text inside (an admin's reason or note): the text is replaced, the structure (statuses,
  // dates, roles, months) is kept, so the requests and holds still read as what they are.
  'users.legalHold': freeTextOnly(['reason']),
  'rightsRequests.extension': freeTextOnly(['reason']),
  'rightsRequests.history': freeTextOnly(['note']),
  // The activity month is the partition of the retention job's index: the month of the pseudonymised last activity, so
  // the two still agree in the copy and the job finds the same accounts there. The shard suffix (`#07`) is kept: the job
  // reads every shard, so any shard finds the account.
  'users.activityMonth': (value, item, mapper) =>
    typeof item.lastActiveAt === 'string'
      ? `${mapper.string(item.lastActiveAt).slice(0, 7)}${typeof value === 'string' ? (/#\d+$/.exec(value)?.[0] ?? '') : ''}`
      : pseudonymValue(value, mapper, 'users.activityMonth'),
};

/** A rule replacing the named string members of an object (or of each object in a list) by pseudonyms. */
function freeTextOnly(keys: readonly string[]): FieldRule {
  const replace = (value: PlainValue, mapper: PseudonymMapper): PlainValue => {
    if (Array.isArray(value)) return value.map((member) => replace(member, mapper));
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Set || value instanceof DynamoNumber) {
      return value;
    }
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, keys.includes(k) && typeof v === 'string' ? mapper.string(v) : v]),
    );
  };
  return (value, _item, mapper) => replace(value, mapper);
}

/** The pseudonym of any value: strings by shape, numbers digit for digit, containers member by member (keys kept). */
export function pseudonymValue(value: PlainValue, mapper: PseudonymMapper, context: string): PlainValue {
  if (typeof value === 'string') return mapper.string(value);
  if (typeof value === 'number') return mapper.number(value);
  // A flag is not a join key; keyed by its context, so `true` does not simply map to one fixed answer.
  if (typeof value === 'boolean') return mapper.choose(`boolean:${context}`, [true, false]);
  if (value === null) return null;
  if (value instanceof DynamoNumber) return new DynamoNumber(mapper.numberText(value.text));
  if (value instanceof Uint8Array) return mapper.binary(value);
  if (value instanceof Set) return new Set([...value].map((m) => pseudonymValue(m as PlainValue, mapper, context))) as PlainValue;
  if (Array.isArray(value)) return value.map((v) => pseudonymValue(v, mapper, context));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pseudonymValue(v, mapper, `${context}.${k}`)]));
}

type FieldDeclarations = Record<string, { personal: boolean; encrypted?: boolean; category: string }>;

/** The table declaration of a store id, or an input error naming it. */
export function tableDeclaration(store: string | undefined, where: string): FieldDeclarations {
  if (store === undefined) throw new OpsInputError(`${where}: no store: name it with --store or per line ({"store":…,"item":…})`);
  const declaration = (inventory as Record<string, { kind: string; fields: FieldDeclarations }>)[store];
  if (!declaration || declaration.kind !== 'table') {
    throw new OpsInputError(`${where}: ${JSON.stringify(store)} is not a table of the inventory (${tableStores().join(', ')})`);
  }
  return declaration.fields;
}

export function tableStores(): StoreId[] {
  return (Object.keys(inventory) as StoreId[]).filter((s) => inventory[s].kind === 'table');
}

/**
 * One item's pseudonymised copy. `dropped` receives `store.field` of undeclared fields when they are dropped; with the
 * `fail` policy the first undeclared field throws.
 */
export function pseudonymizeItem(
  store: string,
  item: PlainItem,
  mapper: PseudonymMapper,
  options: { undeclared?: UndeclaredFieldPolicy; where?: string; dropped?: (field: string) => void } = {},
): PlainItem {
  const where = options.where ?? store;
  const fields = tableDeclaration(store, where);
  const out: PlainItem = {};
  // A subject's flags are keyed by the subject, so all of one subject's rows agree.
  const rowContext = typeof item.subjectId === 'string' ? item.subjectId : '';
  for (const [name, value] of Object.entries(item)) {
    const declaration = fields[name];
    if (!declaration) {
      if (options.undeclared === 'drop') {
        options.dropped?.(`${store}.${name}`);
        continue;
      }
      throw new OpsInputError(
        `${where}: field ${store}.${name} is not declared in the inventory; declare it (lambdas/inventory.ts) or drop undeclared fields`,
      );
    }
    // Wrapped data keys are not personal, but they are the production environment's secrets and open nothing elsewhere:
    // never carried over (seed-staging makes fresh keys under the target's KMS key).
    if (declaration.category === 'key-material') continue;
    if (!declaration.personal) {
      out[name] = value;
      continue;
    }
    const rule = FIELD_RULES[`${store}.${name}`];
    if (rule) out[name] = rule(value, item, mapper);
    else if (declaration.encrypted) out[name] = SYNTHETIC_ENCRYPTED;
    else out[name] = pseudonymValue(value, mapper, `${store}.${name}:${rowContext}`);
  }
  return out;
}

/** Splits a text stream into lines without holding more than one line (and one chunk) at a time. */
export async function* splitLines(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of source) {
    rest += decoder.write(chunk);
    let start = 0;
    let newline: number;
    while ((newline = rest.indexOf('\n', start)) !== -1) {
      yield rest.slice(start, newline);
      start = newline + 1;
    }
    rest = rest.slice(start);
    if (rest.length > MAX_LINE_CHARS) throw new OpsInputError(`a line is longer than ${MAX_LINE_CHARS} characters: not a table dump`);
  }
  rest += decoder.end();
  if (rest.length > 0) yield rest;
}

/** Counts bytes as they pass, for the progress callback. */
function byteCounter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}

/** Streams `input` to `output`, pseudonymising every item (see the module comment). */
export async function pseudonymize(options: PseudonymizeOptions): Promise<PseudonymizeResult> {
  const input = resolve(options.input);
  const output = resolve(options.output);
  if (input === output) throw new OpsInputError('the output must be a different file from the input');
  const totalBytes = (await stat(input).catch(() => undefined))?.size;
  if (totalBytes === undefined) throw new OpsInputError(`cannot read input file ${options.input}`);
  if (!options.overwrite && (await stat(output).catch(() => undefined))) {
    throw new OpsInputError(`output file ${options.output} exists (overwrite it explicitly)`);
  }
  const mapper = new PseudonymMapper(options.key);
  const partial = `${output}.partial`;
  const itemsByStore: Record<string, number> = {};
  const droppedFields: Record<string, number> = {};
  let bytesRead = 0;
  let lines = 0;

  const transform = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<string> {
    let pending = '';
    for await (const text of splitLines(source)) {
      lines++;
      if (text.trim() === '') continue;
      const where = `${options.input}:${lines}`;
      const line = parseDumpLine(text, where, options.format);
      const store = line.store ?? options.store;
      tableDeclaration(store, where);
      const item = pseudonymizeItem(store!, line.item, mapper, {
        undeclared: options.undeclared,
        where,
        dropped: (field) => (droppedFields[field] = (droppedFields[field] ?? 0) + 1),
      });
      itemsByStore[store!] = (itemsByStore[store!] ?? 0) + 1;
      pending += formatDumpLine(line, item) + '\n';
      if (pending.length >= OUTPUT_CHUNK_CHARS) {
        yield pending;
        pending = '';
      }
    }
    if (pending) yield pending;
  };

  const gzipIn = input.endsWith('.gz');
  const gzipOut = output.endsWith('.gz');
  const stages: (Readable | Writable | Transform | typeof transform)[] = [
    createReadStream(input),
    byteCounter((n) => {
      bytesRead += n;
      options.onProgress?.({ bytesRead, totalBytes });
    }),
    ...(gzipIn ? [createGunzip()] : []),
    transform,
    ...(gzipOut ? [createGzip()] : []),
    createWriteStream(partial),
  ];
  try {
    await (pipeline as (...streams: unknown[]) => Promise<void>)(...stages);
    await rename(partial, output);
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof OpsInputError) throw error;
    if ((error as { code?: string }).code === 'Z_DATA_ERROR') throw new OpsInputError(`${options.input}: not valid gzip`);
    throw error;
  }
  return { lines, itemsByStore, droppedFields, bytesRead, totalBytes };
}
