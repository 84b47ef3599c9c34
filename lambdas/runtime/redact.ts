/**
 * The last step before a log line leaves the process: values of personal fields, and anything shaped like an email, an
 * IP address, a phone number, a session token or a JWT, become `[redacted]`. Code should never log such values in the
 * first place; this catches the mistake (an error message quoting its input, a header dumped while debugging).
 *
 * Ids survive on purpose, because they are what joins a log line to an audit entry: UUIDs, 64-hex pseudonyms and hashes,
 * ISO timestamps, problem slugs and route ids match no pattern here.
 *
 * Pure: no I/O, no AWS types; every regex is compiled once, at module load.
 */
import { inventory, PROFILE_FIELD_CATEGORIES, type DataCategory } from '../inventory';

export const REDACTED = '[redacted]';

/** Deeper than any attribute we log on purpose; beyond it a value is dropped, not walked. */
const MAX_DEPTH = 10;

// Inventory categories whose personal fields hold a person's values. Identifiers, audit pseudonyms and consent states are
// left out: they are pseudonymous, and logs need them to be joined with the audit trail.
const VALUE_CATEGORIES: ReadonlySet<DataCategory> = new Set<DataCategory>(['contact', 'identity', 'credentials', 'usage', 'network-identifier']);

/** Keys not in the inventory (request headers, API Gateway identity, secrets in transit, OIDC claims) that are just as personal. */
const EXTRA_PERSONAL_KEYS = [
  // profile input and its parts
  'newEmail', 'emailAddress', 'phoneNumber', 'postalAddress', 'address', 'street', 'postalCode', 'city',
  'preferredUsername', 'nickname', 'birthdate',
  // credentials and secrets in transit
  'password', 'currentPassword', 'newPassword', 'idToken', 'accessToken', 'refreshToken', 'token', 'sessionToken',
  'receiptToken', 'apiKey', 'xApiKey', 'clientSecret', 'wrappedKey', 'pendingVerification',
  // HTTP: headers, client address, and bodies, which are never logged
  'authorization', 'cookie', 'setCookie', 'sourceIp', 'userAgent', 'ip', 'xForwardedFor', 'xRealIp', 'body',
];

/** `X-Forwarded-For`, `x_forwarded_for` and `xForwardedFor` are one key. */
const normaliseKey = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

function personalKeys(): ReadonlySet<string> {
  const keys = new Set(EXTRA_PERSONAL_KEYS.map(normaliseKey));
  for (const store of Object.values(inventory)) {
    for (const [name, field] of Object.entries(store.fields)) {
      if (field.personal && VALUE_CATEGORIES.has(field.category)) keys.add(normaliseKey(name));
    }
  }
  // locale is a preference, not worth hiding; every other profile field is.
  for (const [name, category] of Object.entries(PROFILE_FIELD_CATEGORIES)) {
    if (category !== 'preferences') keys.add(normaliseKey(name));
  }
  return keys;
}

/** Normalised (lower-case, no `-` or `_`) names of keys whose values are always redacted. Exported for tests. */
export const PERSONAL_KEYS: ReadonlySet<string> = personalKeys();

