/**
 * Field encryption under a subject's own data key: AES-256-GCM, a random 96-bit IV per value, and the subject id and
 * field name bound in as additional data, so a ciphertext moved to another subject or field fails to decrypt.
 * Destroying the subject's wrapped key (crypto-shredding) makes every copy of these values unreadable.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class UnreadableDataError extends Error {
  constructor() {
    super('Encrypted data cannot be read with this key');
    this.name = 'UnreadableDataError';
  }
}

function aad(subjectId: string, field: string): Buffer {
  return Buffer.from(`${subjectId}\u0000${field}`, 'utf8');
}

export function sealValue(key: Uint8Array, subjectId: string, field: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(subjectId, field));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), Buffer.concat([body, cipher.getAuthTag()]).toString('base64url')].join('.');
}

export function openValue<T = unknown>(key: Uint8Array, subjectId: string, field: string, sealed: string): T {
  const [version, iv, payload] = sealed.split('.');
  if (version !== VERSION || !iv || !payload) throw new UnreadableDataError();
  try {
    const bytes = Buffer.from(payload, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(subjectId, field));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plain = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  } catch {
    throw new UnreadableDataError();
  }
}
