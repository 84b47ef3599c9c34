/**
 * Typed reads of a KMS request body. The emulator faces arbitrary clients, so every member is checked before use:
 * a wrong JSON type is a SerializationException (as the real service reports it), a value outside the API's
 * constraints is a ValidationException. Nothing here throws anything but KmsError.
 */
import { KmsError, validationError } from './errors';

/** Strict base64: `Buffer.from(x, 'base64')` silently skips junk, which would hide a client bug. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

interface LengthBounds {
  readonly min?: number;
  readonly max?: number;
}

/** KMS names members lowerCamel in validation messages ('keyId'), whatever their wire casing. */
function memberName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function checkLength(name: string, length: number, { min, max }: LengthBounds): void {
  if (min !== undefined && length < min) {
    throw validationError(memberName(name), `Member must have length greater than or equal to ${min}`);
  }
  if (max !== undefined && length > max) {
    throw validationError(memberName(name), `Member must have length less than or equal to ${max}`);
  }
}

function wrongType(name: string, expected: string): KmsError {
  return new KmsError('SerializationException', `'${name}' must be ${expected}`);
}

/** One request's members, read on demand by the operation that knows their shapes. */
export class RequestInput {
  constructor(private readonly body: Readonly<Record<string, unknown>>) {}

  /** True if the client sent the member with a non-null value. */
  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  optionalString(name: string, bounds: LengthBounds = {}): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw wrongType(name, 'a string');
    checkLength(name, value.length, bounds);
    return value;
  }

  string(name: string, bounds: LengthBounds = {}): string {
    const value = this.optionalString(name, bounds);
    if (value === undefined) throw validationError(memberName(name), 'Member must not be null');
    return value;
  }

  optionalEnum<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      throw validationError(memberName(name), `Member must satisfy enum value set: [${values.join(', ')}]`);
    }
    return value as T;
  }

  enum<T extends string>(name: string, values: readonly T[]): T {
    const value = this.optionalEnum(name, values);
    if (value === undefined) throw validationError(memberName(name), 'Member must not be null');
    return value;
  }

  optionalInteger(name: string, range: { min?: number; max?: number } = {}): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(name, 'an integer');
    if (range.min !== undefined && value < range.min) {
      throw validationError(memberName(name), `Member must have value greater than or equal to ${range.min}`);
    }
    if (range.max !== undefined && value > range.max) {
      throw validationError(memberName(name), `Member must have value less than or equal to ${range.max}`);
    }
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw wrongType(name, 'a boolean');
    return value;
  }

  /** A blob member: base64 on the wire, bounds in decoded bytes as in the API reference. */
  optionalBlob(name: string, bounds: LengthBounds = {}): Buffer | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) {
      throw wrongType(name, 'a base64-encoded blob');
    }
    const bytes = Buffer.from(value, 'base64');
    checkLength(name, bytes.length, bounds);
    return bytes;
  }

  blob(name: string, bounds: LengthBounds = {}): Buffer {
    const value = this.optionalBlob(name, bounds);
    if (value === undefined) throw validationError(memberName(name), 'Member must not be null');
    return value;
  }

  /** An EncryptionContext-shaped member: a map of string to string. Absent and `{}` mean the same, as in KMS. */
  encryptionContext(name: string): Record<string, string> {
    const value = this.body[name];
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(name, 'a map of string to string');
    const context: Record<string, string> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (typeof entry !== 'string') throw wrongType(`${name}.${key}`, 'a string');
      context[key] = entry;
    }
    return context;
  }

  /** A list of `{ TagKey, TagValue }`, as CreateKey takes it. */
  tags(name: string): Array<{ TagKey: string; TagValue: string }> {
    const value = this.body[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw wrongType(name, 'a list of tags');
    const tags = value.map((tag: unknown, index) => {
      if (typeof tag !== 'object' || tag === null || Array.isArray(tag)) throw wrongType(`${name}[${index}]`, 'a tag');
      const entry = new RequestInput(tag as Record<string, unknown>);
      return { TagKey: entry.string('TagKey', { min: 1, max: 128 }), TagValue: entry.string('TagValue', { min: 0, max: 256 }) };
    });
    const seen = new Set<string>();
    for (const { TagKey } of tags) {
      if (seen.has(TagKey)) throw new KmsError('TagException', `Duplicate tag key '${TagKey}'`);
      seen.add(TagKey);
    }
    return tags;
  }
}
