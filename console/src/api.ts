/**
 * The console's one way to the API: openapi-fetch over the types generated from docs/openapi.json, on the page's own
 * origin (the API and the console share it, so there is no CORS). The session token lives in this module's memory only:
 * never in localStorage, sessionStorage or a cookie, so closing or reloading the tab signs the officer out.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './api-schema';

export type Problem = components['schemas']['Problem'];
export type AdminRequest = components['schemas']['AdminRightsRequest'];
export type InboxRequest = components['schemas']['AdminRightsRequestListItem'];
export type AuditEntry = components['schemas']['AuditEntry'];

let sessionToken: string | undefined;

export function setSessionToken(token: string | undefined): void {
  sessionToken = token;
}

export function hasSession(): boolean {
  return sessionToken !== undefined;
}

const bearer: Middleware = {
  onRequest({ request }) {
    if (sessionToken) request.headers.set('authorization', `Bearer ${sessionToken}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' });
api.use(bearer);

/** A problem document from any failed call, or one made up when the answer was not one (network down, proxy error). */
export function problemOf(error: unknown, response: Response | undefined): Problem {
  if (error && typeof error === 'object' && 'title' in error && 'status' in error) return error as Problem;
  return {
    type: 'about:blank',
    title: response ? `Request failed (${response.status})` : 'The API could not be reached',
    status: response?.status ?? 0,
    detail: response ? undefined : 'Check the connection and try again.',
  };
}
