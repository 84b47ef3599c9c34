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

let sessionEnded: ((problem: Problem) => void) | undefined;

/** Called once when the API stops accepting the session (expired, signed out elsewhere, revoked by another admin). */
export function onSessionEnded(listener: ((problem: Problem) => void) | undefined): void {
  sessionEnded = listener;
}

/**
 * A 401 to a call that carried the session means the session is over: the page drops the token and goes back to sign-in
 * with the reason, instead of leaving the officer on a screen whose every action fails. Refusals of a wrong password or
 * code at re-authentication are 403s, so they do not end the session here.
 */
const endOnUnauthorized: Middleware = {
  async onResponse({ request, response }) {
    if (response.status !== 401 || !sessionToken || !request.headers.has('authorization')) return response;
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    sessionToken = undefined;
    sessionEnded?.(problemOf(body, response));
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' });
api.use(bearer, endOnUnauthorized);

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
