/**
 * The last line of defence before a log line leaves the process: values of personal fields, and anything shaped like an
 * email, IP address, phone number, session token or JWT, become `[redacted]`. Code should never log such values in the
 * first place; this catches the mistake (an error message quoting its input, a header dumped while debugging).
 *
 * Ids survive: UUIDs, 64-hex pseudonyms and hashes, ISO timestamps, problem slugs and route ids do not match any pattern.
 */
export const REDACTED = '[redacted]';

/** Keys whose values are personal data or secrets, whatever they hold (compared lower-case, without - and _). */
const PERSONAL_KEYS = new Set(
  [
    'email', 'newEmail', 'displayName', 'givenName', 'familyName', 'phone', 'postalAddress', 'street', 'city', 'postalCode',
    'address', 'profile', 'password', 'currentPassword', 'newPassword', 'passwordHash', 'idToken', 'token', 'receiptToken',
    'authorization', 'cookie', 'setCookie', 'sourceIp', 'userAgent', 'ip', 'xForwardedFor', 'xRealIp', 'body', 'wrappedKey',
  ].map((k) => k.toLowerCase()),
);
const normaliseKey = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

const PATTERNS: readonly RegExp[] = [
  // JWTs first: their segments would otherwise be half-matched as tokens.
  /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  // IPv6: full form (six or more groups) or compressed (with ::), optionally ending in an IPv4 part.
  /(?:[0-9a-f]{1,4}:){5,7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?::?\d{1,3}(?:\.\d{1,3}){3})?/gi,
  /\b(?:\d{1,3}\.){3}\d{1,3}\b/g,
  // E.164-like phone numbers, with optional spaces or dashes.
  /\+\d[\d\s-]{6,17}\d/g,
  // Session tokens: exactly 43 base64url characters (256 bits).
  /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
];

export function redactString(value: string): string {
  let out = value;
  for (const pattern of PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

const MAX_DEPTH = 8;

/** The frames of a stack without its first line, which repeats the message (and so possibly the input that caused it). */
export function stackFrames(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return redactString(frames.join('\n'));
}

/** A redacted deep copy: personal keys lose their values, strings lose anything shaped like personal data. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return { name: value.name, stack: stackFrames(value.stack) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = PERSONAL_KEYS.has(normaliseKey(key)) ? REDACTED : redact(item, depth + 1, seen);
  }
  return out;
}
