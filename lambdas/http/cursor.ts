/**
 * Page cursors: the storage position of the next page, sealed so that only a cursor this API issued, for this caller, this
 * route and this query, is ever opened.
 *
 * A cursor is `base64url(format ‖ nonce ‖ AES-256-GCM(position, expiry) ‖ tag)`, with the binding (route id, caller, the
 * query's filters) as additional authenticated data. AES-GCM rather than a bare HMAC because positions are DynamoDB keys
 * that hold pseudonyms (`subject#<pseudonym>`, actor ids), and the subject's own view promises never to show one.
 * Opening checks, in order: shape and format byte (no key needed), then the tag (which covers the binding), then the
 * expiry, then the position against the route's zod schema, so even a correctly sealed but malformed position never
 * reaches a query. Every failure is the same 400 naming `query.cursor`, whatever the cause.
 *
 * Pure apart from the key, which the caller supplies (see `cursorKeyFrom`).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { ValidationError } from './problems';

/** First byte of every cursor; a new layout gets a new number, and cursors of another format are refused. */
export const CURSOR_FORMAT = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** A client pages through a result in minutes; a day leaves room and keeps old cursors from living forever. */
export const CURSOR_TTL_MS = 24 * 60 * 60 * 1000;

/** Query parameters that do not select what is listed, so a client may change them between pages. */
const NOT_FILTERS = new Set(['cursor', 'limit']);

/** The `cursor` query parameter of every paginated route. */
export const cursorParam = z.string().check(
  z.regex(/^[A-Za-z0-9_-]{1,2048}$/, 'Use the `next` value of the previous page'),
  z.describe('The `next` value of the previous page, unchanged, with the same filters; valid for 24 hours.'),
);

/** What a cursor is bound to: a cursor sealed under one binding does not open under any other. */
export interface CursorBinding {
  /** The route id. */
  readonly route: string;
  /** The caller's subject id (the admin's, on admin routes), or `public`. */
  readonly caller: string;
  /** The validated query; `cursor` and `limit` are left out, every other parameter must be the same on every page. */
  readonly query: Readonly<Record<string, unknown>>;
}

export const INVALID_CURSOR = 'Not a cursor this API issued for this caller and query; start again without it';

function invalidCursor(): ValidationError {
  return new ValidationError([{ path: 'query.cursor', message: INVALID_CURSOR }]);
}

/** The binding as bytes: keys sorted, absent parameters dropped, so the same query always gives the same bytes. */
function associatedData(binding: CursorBinding): Buffer {
  const filters = Object.entries(binding.query)
    .filter(([name, value]) => !NOT_FILTERS.has(name) && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify([`fmn/cursor/v${CURSOR_FORMAT}`, binding.route, binding.caller, filters]), 'utf8');
}

const sealedBody = z.strictObject({ p: z.unknown(), exp: z.int() });

export class CursorSealer {
  /**
   * @param key resolves to the 32-byte AES key; called on every seal and open, so it should cache (see `cursorKeyFrom`).
   * @param now the clock, for the expiry.
   */
  constructor(
    private readonly key: () => Promise<Uint8Array>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cursor for a position, or undefined when there is no next page. */
  async seal(position: unknown, binding: CursorBinding): Promise<string | undefined> {
    if (position === undefined) return undefined;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', await this.key(), nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(binding));
    const plain = Buffer.from(JSON.stringify({ p: position, exp: this.now() + CURSOR_TTL_MS }), 'utf8');
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.of(CURSOR_FORMAT), nonce, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** The position a cursor carries, checked against `schema`; a 400 validation problem for anything else. */
  async open<T>(raw: string | undefined, binding: CursorBinding, schema: z.ZodMiniType<T>): Promise<T | undefined> {
    if (raw === undefined) return undefined;
    const bytes = /^[A-Za-z0-9_-]+$/.test(raw) ? Buffer.from(raw, 'base64url') : Buffer.alloc(0);
    // a format byte, a nonce, at least one byte of payload and a tag; checked before the key is ever asked for
    if (bytes.length < 1 + NONCE_BYTES + 1 + TAG_BYTES || bytes[0] !== CURSOR_FORMAT) throw invalidCursor();
    const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
    const sealed = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', await this.key(), nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(binding));
      decipher.setAuthTag(tag);
      // final() compares the tag in constant time and throws on any difference
      plain = Buffer.concat([decipher.update(sealed), decipher.final()]);
    } catch {
      throw invalidCursor();
    }
    let body: z.infer<typeof sealedBody>;
    try {
      body = sealedBody.parse(JSON.parse(plain.toString('utf8')));
    } catch {
      throw invalidCursor();
    }
    if (body.exp < this.now()) throw invalidCursor();
    const position = schema.safeParse(body.p);
    if (!position.success) throw invalidCursor();
    return position.data;
  }
}

/**
 * The cursor key, derived once from a key the functions already hold: the HMAC of a fixed label under the KMS HMAC key used
 * for pseudonyms (every route that touches personal data is granted GenerateMac on it). Lazy, so a route that never pages
 * never asks; cached for the container's life, so only the first cursor of a cold start costs a KMS call; a failed
 * derivation is not cached, so the next request tries again.
 */
export function cursorKeyFrom(macs: { mac(purpose: string, value: string): Promise<string> }): () => Promise<Uint8Array> {
  let pending: Promise<Uint8Array> | undefined;
  return () => {
    pending ??= macs.mac('cursor-key', `fmn/cursor/v${CURSOR_FORMAT}`).then(
      (mac) => Buffer.from(mac, 'base64url'),
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}
