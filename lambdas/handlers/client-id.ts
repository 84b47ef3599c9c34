import { NO_CLIENT_ID } from '../client-ids';

/**
 * The app a decision came through. `httpRoute` has already refused any `X-Client-Id` the deployment does not declare
 * (400), so what reaches the ledger is a declared app id, or `unknown` when the header is absent: never free text.
 */
export function clientIdOf(headers: { readonly 'x-client-id': string | undefined }): string {
  return headers['x-client-id'] ?? NO_CLIENT_ID;
}
