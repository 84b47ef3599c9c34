/**
 * Errors that become HTTP problem answers (RFC 9457). The HTTP layer throws these; the domain throws its own plain errors
 * (`domain/errors.ts`), which `problemOf` maps here, in one table. Messages are written for the client and must never
 * contain personal data or the input that failed.
 */
import type { DomainError, DomainErrorCode, DomainErrorFacts } from '../domain/errors';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    /** Short slug; the problem type URI is `/problems/<slug>`. */
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly extras: {
      errors?: readonly FieldError[];
      headers?: Record<string, string>;
      /** RFC 9457 extension members: ids and codes only, never personal values. */
      extensions?: Record<string, string | number | boolean>;
    } = {},
  ) {
    super(detail ?? title);
    this.name = new.target.name;
  }
}

export class NotFoundError extends ProblemError {
  constructor(detail = 'No resource matches this path.') {
    super(404, 'not-found', 'Not found', detail);
  }
}

export class MethodNotAllowedError extends ProblemError {
  constructor(allowed: readonly string[]) {
    super(405, 'method-not-allowed', 'Method not allowed', `This path accepts ${allowed.join(', ')}.`, {
      headers: { allow: allowed.join(', ') },
    });
  }
}

export class MalformedJsonError extends ProblemError {
  constructor() {
    super(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON.');
  }
}

export class ValidationError extends ProblemError {
  constructor(errors: readonly FieldError[], detail = 'The request does not match the schema.') {
    super(400, 'validation-failed', 'Validation failed', detail, { errors });
  }
}

export class PayloadTooLargeError extends ProblemError {
  constructor(limitBytes: number) {
    super(413, 'payload-too-large', 'Payload too large', `Request bodies are limited to ${limitBytes} bytes.`);
  }
}

export class UnsupportedMediaTypeError extends ProblemError {
  constructor() {
    super(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as application/json.');
  }
}

export class UnauthorizedError extends ProblemError {
  constructor(detail = 'A valid session token is required.') {
    super(401, 'unauthorized', 'Unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } });
  }
}

export class ForbiddenError extends ProblemError {
  constructor(detail = 'You may not do this.') {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class ConflictError extends ProblemError {
  constructor(detail: string) {
    super(409, 'conflict', 'Conflict', detail);
  }
}

type ProblemParts = ConstructorParameters<typeof ProblemError>;

/** The problem document of each domain error code: every status, slug, title, detail and header a client sees. */
const DOMAIN_PROBLEMS: { readonly [C in DomainErrorCode]: (facts: DomainErrorFacts[C]) => ProblemParts } = {
  'email-unverified': () => [
    422,
    'email-unverified',
    'Email not verified',
    'The identity provider has not verified this email address. Verify it with the provider, or register with email and password.',
  ],
  'email-required': () => [422, 'email-required', 'Email required', 'The identity provider did not share an email address.'],
  'email-taken': () => [409, 'email-taken', 'Email already registered', 'An account with this email already exists.'],
  'invalid-credentials': () => [401, 'invalid-credentials', 'Invalid credentials', 'The email or password is incorrect.'],
  'too-many-attempts': ({ retryAfterSeconds }) => [
    429,
    'too-many-attempts',
    'Too many attempts',
    'Too many failed logins; try again later.',
    { headers: { 'retry-after': String(retryAfterSeconds) } },
  ],
  'current-password-required': () => [
    403,
    'current-password-required',
    'Current password required',
    'Changing the email or password requires the current password.',
  ],
  'recent-login-required': ({ withinSeconds }) => [
    403,
    'recent-login-required',
    'Recent login required',
    `This account has no password: log in again with your identity provider, then change the email or password within ${withinSeconds / 60} minutes.`,
  ],
  'reauthentication-required': ({ withinSeconds }) => [
    403,
    'reauthentication-required',
    'Confirm it is you',
    `This action needs your password and authenticator code again: confirm them (POST /v1/sessions/current/reauthentication), then retry within ${withinSeconds / 60} minutes.`,
  ],
  'reauthentication-failed': () => [
    403,
    'reauthentication-failed',
    'Not confirmed',
    'The password or the authenticator code is incorrect.',
  ],
  'session-ended': () => [401, 'session-ended', 'Session ended', 'This session has ended; sign in again.'],
  'profile-erased': () => [410, 'profile-erased', 'Profile no longer available', 'This account\u2019s data has been erased.'],
  'account-changed': () => [409, 'concurrent-update', 'Concurrent update', 'The account changed while this request ran; read it again and retry.'],
  'consent-required': ({ purpose, reason }) => [
    403,
    'consent-required',
    'Consent required',
    {
      'not-granted': `This needs your consent to "${purpose}".`,
      'needs-reconsent': `The policy for "${purpose}" changed; consent again to continue.`,
      expired: `Your consent to "${purpose}" has lapsed; consent again to continue.`,
      objected: `You objected to processing for "${purpose}".`,
      restricted: 'You restricted the processing of your data; lift the restriction to continue.',
    }[reason],
    { extensions: { purpose, reason } },
  ],
  'wrong-lawful-basis': ({ purpose, expected }) => [
    409,
    'wrong-lawful-basis',
    'Not possible for this purpose',
    expected === 'consent'
      ? `"${purpose}" is not based on consent, so there is nothing to grant or withdraw.`
      : `"${purpose}" is not based on legitimate interest, so there is nothing to object to.`,
  ],
  'consent-changed': () => [409, 'concurrent-update', 'Concurrent update', 'Your consent changed while this request ran; read it again and retry.'],
  'already-extended': () => [409, 'already-extended', 'Already extended', 'The deadline of a request can be extended only once.'],
  'extension-too-late': () => [
    409,
    'extension-too-late',
    'Too late to extend',
    'A deadline can be extended only within the first month after receipt (Art. 12(3)).',
  ],
  'subject-not-found': () => [404, 'subject-not-found', 'Subject not found', 'No account matches.'],
  'reverification-required': ({ minutes }) => [
    403,
    'reverification-required',
    'Confirm it is you',
    `Exports and erasure need a login within the last ${minutes} minutes, or your password in the request.`,
  ],
  'consent-decision-not-found': () => [404, 'consent-decision-not-found', 'No decision recorded', 'The subject has made no decision on this purpose.'],
  'request-not-found': () => [404, 'request-not-found', 'Request not found', 'No request with this id is yours.'],
  'invalid-transition': ({ from, to }) => [409, 'invalid-transition', 'Not possible in this state', `A request that is ${from} cannot become ${to}.`],
  'request-open': () => [409, 'request-open', 'Request already open', 'A request of this type is already open; follow it instead.'],
  'export-not-ready': () => [
    409,
    'export-not-ready',
    'Export not ready',
    'The export is not ready yet; follow the request until it is completed.',
  ],
  // Why an ack is refused is not said: a caller guessing at signatures learns nothing from the answer.
  'ack-unauthenticated': () => [
    401,
    'ack-unauthenticated',
    'Unauthenticated',
    'The ack must carry a valid Standard Webhooks signature of this recipient, a timestamp within 5 minutes, and a webhook-id not used before.',
  ],
  'ack-forbidden': () => [403, 'ack-forbidden', 'Forbidden', 'This message was not sent to this recipient.'],
  'recipient-not-found': () => [404, 'recipient-not-found', 'Recipient not found', 'No recipient is declared with this id.'],
  'export-part-missing': ({ upload }) => [
    409,
    'export-part-missing',
    'Export part missing',
    'Upload the export part with the presigned PUT in uploadUrl (JSON, before uploadExpiresAt), then send the ack again.',
    { extensions: { uploadUrl: upload.url, uploadMethod: upload.method, uploadExpiresAt: upload.expiresAt } },
  ],
  'recipients-not-overdue': ({ recipients }) => [
    409,
    'recipients-not-overdue',
    'Recipients still within their deadline',
    `The request waits for ${recipients.join(', ')}: it can be completed without them only after their deadline (answerBy).`,
    { extensions: { recipients: recipients.join(',') } },
  ],
  // The same answer as a schema failure of the query: the range is part of the input, and clients already handle it.
  'audit-search-range': ({ reason, maxDays }) => [
    400,
    'validation-failed',
    'Validation failed',
    'The request does not match the schema.',
    {
      errors: [
        { path: 'query.from', message: reason === 'backwards' ? 'from is after to' : `Without a subject or actor, search at most ${maxDays} days` },
      ],
    },
  ],
  'audit-export-too-large': ({ maxEntries }) => [
    422,
    'export-too-large',
    'Too many entries for one export',
    `One export holds at most ${maxEntries} entries; narrow the time range and export in parts.`,
  ],
  'incident-not-found': () => [404, 'incident-not-found', 'Incident not found', 'No incident with this id.'],
  'incident-changed': () => [409, 'concurrent-update', 'Concurrent update', 'The incident changed while this request ran; read it again and retry.'],
  'incident-closed': () => [409, 'incident-closed', 'Incident closed', 'A closed incident can only be reopened (status open).'],
  // The field is named, never its text: the text is what must not be repeated anywhere.
  'personal-data-in-text': ({ field }) => [
    422,
    'personal-data-in-text',
    'Text looks like contact details',
    'Incident records hold no personal data beyond pseudonyms: remove the email address or phone number from this field.',
    { errors: [{ path: `body.${field}`, message: 'looks like an email address or a phone number' }] },
  ],
  'late-notice-reasons-required': ({ deadline }) => [
    422,
    'late-notice-reasons-required',
    'Reasons for the delay required',
    `The authority was notified after the 72 hours (deadline ${deadline}): Art. 33(1) asks for the reasons for the delay (authorityNotice.delayReasons).`,
    { errors: [{ path: 'body.authorityNotice.delayReasons', message: 'required when notifying after the deadline' }] },
  ],
  'incident-times': ({ field, rule }) => [
    422,
    'incident-times',
    'Impossible times',
    `${field} is ${rule}.`,
    { errors: [{ path: `body.${field}`, message: rule }] },
  ],
};

/** The problem answer of a domain error. */
export function problemOf(error: DomainError): ProblemError {
  const parts = (DOMAIN_PROBLEMS[error.code] as (facts: unknown) => ProblemParts)(error.facts);
  return new ProblemError(...parts);
}
