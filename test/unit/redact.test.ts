import { PERSONAL_KEYS, REDACTED, isPersonalKey, redact, redactString } from '../../lambdas/runtime/redact';

/** Values that must never survive, each in a shape the patterns are meant to catch. */
const canaries = {
  email: 'ada.lovelace@example.org',
  emailPlus: 'ada+logs@mail.example.co.uk',
  emailEncoded: 'ada%40example.org',
  ipv4: '203.0.113.77',
  ipv6Full: '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
  ipv6Compressed: '2001:db8::1',
  ipv6Short: '2001:db8::c0:ffee',
  ipv6Mapped: '::ffff:198.51.100.7',
  ipv6Loopback: '::1',
  phone: '+447700900123',
  phoneSpaced: '+44 7700 900123',
  phoneDashed: '+1-202-555-0142',
  token: 'U1w9YdsgxxkGDvK_kvEXHVecW6SjuhBXz5jTQ55MOPo',
  jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl',
};

/** Values logs need to stay joinable with the audit trail; none may be touched. */
const ids = {
  uuid: '539b44e4-4b1f-4b12-b0cb-01ff98f151b7',
  hash: 'a3f1c9e0b2d4f6a8c0e2a4b6d8f0a2c4e6a8b0d2f4a6c8e0a2b4d6f8a0c2e4f6',
  timestamp: '2026-11-28T23:05:17.000Z',
  offsetTimestamp: '2026-11-28T23:05:17.000+01:00',
  day: '2026-11-28',
  slug: '/problems/consent-required',
  problemType: 'https://forget-me-not.example/problems/validation-failed',
  route: 'route:adminAudit',
  arn: 'arn:aws:lambda:eu-west-1:000000000000:function:fmn-local-rightsRequestWorker',
  iamArn: 'arn:aws:iam::123456789012:role/fmn-worker',
  chain: 'subject#a3f1c9e0b2d4f6a8c0e2a4b6d8f0a2c4e6a8b0d2f4a6c8e0a2b4d6f8a0c2e4f6',
  traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  version: 'node v20.11.1',
  frame: '    at Object.handler (/var/task/index.js:12:34)',
  time: 'took 12:30:45',
  cppName: 'Aws::Lambda::Handler',
  epoch: '1764371117',
};

