import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { IssuedSession } from '../domain/accounts';
import { deviceLabel } from '../domain/device-label';
import { headerOf } from '../shared/http';

/** Epoch seconds → ISO times for the API. */
export function issuedSessionView(session: IssuedSession) {
  return {
    token: session.token,
    expiresAt: new Date(session.expiresAt * 1000).toISOString(),
    idleExpiresAt: new Date(session.idleExpiresAt * 1000).toISOString(),
  };
}

/** The coarse label only; the user agent itself goes no further than this function. */
export function deviceLabelOf(event: APIGatewayProxyEvent): string {
  return deviceLabel(headerOf(event, 'user-agent'));
}
