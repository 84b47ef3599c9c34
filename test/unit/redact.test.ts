import { REDACTED, redact, redactString } from '../../lambdas/shared/redact';

const canaries = {
  email: 'ada.lovelace@example.org',
  ipv4: '203.0.113.77',
  ipv6Full: '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
  ipv6Short: '2001:db8::c0:ffee',
  ipv6Mapped: '::ffff:198.51.100.7',
  phone: '+44 7700 900123',
  token: 'U1w9YdsgxxkGDvK_kvEXHVecW6SjuhBXz5jTQ55MOPo',
  jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl',
};

const ids = {
  uuid: '539b44e4-4b1f-4b12-b0cb-01ff98f151b7',
  hash: 'a3f1c9e0b2d4f6a8c0e2a4b6d8f0a2c4e6a8b0d2f4a6c8e0a2b4d6f8a0c2e4f6',
  timestamp: '2026-11-28T23:05:17.000Z',
  slug: '/problems/consent-required',
  route: 'route:adminAudit',
  arn: 'arn:aws:lambda:eu-west-1:000000000000:function:fmn-local-rightsRequestWorker',
  chain: 'subject#a3f1c9e0b2d4f6a8c0e2a4b6d8f0a2c4e6a8b0d2f4a6c8e0a2b4d6f8a0c2e4f6',
};

describe('redactString', () => {
  it.each(Object.entries(canaries))('removes %s', (_name, value) => {
    const out = redactString(`before ${value} after`);
    expect(out).not.toContain(value);
    expect(out).toContain(REDACTED);
    expect(out.startsWith('before ')).toBe(true);
  });

  it.each(Object.entries(ids))('keeps %s', (_name, value) => {
    expect(redactString(value)).toBe(value);
  });
});

describe('redact', () => {
  it('drops the values of personal keys, at any depth and in any case', () => {
    const out = redact({
      displayName: 'Ada',
      nested: { postalAddress: { street: '12 St James', city: 'London' }, Given_Name: 'Augusta' },
      headers: { Authorization: 'Bearer x', 'X-Forwarded-For': '1.2.3.4', 'user-agent': 'Firefox' },
      list: [{ phone: '0123' }],
      status: 403,
    });
    expect(out).toEqual({
      displayName: REDACTED,
      nested: { postalAddress: REDACTED, Given_Name: REDACTED },
      headers: { Authorization: REDACTED, 'X-Forwarded-For': REDACTED, 'user-agent': REDACTED },
      list: [{ phone: REDACTED }],
      status: 403,
    });
  });

  it('keeps errors to class and frames, never the message', () => {
    const error = new TypeError(`cannot parse ${canaries.email}`);
    const out = redact({ error }) as { error: { name: string; stack: string } };
    expect(out.error.name).toBe('TypeError');
    expect(out.error.stack).toMatch(/^\s+at /);
    expect(JSON.stringify(out)).not.toContain(canaries.email);
  });

  it('survives cycles and depth', () => {
    const a: Record<string, unknown> = { id: ids.uuid };
    a.self = a;
    expect(redact(a)).toEqual({ id: ids.uuid, self: '[circular]' });
    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(JSON.stringify(redact(deep))).toContain('[truncated]');
  });
});

describe('the logger', () => {
  it('writes no canary value, in the message, keys, persistent keys or errors, and keeps ids', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))),
    );
    try {
      jest.isolateModules(() => {
        const previous = process.env.POWERTOOLS_LOG_LEVEL;
        process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
        const { logger } = require('../../lambdas/shared/logger') as typeof import('../../lambdas/shared/logger');
        process.env.POWERTOOLS_LOG_LEVEL = previous;
        logger.appendKeys({ correlationId: ids.uuid, clientIp: canaries.ipv4 });
        logger.info(`login for ${canaries.email} from ${canaries.ipv6Short}`, { subjectPseudonym: ids.hash, displayName: 'Ada Lovelace', at: ids.timestamp });
        logger.warn('header dump', { headers: { authorization: `Bearer ${canaries.token}`, 'x-forwarded-for': canaries.ipv4 }, note: `call ${canaries.phone}` });
        logger.error('failed', new Error(`no account for ${canaries.email} with token ${canaries.jwt}`));
        logger.error('failed again', { error: new Error('Ada Lovelace is not allowed') });
      });
    } finally {
      spy.mockRestore();
      errSpy.mockRestore();
      for (const s of consoleSpies) s.mockRestore();
    }
    const output = written.join('\n');
    expect(output.split('\n').filter((l) => l.includes('"level"')).length).toBeGreaterThanOrEqual(4);
    for (const value of [...Object.values(canaries), 'Ada Lovelace']) expect(output).not.toContain(value);
    for (const value of [ids.uuid, ids.hash, ids.timestamp]) expect(output).toContain(value);
  });
});