describe('redactString', () => {
  it.each(Object.entries(canaries))('replaces %s, leaving the text around it', (_name, value) => {
    // arrange
    const line = `before ${value} after`;
    // act
    const out = redactString(line);
    // assert
    expect(out).toBe(`before ${REDACTED} after`);
  });

  it.each(Object.entries(ids))('keeps %s', (_name, value) => {
    expect(redactString(value)).toBe(value);
  });

  it.each([
    ['two double colons', 'ids 1::2::3 ok'],
    ['a bare double colon', 'a :: b'],
    ['a stray colon before a double colon', 'x :1::2 y'],
    ['a stray colon after a double colon', 'x 1::2: y'],
  ])('keeps colon runs that are not IPv6 addresses: %s', (_name, value) => {
    expect(redactString(value)).toBe(value);
  });

  it('catches several values in one string, and inside punctuation and headers', () => {
    const out = redactString(
      `x-forwarded-for: ${canaries.ipv4}, ${canaries.ipv6Short}; mailto:${canaries.email}; [${canaries.ipv6Compressed}]:443; ` +
        `Bearer ${canaries.token}. call (${canaries.phoneSpaced})`,
    );
    for (const value of Object.values(canaries)) expect(out).not.toContain(value);
    expect(out).toBe(
      `x-forwarded-for: ${REDACTED}, ${REDACTED}; mailto:${REDACTED}; [${REDACTED}]:443; Bearer ${REDACTED}. call (${REDACTED})`,
    );
  });

  it('leaves a 64-hex hash whole instead of taking 43 characters of it as a token', () => {
    expect(redactString(`tokenHash ${ids.hash}`)).toBe(`tokenHash ${ids.hash}`);
  });

  it('does not take too-short or too-long digit runs for phone numbers', () => {
    expect(redactString('+123456 and +12345678901234567')).toBe('+123456 and +12345678901234567');
  });

  it('stays fast on long strings that almost match', () => {
    const long = `${'a'.repeat(50_000)} ${'1:'.repeat(10_000)} ${'+1'.repeat(10_000)}`;
    const started = performance.now();
    redactString(long);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('personal keys', () => {
  it('come from the inventory and the accounts profile, plus headers and secrets', () => {
    // inventory: personal fields that hold values; the profile's fields but locale
    for (const key of ['emailIndex', 'profile', 'passwordHash', 'tokenHash', 'deviceLabel', 'email', 'displayName', 'givenName', 'familyName', 'phone', 'postalAddress']) {
      expect(isPersonalKey(key)).toBe(true);
    }
    for (const key of ['password', 'currentPassword', 'newPassword', 'idToken', 'token', 'authorization', 'cookie', 'sourceIp', 'userAgent', 'ip', 'x-forwarded-for', 'body']) {
      expect(isPersonalKey(key)).toBe(true);
    }
  });

  it('leave out pseudonymous ids, states and preferences', () => {
    for (const key of ['subjectId', 'subjectPseudonym', 'chainId', 'actorId', 'analyticsId', 'requestId', 'correlationId', 'locale', 'action', 'status', 'route', 'problem']) {
      expect(isPersonalKey(key)).toBe(false);
    }
    expect([...PERSONAL_KEYS].every((key) => key === key.toLowerCase() && !/[-_]/.test(key))).toBe(true);
  });
});

describe('redact', () => {
  it('drops the values of personal keys at any depth and in any spelling, and pattern-redacts the rest', () => {
    // arrange
    const input = {
      displayName: 'Ada',
      nested: { postalAddress: { street: '12 St James', city: 'London' }, Given_Name: 'Augusta' },
      headers: { Authorization: 'Bearer x', 'X-Forwarded-For': '1.2.3.4', 'user-agent': 'Firefox', accept: 'application/json' },
      list: [{ phone: '0123' }, `write to ${canaries.email}`],
      status: 403,
      ok: true,
      missing: undefined,
      email: null,
    };
    // act
    const out = redact(input);
    // assert
    expect(out).toEqual({
      displayName: REDACTED,
      nested: { postalAddress: REDACTED, Given_Name: REDACTED },
      headers: { Authorization: REDACTED, 'X-Forwarded-For': REDACTED, 'user-agent': REDACTED, accept: 'application/json' },
      list: [{ phone: REDACTED }, `write to ${REDACTED}`],
      status: 403,
      ok: true,
      missing: undefined,
      email: null,
    });
  });

  it('copies, never modifies its input', () => {
    const input = { displayName: 'Ada', note: canaries.email, inner: { ip: canaries.ipv4 } };
    const snapshot = structuredClone(input);
    const out = redact(input) as typeof input;
    expect(input).toEqual(snapshot);
    expect(out).not.toBe(input);
    expect(out.inner).not.toBe(input.inner);
  });

  it('turns errors into class and stack frames, dropping the message line', () => {
    // arrange
    const error = new TypeError(`cannot parse ${canaries.email} from ${canaries.ipv4}`);
    Object.assign(error, { input: { password: 'hunter2' }, detail: 'Ada Lovelace' });
    // act
    const out = redact({ error }) as { error: Record<string, unknown> };
    // assert
    expect(Object.keys(out.error).sort()).toEqual(['name', 'stack']);
    expect(out.error.name).toBe('TypeError');
    expect(out.error.stack).toMatch(/^\s+at /);
    expect(out.error.stack).not.toContain('cannot parse');
    expect(JSON.stringify(out)).not.toMatch(/ada\.lovelace|203\.0\.113|hunter2|Ada Lovelace/);
  });

  it('keeps an error cause, redacted the same way, and drops a cause that is not an error', () => {
    const error = new Error('outer', { cause: new RangeError(`bad ${canaries.phone}`) });
    const out = redact(error) as { cause: { name: string; stack: string } };
    expect(out.cause.name).toBe('RangeError');
    expect(out.cause.stack).toMatch(/^\s+at /);
    expect(out.cause.stack).not.toContain('bad');
    expect(redact(new Error('outer', { cause: { email: 'x' } }))).not.toHaveProperty('cause');
  });

  it('survives cycles, keeps shared values, and stops at depth', () => {
    const shared = { id: ids.uuid };
    const a: Record<string, unknown> = { id: ids.uuid, left: shared, right: shared };
    a.self = a;
    expect(redact(a)).toEqual({ id: ids.uuid, left: shared, right: shared, self: '[circular]' });

    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(JSON.stringify(redact(deep))).toContain('[truncated]');
  });

  it('writes dates, maps, sets and buffers the way a log line can hold them', () => {
    const out = redact({
      at: new Date(ids.timestamp),
      byKey: new Map<string, unknown>([['email', 'a@b.example'], ['n', 1]]),
      tags: new Set([canaries.ipv4, 'kept']),
      raw: Buffer.from('secret'),
    });
    expect(out).toEqual({ at: ids.timestamp, byKey: { email: REDACTED, n: 1 }, tags: [REDACTED, 'kept'], raw: '[binary 6 bytes]' });
  });

  it('does not throw on a throwing getter', () => {
    const hostile = { get boom(): string { throw new Error('no'); } };
    expect(redact({ ok: 1, hostile })).toEqual({ ok: 1, hostile: '[unserialisable]' });
  });

  it('writes what toJSON would, redacted, but walks a Map by its entries even when it has a toJSON', () => {
    // A URL serialises through toJSON to its href, which may carry an email in the query.
    const url = new URL(`https://app.example.com/reset?for=${canaries.email}`);
    expect(redact({ url })).toEqual({ url: `https://app.example.com/reset?for=${REDACTED}` });
    const custom = { toJSON: () => ({ email: canaries.email, note: `from ${canaries.ipv4}` }) };
    expect(redact(custom)).toEqual({ email: REDACTED, note: `from ${REDACTED}` });
    const map = Object.assign(new Map([['email', canaries.email]]), { toJSON: () => 'would hide the entries' });
    expect(redact(map)).toEqual({ email: REDACTED });
  });

  it('writes an invalid date as text instead of throwing', () => {
    expect(redact({ at: new Date('not a date') })).toEqual({ at: 'Invalid Date' });
  });

  it('keeps an error without a stack as its class only', () => {
    const error = new Error(`lost ${canaries.email}`);
    error.stack = undefined;
    expect(redact(error)).toEqual({ name: 'Error', stack: undefined });
  });

  it('passes primitives through', () => {
    expect(redact(42)).toBe(42);
    expect(redact(undefined)).toBeUndefined();
    expect(redact(null)).toBeNull();
    expect(redact(10n)).toBe(10n);
    expect(redact(ids.uuid)).toBe(ids.uuid);
  });
});
