/**
 * What the real `logger` writes, captured at the process edge. Powertools prints through its own `Console` over
 * process.stdout/stderr (or the global console with POWERTOOLS_DEV), so all four are captured; the unit setup silences the
 * logger, so each test loads a fresh copy with DEBUG.
 */
import type { logger as Logger } from '../../lambdas/runtime/logger';

const canaries = {
  email: 'ada.lovelace@example.org',
  ipv4: '203.0.113.77',
  ipv6: '2001:db8::c0:ffee',
  phone: '+44 7700 900123',
  token: 'U1w9YdsgxxkGDvK_kvEXHVecW6SjuhBXz5jTQ55MOPo',
  jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl',
  displayName: 'Ada Lovelace',
  street: '12 St James Square',
  city: 'Marylebone',
  password: 'correct horse battery staple',
};

const ids = {
  uuid: '539b44e4-4b1f-4b12-b0cb-01ff98f151b7',
  hash: 'a3f1c9e0b2d4f6a8c0e2a4b6d8f0a2c4e6a8b0d2f4a6c8e0a2b4d6f8a0c2e4f6',
  timestamp: '2026-11-28T23:05:17.000Z',
  slug: '/problems/consent-required',
  route: 'route:adminAudit',
};

/** Loads a fresh logger at DEBUG, runs `act` with it, and returns the parsed JSON lines it wrote. */
function capture(act: (logger: typeof Logger) => void): Record<string, unknown>[] {
  const written: string[] = [];
  const sink = (chunk: string | Uint8Array) => (written.push(String(chunk)), true);
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(sink),
    jest.spyOn(process.stderr, 'write').mockImplementation(sink),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))),
    ),
  ];
  const previous = process.env.POWERTOOLS_LOG_LEVEL;
  try {
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    jest.isolateModules(() => {
      const { logger } = jest.requireActual<typeof import('../../lambdas/runtime/logger')>('../../lambdas/runtime/logger');
      act(logger);
    });
  } finally {
    process.env.POWERTOOLS_LOG_LEVEL = previous;
    for (const spy of spies) spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the logger', () => {
  it('writes no canary value, from the message, per-call keys, persistent keys or errors', () => {
    // act
    const lines = capture((logger) => {
      logger.appendKeys({ correlationId: ids.uuid, route: ids.route, clientIp: canaries.ipv4, userAgent: 'CanaryBrowser/1.0' });
      logger.info(`login for ${canaries.email} from ${canaries.ipv6}`, {
        subjectPseudonym: ids.hash,
        displayName: canaries.displayName,
        at: ids.timestamp,
      });
      logger.debug('profile change', {
        profile: { email: canaries.email },
        change: { postalAddress: { street: canaries.street, city: canaries.city }, locale: 'en-GB' },
        password: canaries.password,
      });
      logger.warn('header dump', {
        headers: { Authorization: `Bearer ${canaries.token}`, 'X-Forwarded-For': `${canaries.ipv4}, ${canaries.ipv6}` },
        note: `call ${canaries.phone} or use ${canaries.jwt}`,
      });
      logger.info({ message: `problem for ${canaries.email}`, problem: ids.slug, status: 403 });
      logger.error('failed', new Error(`no account for ${canaries.email} with token ${canaries.jwt}`));
      logger.error('failed again', { error: new TypeError(`bad phone ${canaries.phone}`), requestId: ids.uuid });
    });
    // assert
    expect(lines).toHaveLength(6);
    const output = JSON.stringify(lines);
    for (const [name, value] of Object.entries(canaries)) expect([name, output.includes(value)]).toEqual([name, false]);
    for (const value of Object.values(ids)) expect(output).toContain(value);
  });

  it('keeps the Powertools layout, with redacted values where the personal ones were', () => {
    const [line] = capture((logger) => {
      logger.appendKeys({ correlationId: ids.uuid });
      logger.info(`hello ${canaries.email}`, { displayName: canaries.displayName, problem: ids.slug, at: ids.timestamp });
    });
    expect(line).toEqual({
      level: 'INFO',
      message: 'hello [redacted]',
      timestamp: expect.any(String),
      service: expect.any(String),
      sampling_rate: 0,
      correlationId: ids.uuid,
      displayName: '[redacted]',
      problem: ids.slug,
      at: ids.timestamp,
    });
  });

  it('logs an error as class and stack frames, without its message line or its own properties', () => {
    // arrange
    const error = Object.assign(new RangeError(`cannot reach ${canaries.ipv4} for ${canaries.email}`), {
      input: { displayName: canaries.displayName },
      detail: canaries.street,
    });
    // act
    const [line] = capture((logger) => logger.error('unhandled error', error));
    // assert
    const logged = line.error as Record<string, unknown>;
    expect(Object.keys(logged).sort()).toEqual(['name', 'stack']);
    expect(logged.name).toBe('RangeError');
    expect(logged.stack).toMatch(/^\s+at /);
    expect(logged.stack).not.toContain('cannot reach');
    expect(JSON.stringify(line)).not.toMatch(new RegExp([canaries.displayName, canaries.street].join('|')));
  });

  it('keeps only the frames of a stack passed as a plain string', () => {
    const error = new Error(`user ${CANARY} not found`);
    const [line] = capture((logger) => logger.error('unhandled error', { errorClass: error.name, stack: error.stack }));
    expect(line.errorClass).toBe('Error');
    expect(line.stack).toMatch(/^\s+at /);
    for (const frame of String(line.stack).split('\n')) expect(frame).toMatch(/^\s+at /);
    expect(JSON.stringify(line)).not.toContain(CANARY);
  });
});