/** True when a key's value is redacted whatever it holds. */
export function isPersonalKey(key: string): boolean {
  return PERSONAL_KEYS.has(normaliseKey(key));
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;

/**
 * IPv6 candidates: hex groups joined by colons, optionally ending in an IPv4 part. The lookarounds keep it off ARNs
 * (`arn:aws:iam::123…`), times and `Class::method`; `isIpv6` then checks the group count.
 */
const IPV6_CANDIDATE = new RegExp(`(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:${IPV4}|[0-9A-Fa-f]{1,4})?(?![\\w:])`, 'g');

function isIpv6(candidate: string): boolean {
  const halves = candidate.split('::');
  if (halves.length > 2) return false;
  let groups = candidate.split(/::|:/).filter((g) => g !== '');
  if (groups.length === 0) return false; // a bare `::` says nothing about anyone
  if (groups.at(-1)!.includes('.')) groups = [...groups.slice(0, -1), 'v4', 'v4']; // the IPv4 tail is two groups
  // without `::` every group is spelled out, and no colon may lead or trail
  if (halves.length === 1) return groups.length === 8 && !candidate.startsWith(':') && !candidate.endsWith(':');
  // with `::`, only it may be empty: no stray single colon at either end
  if (/^:[^:]|[^:]:$/.test(candidate)) return false;
  return groups.length <= 7;
}

interface Rule {
  /** Cheap test that skips the regex for strings that cannot match. */
  readonly mayMatch: (value: string) => boolean;
  readonly pattern: RegExp;
  readonly replace: (match: string) => string;
}

const always = () => REDACTED;

/** Order matters: JWTs first (their segments would otherwise be half-taken as tokens), IPv6 before its IPv4 tail. */
const RULES: readonly Rule[] = [
  // JWT (and JWE): base64url JSON header, then two to four more segments.
  { mayMatch: (s) => s.includes('eyJ'), pattern: /(?<![\w-])eyJ[\w-]+(?:\.[\w-]*){2,4}/g, replace: always },
  // email, also URL-encoded (`%40`); the lookbehind starts a match only at the start of a run, so long runs stay linear.
  {
    mayMatch: (s) => s.includes('@') || s.includes('%40'),
    pattern: /(?<![\w.%+-])[\w.%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    replace: always,
  },
  { mayMatch: (s) => s.includes(':'), pattern: IPV6_CANDIDATE, replace: (m) => (isIpv6(m) ? REDACTED : m) },
  { mayMatch: (s) => s.includes('.'), pattern: new RegExp(`(?<![\\d.])${IPV4}(?!\\.?\\d)`, 'g'), replace: always },
  // E.164: `+` and 7 to 15 digits, spaces, dashes or brackets between them.
  { mayMatch: (s) => s.includes('+'), pattern: /(?<![\d+])\+\d(?:[ ()-]{0,2}\d){6,14}(?!\d)/g, replace: always },
  // session and receipt tokens: exactly 43 base64url characters (256 bits), standing alone.
  { mayMatch: (s) => s.length >= 43, pattern: /(?<![\w-])[\w-]{43}(?![\w-])/g, replace: always },
];

/** The string with every substring shaped like personal data replaced by `[redacted]`. */
export function redactString(value: string): string {
  let out = value;
  for (const rule of RULES) {
    if (rule.mayMatch(out)) out = out.replace(rule.pattern, rule.replace);
  }
  return out;
}

/** Redacted form of an error: class and stack, never its own properties, which may carry the input that caused it. */
export interface RedactedError {
  readonly name: string;
  /** The stack frames only: the message line(s) are dropped, since a message may quote the input in free text. */
  readonly stack?: string;
  /** The cause, when it is an error; `[circular]` or `[truncated]` when it cannot be walked. */
  readonly cause?: RedactedError | string;
  /** The errors of an AggregateError, each redacted the same way. */
  readonly errors?: readonly (RedactedError | string)[];
}

/** A V8 stack frame line: `    at fn (file:1:2)`. */
const FRAME = /^\s+at /;

/**
 * The frames of a stack, without its header. V8 writes the header as `Error.prototype.toString` does (`<name>: <message>`),
 * then one line per frame; the message may span lines, and a line of it may itself look like a frame
 * (`"…\n    at me@example.org"`). So a known header goes first (or, when the stack was formatted before the message
 * changed, everything up to the end of the message); then only frame lines are kept.
 */
export function stackFrames(stack: string, header?: string, message?: string): string {
  let rest = stack;
  if (header && stack.startsWith(header)) rest = stack.slice(header.length);
  else if (message && stack.includes(message)) rest = stack.slice(stack.indexOf(message) + message.length);
  return redactString(
    rest
      .split('\n')
      .filter((line) => FRAME.test(line))
      .join('\n'),
  );
}

function redactError(error: Error, depth: number, ancestors: Set<object>): RedactedError {
  // Frames only: "Ada Lovelace not found" matches no pattern, so the message line cannot be kept, even redacted.
  const message = typeof error.message === 'string' ? error.message : undefined;
  const stack = typeof error.stack === 'string' ? stackFrames(error.stack, Error.prototype.toString.call(error), message) : undefined;
  const { cause } = error as { cause?: unknown };
  // own properties (`$metadata`, `$response`, `input`, …) are never copied: any of them may hold the input
  const errors = error instanceof AggregateError && Array.isArray(error.errors) ? error.errors : undefined;
  return {
    name: redactString(String(error.name)),
    stack,
    // a cause that is not an Error is usually the raw input; only error causes are kept
    ...(cause instanceof Error ? { cause: walk(cause, depth + 1, ancestors) as RedactedError | string } : {}),
    ...(errors
      ? { errors: errors.map((e) => (e instanceof Error ? (walk(e, depth + 1, ancestors) as RedactedError | string) : REDACTED)) }
      : {}),
  };
}

/**
 * A redacted deep copy of any value: keys that name personal fields (case-insensitive) lose their values, every string
 * loses substrings shaped like personal data, errors become `{ name, stack }` (frames only; also under a `stack` key
 * that holds a string). Cycles become `[circular]`, anything
 * deeper than ten levels `[truncated]`. The input is never modified.
 */
export function redact(value: unknown): unknown {
  return walk(value, 0, new Set());
}

function walk(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  // only the current path counts, so a value shared by two branches is copied twice, not called circular
  ancestors.add(value);
  try {
    if (value instanceof Error) return redactError(value, depth, ancestors);
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, ancestors));
    if (value instanceof Set) return [...value].map((item) => walk(item, depth + 1, ancestors));
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function' && !(value instanceof Map)) {
      // what JSON.stringify would have written, redacted like anything else
      return walk(toJSON.call(value), depth + 1, ancestors);
    }
    const entries: Iterable<[unknown, unknown]> = value instanceof Map ? value.entries() : Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [rawKey, item] of entries) {
      const key = String(rawKey);
      if (isPersonalKey(key) && item !== undefined && item !== null) out[key] = REDACTED;
      // a stack passed as a string (`{ stack: error.stack }`) still starts with the message: keep its frames only
      else if (key === 'stack' && typeof item === 'string') out[key] = stackFrames(item);
      else out[key] = walk(item, depth + 1, ancestors);
    }
    return out;
  } catch {
    // a throwing getter or toJSON must not take the log line, or the request, down with it
    return '[unserialisable]';
  } finally {
    ancestors.delete(value);
  }
}
