import type { IssuedSession } from '../domain/accounts';
import { deviceLabel } from '../domain/device-label';

/** Epoch seconds → ISO times for the API. */
export function issuedSessionView(session: IssuedSession) {
  return {
    token: session.token,
    expiresAt: new Date(session.expiresAt * 1000).toISOString(),
    idleExpiresAt: new Date(session.idleExpiresAt * 1000).toISOString(),
  };
}

/** The coarse label only; the user agent itself (a declared header of the login routes) goes no further than this function. */
export function deviceLabelOf(headers: { readonly 'user-agent': string | undefined }): string {
  return deviceLabel(headers['user-agent']);
}
