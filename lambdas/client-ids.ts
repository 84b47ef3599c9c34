/**
 * The API clients a deployment declares (`X-Client-Id`). The consent ledger records the client each decision came through
 * and keeps it after erasure as proof, so the value must name an app, never a person: only ids from this declared list
 * are accepted, and anything else is refused with 400 before a handler runs. A per-user value cannot reach the ledger.
 *
 * Declared per stage with `-c clientIds=web,ios,android` (lib/config.ts), passed to the functions that read the header as
 * CLIENT_IDS. Pure data and zod/mini: the route table, the CDK app and the handlers import it.
 */
import * as z from 'zod/mini';

/** A short lower-case app name: letters, digits and hyphens, at most 32 characters. */
export const CLIENT_ID_FORMAT = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** Used when the deployment declares none (and by the local cloud). */
export const DEFAULT_CLIENT_IDS: readonly string[] = ['web', 'ios', 'android'];

/** Recorded when a request sends no `X-Client-Id` at all: a fixed word, not a client the caller chose. */
export const NO_CLIENT_ID = 'unknown';

/** Parses a comma-separated list (`web,ios,android`); throws, naming `source`, on an empty list or a malformed id. */
export function parseClientIds(raw: string | readonly string[], source: string): string[] {
  const ids = (typeof raw === 'string' ? raw.split(',') : [...raw]).map((s) => String(s).trim()).filter(Boolean);
  if (ids.length === 0) throw new Error(`${source} must list at least one client id`);
  for (const id of ids) {
    if (!CLIENT_ID_FORMAT.test(id) || id === NO_CLIENT_ID) {
      throw new Error(`${source}: "${id}" is not a client id (1-32 of a-z, 0-9 and -, not "${NO_CLIENT_ID}")`);
    }
  }
  return [...new Set(ids)];
}

let cache: { readonly raw: string | undefined; readonly ids: readonly string[] } | undefined;

/** CLIENT_IDS from the environment, or the default; parsed once per value. A malformed value throws (a deployment error). */
export function declaredClientIds(): readonly string[] {
  const raw = process.env.CLIENT_IDS;
  if (!cache || cache.raw !== raw) cache = { raw, ids: raw ? parseClientIds(raw, 'CLIENT_IDS') : DEFAULT_CLIENT_IDS };
  return cache.ids;
}

/** The header's value: one of the declared client ids. The format is what the OpenAPI document shows. */
export const clientIdHeader = z.string().check(
  z.regex(CLIENT_ID_FORMAT, { abort: true }),
  z.refine((id) => declaredClientIds().includes(id), { message: 'Not a client id this deployment declares' }),
  z.describe('The app the request comes from, one of the ids the deployment declares (default: web, ios, android).'),
);
