import type { APIGatewayProxyEvent } from 'aws-lambda';

/** The app a decision came through (`X-Client-Id`, a short token); never an IP address or user agent. */
export function clientIdOf(event: APIGatewayProxyEvent): string {
  const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-client-id')?.[1];
  return header && /^[a-z0-9][a-z0-9._-]{0,39}$/i.test(header) ? header : 'unknown';
}
