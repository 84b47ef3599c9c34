/**
 * The console's security headers, one declaration for both places that serve it: the local server (`npm start`) and the
 * CloudFront response headers policy (lib/constructs/console-site.ts). The console is the page from which an officer can
 * read everyone's audit trail, so the policy allows nothing it does not use: scripts, styles and API calls from its own
 * origin only, no inline script or style, no framing.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Two years, subdomains included: the browser never tries the console over plain HTTP again. */
export const CONSOLE_HSTS_SECONDS = 63_072_000;

/** The headers every console answer carries (HSTS only over HTTPS: on the local server it would pin 127.0.0.1). */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Where the console lives on the API's origin. */
export const CONSOLE_PATH = '/console/';
