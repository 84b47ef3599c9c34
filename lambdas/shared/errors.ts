/**
 * Errors that become HTTP problem answers (RFC 9457). Domain code throws these (or its own subclasses); one middleware maps
 * them to status codes. Messages are written for the client and must never contain personal data or the input that failed.
 */
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
