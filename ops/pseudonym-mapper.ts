/**
 * Deterministic, format-preserving pseudonyms under one key (HMAC-SHA256).
 *
 * A pseudonym depends only on the value and the key, never on the table or field it sits in: the same subject id in users,
 * sessions and consent, or the same blind index in `users.emailIndex` and in `identities.identityKey` (`email#<index>`), maps
 * to the same pseudonym, so joins still hold. Another key gives unrelated pseudonyms. The shape is kept where code or people
 * rely on it: UUIDs stay UUIDs, emails stay valid (undeliverable) emails, hex and base64url keep their alphabet and length,
 * `prefix#rest` and `prefix:rest` keep their prefix, and dates stay dates in the same year.
 */
import { createHmac } from 'node:crypto';

/** The domain every synthetic email lives in: reserved (RFC 2606), so nothing is ever delivered. */
export const PSEUDONYM_EMAIL_DOMAIN = 'example.invalid';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/**
 * The prefixes of compound keys in this backend's tables (`email#<index>`, `subject:<pseudonym>`, `erased#<pseudonym>`…).
 * Only these are kept: a `word:` at the start of some other value could be part of the personal data itself.
 */
export const KEY_PREFIXES = ['email', 'oidc', 'account', 'client', 'subject', 'erased'] as const;
const COMPOUND = new RegExp(`^(${KEY_PREFIXES.join('|')})([#:])(.+)$`, 's');
const DATE = /^(\d{4})-\d{2}-\d{2}$/;
const TIMESTAMP = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DIGITS = /^(\+?)(\d+)$/;
const HEX_LOWER = /^[0-9a-f]{8,}$/;
const HEX_UPPER = /^[0-9A-F]{8,}$/;
const BASE64URL = /^([A-Za-z0-9_-]{16,})(={0,2})$/;
const BASE64 = /^([A-Za-z0-9+/]{16,})(={0,2})$/;

const B64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Values that name the service itself, not a person: the audit trail's `system` chain and `system:<origin>` actors, and
 * the partitions of the consent figures' counters (`stats#07`, domain/consent-stats.ts), which count, and name no one.
 */
function namesNoOne(value: string): boolean {
  return value === 'system' || value.startsWith('system:') || /^stats#\d+$/.test(value);
}

export class PseudonymMapper {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('pseudonym key too short');
  }

  /** `length` pseudo-random bytes for a message: HMAC-SHA256 blocks in counter mode, so any length is possible. */
  bytes(message: string, length = 32): Buffer {
    const blocks: Buffer[] = [];
    for (let i = 0; blocks.length * 32 < length; i++) {
      blocks.push(createHmac('sha256', this.key).update(`fmn-pseudonym:v1:${i}:${message}`, 'utf8').digest());
    }
    return Buffer.concat(blocks).subarray(0, length);
  }

  hex(message: string, length: number): string {
    return this.bytes(message, Math.ceil(length / 2)).toString('hex').slice(0, length);
  }

  /** The pseudonym of a string value, same shape as the original. */
  string(value: string): string {
    if (value === '' || namesNoOne(value)) return value;
    const compound = COMPOUND.exec(value);
    // `email#<index>`, `subject#<pseudonym>`, `subject:<pseudonym>`: the prefix says what the rest is, and names no one.
    if (compound && !EMAIL.test(value)) return `${compound[1]}${compound[2]}${this.string(compound[3]!)}`;
    if (UUID.test(value)) return this.uuid(value);
    if (EMAIL.test(value)) return `p-${this.hex(`email:${value.toLowerCase()}`, 20)}@${PSEUDONYM_EMAIL_DOMAIN}`;
    const date = DATE.exec(value);
    if (date) return this.dateInYear(value, Number(date[1])).slice(0, 10);
    const timestamp = TIMESTAMP.exec(value);
    if (timestamp) {
      const iso = this.dateInYear(value, Number(timestamp[1]));
      return timestamp[2] ? iso : `${iso.slice(0, 19)}Z`;
    }
    const digits = DIGITS.exec(value);
    if (digits) return digits[1] + this.digits(value, digits[2]!.length);
    if (HEX_LOWER.test(value)) return this.hex(value, value.length);
    if (HEX_UPPER.test(value)) return this.hex(value, value.length).toUpperCase();
    const b64url = BASE64URL.exec(value);
    if (b64url) return this.alphabet(value, b64url[1]!.length, B64URL_ALPHABET) + b64url[2];
    const b64 = BASE64.exec(value);
    if (b64) return this.alphabet(value, b64[1]!.length, B64_ALPHABET) + b64[2];
    // Free text (a device label, a name): a short readable token; the original's length is not kept, it could identify.
    return `p-${this.hex(`text:${value}`, 16)}`;
  }

  /** A number with as many digits (and the same sign); integers stay integers. */
  number(value: number): number {
    if (!Number.isFinite(value)) return value;
    const text = String(Math.abs(value)).replace('.', '');
    const mapped = Number(this.digits(String(value), Math.min(text.length, 15)));
    return value < 0 ? -mapped : mapped;
  }

  /** A DynamoDB number string, mapped like `number` but without going through a float. */
  numberText(value: string): string {
    const negative = value.startsWith('-');
    const length = value.replace(/[^0-9]/g, '').length || 1;
    return (negative ? '-' : '') + this.digits(value, length);
  }

  /** Pseudonymous bytes of the same length. */
  binary(value: Uint8Array): Uint8Array {
    return new Uint8Array(this.bytes(`binary:${Buffer.from(value).toString('base64')}`, value.length));
  }

  /** A keyed choice among options, for values from a fixed set (a decision, a flag): the original does not matter. */
  choose<T>(context: string, options: readonly T[]): T {
    return options[this.bytes(`choice:${context}`, 4).readUInt32BE(0) % options.length]!;
  }

  private uuid(value: string): string {
    const b = this.bytes(`uuid:${value.toLowerCase()}`, 16);
    b[6] = (b[6]! & 0x0f) | 0x40; // version 4
    b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
    const h = b.toString('hex');
    const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    return value === value.toUpperCase() ? uuid.toUpperCase() : uuid;
  }

  private digits(message: string, length: number): string {
    const bytes = this.bytes(`digits:${message}`, length);
    let out = '';
    for (let i = 0; i < length; i++) out += String(bytes[i]! % 10);
    // No leading zero on a multi-digit number, so it reads as the same kind of number.
    return length > 1 && out[0] === '0' ? `${1 + (bytes[0]! % 9)}${out.slice(1)}` : out;
  }

  private alphabet(message: string, length: number, alphabet: string): string {
    const bytes = this.bytes(`alphabet:${message}`, length);
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[bytes[i]! & 63];
    return out;
  }

  /** A moment in the same calendar year (keeps a rough age or era), chosen by the key. */
  private dateInYear(value: string, year: number): string {
    const start = Date.UTC(year, 0, 1);
    const span = Date.UTC(year + 1, 0, 1) - start;
    const offset = Number(this.bytes(`date:${value}`, 6).readUIntBE(0, 6) % span);
    return new Date(start + offset).toISOString();
  }
}
