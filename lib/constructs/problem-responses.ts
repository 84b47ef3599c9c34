import * as apigateway from 'aws-cdk-lib/aws-apigateway';

interface ProblemResponse {
  readonly type: apigateway.ResponseType;
  /** @default - the status API Gateway chose */
  readonly status?: number;
  readonly slug: string;
  /** A literal title, or a VTL expression that renders a JSON string (for the catch-all answers). */
  readonly title: string | { readonly vtl: string };
  readonly detail?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const T = apigateway.ResponseType;
const OURS = 'Something went wrong on our side; quote the instance id.';
function problem(
  type: apigateway.ResponseType,
  status: number | undefined,
  slug: string,
  title: ProblemResponse['title'],
  detail?: string,
  headers?: Record<string, string>,
): ProblemResponse {
  return { type, status, slug, title, detail, headers };
}

/**
 * Answers API Gateway gives by itself (before or instead of a function), as RFC 9457 problem documents in the same shape the
 * handlers use. None of them echo the request: API Gateway's validation messages can quote the values that failed, which may
 * be personal data, so they are not passed on.
 */
export const PROBLEM_RESPONSES: readonly ProblemResponse[] = [
  problem(T.BAD_REQUEST_BODY, 400, 'validation-failed', 'Validation failed', 'The request body does not match the schema.'),
  problem(T.BAD_REQUEST_PARAMETERS, 400, 'validation-failed', 'Validation failed', 'Required request parameters are missing.'),
  problem(T.UNAUTHORIZED, 401, 'unauthorized', 'Unauthorized', 'A valid session token is required.', { 'WWW-Authenticate': 'Bearer' }),
  problem(T.ACCESS_DENIED, 403, 'forbidden', 'Forbidden', 'You may not do this.'),
  problem(T.WAF_FILTERED, 403, 'forbidden', 'Forbidden', 'The request was blocked.'),
  // No resource or method matched (every known path has a fallback, so this is a backstop): a 404, not a 403.
  problem(T.MISSING_AUTHENTICATION_TOKEN, 404, 'not-found', 'Not found', 'No resource matches this path.'),
  problem(T.RESOURCE_NOT_FOUND, 404, 'not-found', 'Not found', 'No resource matches this path.'),
  problem(T.REQUEST_TOO_LARGE, 413, 'payload-too-large', 'Payload too large'),
  problem(T.UNSUPPORTED_MEDIA_TYPE, 415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as application/json.'),
  problem(T.THROTTLED, 429, 'too-many-requests', 'Too many requests', 'Slow down and retry later.'),
  problem(T.QUOTA_EXCEEDED, 429, 'too-many-requests', 'Too many requests', 'Slow down and retry later.'),
  problem(T.INTEGRATION_TIMEOUT, 504, 'timeout', 'Timeout', 'The request took too long; quote the instance id.'),
  problem(T.INTEGRATION_FAILURE, 502, 'internal-error', 'Internal error', OURS),
  problem(T.AUTHORIZER_FAILURE, 500, 'internal-error', 'Internal error', OURS),
  problem(T.AUTHORIZER_CONFIGURATION_ERROR, 500, 'internal-error', 'Internal error', OURS),
  // The 4xx catch-all keeps the status API Gateway picked, and its title is the gateway's own short message (never request
  // data); every 5xx not listed above is a configuration error, a 500.
  problem(T.DEFAULT_4XX, undefined, 'request-refused', { vtl: '$context.error.messageString' }),
  problem(T.DEFAULT_5XX, 500, 'internal-error', 'Internal error', OURS),
];

/** The VTL body of one problem answer; `$context.requestId` becomes the `instance`, as in the handlers' answers. */
export function problemTemplate(answer: ProblemResponse): string {
  const title = typeof answer.title === 'string' ? JSON.stringify(answer.title) : answer.title.vtl;
  const fields = [
    `"type":${JSON.stringify(`/problems/${answer.slug}`)}`,
    `"title":${title}`,
    ...(answer.status ? [`"status":${answer.status}`] : []),
    ...(answer.detail ? [`"detail":${JSON.stringify(answer.detail)}`] : []),
    `"instance":"$context.requestId"`,
  ];
  return `{${fields.join(',')}}`;
}

/**
 * Adds the problem+json gateway responses to an API. `allowOrigin` is the single CORS origin to echo, if any: gateway
 * responses cannot pick among several origins the way a function can.
 */
export function addProblemResponses(api: apigateway.RestApi, allowOrigin?: string): void {
  const quote = (value: string): string => `'${value}'`;
  for (const answer of PROBLEM_RESPONSES) {
    const headers: Record<string, string> = {
      'Content-Type': quote('application/problem+json'),
      'Cache-Control': quote('no-store'),
      'X-Content-Type-Options': quote('nosniff'),
      ...Object.fromEntries(Object.entries(answer.headers ?? {}).map(([k, v]) => [k, quote(v)])),
      ...(allowOrigin ? { 'Access-Control-Allow-Origin': quote(allowOrigin), Vary: quote('Origin') } : {}),
    };
    api.addGatewayResponse(`Problem${answer.type.responseType}`, {
      type: answer.type,
      statusCode: answer.status?.toString(),
      responseHeaders: headers,
      templates: { 'application/json': problemTemplate(answer) },
    });
  }
}