/** A value no redaction pattern matches: only dropping the message keeps it out of the logs. */
const CANARY = 'Lovelace-canary-5c1e';

/** An error as the AWS SDK throws it: service name as class, the service's message, and `$metadata` of the call. */
class ValidationException extends Error {
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400, requestId: CANARY };
  constructor(message: string) {
    super(message);
    this.name = 'ValidationException';
  }
}

describe('the HTTP error handler (issue 12)', () => {
  it('logs an unhandled error as class and frames: no message line, even a multi-line one, no properties, no cause message', async () => {
    // arrange: a message with the input in it over several lines, one of which looks like a frame
    const error = new ValidationException(
      `Exclusive Start Key must have same size as table's key schema: ${CANARY}\n    at ${CANARY} (forged frame)\nand ${canaries.email}`,
    );
    (error as { cause?: unknown }).cause = new AggregateError([new TypeError(`inner ${CANARY}`)], `several ${CANARY}`);
    const written: string[] = [];
    const sink = (chunk: string | Uint8Array) => (written.push(String(chunk)), true);
    const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(sink), jest.spyOn(process.stderr, 'write').mockImplementation(sink)];
    const previous = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    let result: { statusCode: number; body: string } | undefined;
    try {
      let handler: ((event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>) | undefined;
      jest.isolateModules(() => {
        const { httpRoute } = jest.requireActual<typeof import('../../lambdas/http/http')>('../../lambdas/http/http');
        const { defineRoute } = jest.requireActual<typeof import('../../lambdas/routes')>('../../lambdas/routes');
        const route = defineRoute({
          id: 'unitFailing', method: 'GET', path: '/v1/failing', handler: 'unused', summary: 'test route', description: 'A route that fails, for the redaction test.', tags: [], feature: 'operations',
          auth: 'public', responses: {}, personalData: [],
        });
        handler = httpRoute(route, async () => {
          throw error;
        }) as unknown as typeof handler;
      });
      // act
      result = await handler!(
        { resource: '/v1/failing', path: '/v1/failing', httpMethod: 'GET', headers: {}, requestContext: { requestId: 'corr-1' } },
        { functionName: 'unit', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 },
      );
    } finally {
      process.env.POWERTOOLS_LOG_LEVEL = previous;
      for (const spy of spies) spy.mockRestore();
    }
    // assert
    expect(result!.statusCode).toBe(500);
    expect(result!.body).not.toContain(CANARY);
    const lines = written.join('').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, any>);
    const line = lines.find((l) => l.message === 'unhandled error')!;
    expect(line).toBeDefined();
    expect(line.errorClass).toBe('ValidationException');
    expect(Object.keys(line.error).sort()).toEqual(['cause', 'name', 'stack']);
    expect(line.error.name).toBe('ValidationException');
    expect(line.error.stack).toMatch(/^\s+at /);
    for (const frame of String(line.error.stack).split('\n')) expect(frame).toMatch(/^\s+at (?!Lovelace)/);
    expect(line.error.cause).toMatchObject({ name: 'AggregateError', stack: expect.stringMatching(/^\s+at /) });
    expect(line.error.cause.errors).toEqual([{ name: 'TypeError', stack: expect.stringMatching(/^\s+at /) }]);
    const output = written.join('');
    expect(output).not.toContain(CANARY);
    expect(output).not.toContain(canaries.email);
    expect(output).not.toContain('Exclusive Start Key');
  });
});

describe('the logger, with several functions in one process (npm start)', () => {
  it('stamps each line with the function of the invocation it belongs to, not the one that set its context last', async () => {
    // arrange: two invocations of different functions that overlap, each setting the shared logger's context as
    // injectLambdaContext does, then logging after the other has set its own
    const written: string[] = [];
    const sink = (chunk: string | Uint8Array) => (written.push(String(chunk)), true);
    const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(sink), jest.spyOn(process.stderr, 'write').mockImplementation(sink)];
    const previous = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    let modules!: { logger: typeof Logger; invokeAs: typeof import('../../local/lambda-context').invokeAs };
    jest.isolateModules(() => {
      modules = {
        logger: jest.requireActual<typeof import('../../lambdas/runtime/logger')>('../../lambdas/runtime/logger').logger,
        invokeAs: jest.requireActual<typeof import('../../local/lambda-context')>('../../local/lambda-context').invokeAs,
      };
    });
    const { logger, invokeAs } = modules;
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const handler = (waitFirst: boolean) => async (_event: object, context: import('aws-lambda').Context) => {
      logger.addContext(context);
      if (waitFirst) await bothStarted;
      else release();
      await new Promise((resolve) => setImmediate(resolve));
      logger.info('job ran');
      return context.awsRequestId;
    };
    let ids: string[];
    try {
      // act
      ids = await Promise.all([invokeAs('fmn-local-overdueRequests', 60, handler(true), {}), invokeAs('fmn-local-drainRecipientOutbox', 60, handler(false), {})]);
    } finally {
      process.env.POWERTOOLS_LOG_LEVEL = previous;
      for (const spy of spies) spy.mockRestore();
    }
    // assert
    // only the logger's JSON lines: Node may print a process warning to stderr meanwhile
    const lines = written.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const ran = lines.filter((l) => l.message === 'job ran');
    expect(ran).toHaveLength(2);
    expect(ran.map((l) => [l.function_name, l.function_request_id]).sort()).toEqual(
      [
        ['fmn-local-drainRecipientOutbox', ids[1]],
        ['fmn-local-overdueRequests', ids[0]],
      ].sort(),
    );
  });
});
