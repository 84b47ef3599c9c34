/**
 * The per-environment key of the pseudonymiser: HMAC-SHA256, at least 32 bytes, from a key file or an environment variable.
 * There is deliberately no default key: a key anyone could know would let them recompute every pseudonym from a guess.
 */
import { readFile } from 'node:fs/promises';
import { OpsInputError } from './errors';

/** The environment variable the CLI reads when no key file is given. */
export const PSEUDONYMIZE_KEY_ENV = 'FMN_PSEUDONYMIZE_KEY';

export const MIN_KEY_BYTES = 32;

/**
 * A key as text: hex (64+ digits) or base64/base64url (43+ characters); anything else in a file is taken as raw bytes.
 * Surrounding whitespace (a trailing newline from `openssl rand -hex 32 > key`) is ignored.
 */
export function parsePseudonymKey(raw: Buffer | string, source: string): Buffer {
  const text = (typeof raw === 'string' ? raw : raw.toString('latin1')).trim();
  let key: Buffer;
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  else if (typeof raw !== 'string') key = raw;
  else throw new OpsInputError(`${source}: the key must be hex or base64`);
  if (key.length < MIN_KEY_BYTES) throw new OpsInputError(`${source}: the key must have at least ${MIN_KEY_BYTES} bytes (got ${key.length})`);
  return key;
}

/** Exactly one of a key file or the environment variable; neither (or both) is an error, never a fallback. */
export async function loadPseudonymKey(options: { keyFile?: string; env?: NodeJS.ProcessEnv }): Promise<Buffer> {
  const fromEnv = options.env?.[PSEUDONYMIZE_KEY_ENV];
  if (options.keyFile && fromEnv) throw new OpsInputError(`give the key either as a key file or in ${PSEUDONYMIZE_KEY_ENV}, not both`);
  if (options.keyFile) {
    const bytes = await readFile(options.keyFile).catch(() => {
      throw new OpsInputError(`cannot read key file ${options.keyFile}`);
    });
    return parsePseudonymKey(bytes, options.keyFile);
  }
  if (fromEnv) return parsePseudonymKey(fromEnv, PSEUDONYMIZE_KEY_ENV);
  throw new OpsInputError(`a pseudonymisation key is required: --key-file <path> or ${PSEUDONYMIZE_KEY_ENV} (there is no default key)`);
}
