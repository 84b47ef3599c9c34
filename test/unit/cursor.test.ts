/** Sealed page cursors: only a cursor this API issued, for the same route, caller and filters, opens. */
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { auditPosition } from '../../lambdas/handlers/audit.schema';
import { historyPosition } from '../../lambdas/handlers/consent-history.route';
import { CURSOR_FORMAT, CURSOR_TTL_MS, CursorSealer, INVALID_CURSOR, cursorKeyFrom, type CursorBinding } from '../../lambdas/http/cursor';
import { ValidationError } from '../../lambdas/http/problems';

const KEY = randomBytes(32);
const T0 = Date.parse('2026-12-04T12:00:00.000Z');
const binding: CursorBinding = { route: 'adminAudit', caller: '0b7e2f0e-3c4f-4e59-9a43-8d1c7f1f1a11', query: { action: 'read', from: '2026-11-01T00:00:00Z', limit: '2' } };
const position = { day: '2026-11-27', after: { at: '2026-11-27T10:00:00.000Z', chainId: `subject#${'a'.repeat(64)}`, seq: 3 } };

function sealerAt(now: number, key: Buffer = KEY) {
  return new CursorSealer(async () => key, () => now);
}

/** The error `open` rejects with, or undefined when it opened. */
async function refusal(run: () => Promise<unknown>): Promise<ValidationError | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error as ValidationError;
  }
}

function expectRefused(error: ValidationError | undefined) {
  expect(error).toBeInstanceOf(ValidationError);
  expect(error!.status).toBe(400);
  expect(error!.slug).toBe('validation-failed');
  expect(error!.extras.errors).toEqual([{ path: 'query.cursor', message: INVALID_CURSOR }]);
}

describe('page cursors', () => {
  it('round-trips a position under the same binding, whatever the page size', async () => {
    const sealer = sealerAt(T0);
    const cursor = (await sealer.seal(position, binding))!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    await expect(sealer.open(cursor, binding, auditPosition)).resolves.toEqual(position);
    await expect(sealer.open(cursor, { ...binding, query: { ...binding.query, limit: '50', cursor } }, auditPosition)).resolves.toEqual(position);
    // the same filters in another order are the same query
    await expect(sealer.open(cursor, { ...binding, query: { from: '2026-11-01T00:00:00Z', action: 'read' } }, auditPosition)).resolves.toEqual(position);
  });

  it('says nothing when there is no next page or no cursor', async () => {
    const sealer = sealerAt(T0);
    await expect(sealer.seal(undefined, binding)).resolves.toBeUndefined();
    await expect(sealer.open(undefined, binding, auditPosition)).resolves.toBeUndefined();
  });

  it('hides the position: no pseudonym or date can be read off a cursor', async () => {
    const cursor = (await sealerAt(T0).seal(position, binding))!;
    const bytes = Buffer.from(cursor, 'base64url').toString('latin1');
    expect(bytes).not.toContain('subject#');
    expect(bytes).not.toContain('2026-11-27');
    // a fresh nonce each time: the same position never gives the same cursor
    expect(await sealerAt(T0).seal(position, binding)).not.toBe(cursor);
  });

  it('refuses the cursor when any single byte is changed', async () => {
    const sealer = sealerAt(T0);
    const bytes = Buffer.from((await sealer.seal(position, binding))!, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const tampered = Buffer.from(bytes);
      tampered[i] ^= 0x01;
      expectRefused(await refusal(() => sealer.open(tampered.toString('base64url'), binding, auditPosition)));
    }
  });

  it('refuses a cursor cut short or lengthened', async () => {
    const sealer = sealerAt(T0);
    const bytes = Buffer.from((await sealer.seal(position, binding))!, 'base64url');
    for (const changed of [bytes.subarray(0, bytes.length - 1), bytes.subarray(0, 20), Buffer.concat([bytes, Buffer.of(0)])]) {
      expectRefused(await refusal(() => sealer.open(changed.toString('base64url'), binding, auditPosition)));
    }
  });

  it.each([
    ['another route', { ...binding, route: 'myAudit' }],
    ['another caller', { ...binding, caller: '5d1f0c52-6a3e-4a53-a1fb-3b0b5b7c2c22' }],
    ['another filter value', { ...binding, query: { ...binding.query, action: 'update' } }],
    ['a filter added', { ...binding, query: { ...binding.query, to: '2026-11-30T00:00:00Z' } }],
    ['a filter dropped', { ...binding, query: { action: 'read' } }],
  ])('refuses a cursor issued for %s', async (_name, other) => {
    const sealer = sealerAt(T0);
    const cursor = (await sealer.seal(position, binding))!;
    expectRefused(await refusal(() => sealer.open(cursor, other, auditPosition)));
  });

  it('refuses a cursor sealed under another key', async () => {
    const cursor = (await sealerAt(T0, randomBytes(32)).seal(position, binding))!;
    expectRefused(await refusal(() => sealerAt(T0).open(cursor, binding, auditPosition)));
  });

  it('refuses a cursor older than a day', async () => {
    const cursor = (await sealerAt(T0).seal(position, binding))!;
    await expect(sealerAt(T0 + CURSOR_TTL_MS).open(cursor, binding, auditPosition)).resolves.toEqual(position);
    expectRefused(await refusal(() => sealerAt(T0 + CURSOR_TTL_MS + 1).open(cursor, binding, auditPosition)));
  });

  it('refuses another format version without asking for the key', async () => {
    const key = jest.fn(async () => KEY);
    const sealer = new CursorSealer(key, () => T0);
    const bytes = Buffer.from((await sealer.seal(position, binding))!, 'base64url');
    key.mockClear();
    bytes[0] = CURSOR_FORMAT + 1;
    expectRefused(await refusal(() => sealer.open(bytes.toString('base64url'), binding, auditPosition)));
    expect(key).not.toHaveBeenCalled();
  });

  it.each([
    ['the crafted key of issue 12', Buffer.from('{"key":{"foo":"bar"}}').toString('base64url')],
    ['the crafted day of issue 12', Buffer.from('{"day":"2026-99-99"}').toString('base64url')],
    ['an empty value', ''],
    ['not base64url', '%%%'],
    ['the old unsealed format', Buffer.from(JSON.stringify({ key: { chainId: 'system', seq: 1 } })).toString('base64url')],
  ])('refuses %s without asking for the key', async (_name, raw) => {
    const key = jest.fn(async () => KEY);
    expectRefused(await refusal(() => new CursorSealer(key, () => T0).open(raw, binding, auditPosition)));
    expect(key).not.toHaveBeenCalled();
  });

  it.each([
    ['a key with unknown attributes', { key: { foo: 'bar' } }],
    ['a day that is no date', { day: '2026-99-99' }],
    ['30 February', { day: '2026-02-30' }],
    ['an empty position', {}],
    ['a key with an extra attribute', { key: { chainId: 'system', seq: 1, extra: 1 } }],
    ['a chain id of no known shape', { key: { chainId: 'users', seq: 1 } }],
    ['a sequence number that is not positive', { key: { chainId: 'system', seq: 0 } }],
  ])('refuses a correctly sealed position that is malformed: %s', async (_name, malformed) => {
    // sealed with the real key: only the position check stands between it and a query
    const sealer = sealerAt(T0);
    const cursor = (await sealer.seal(malformed, binding))!;
    expectRefused(await refusal(() => sealer.open(cursor, binding, auditPosition)));
  });

  it('checks the position against the schema of the route that opens it', async () => {
    const sealer = sealerAt(T0);
    const history = { sk: 'event#2026-11-27T10:00:00.000Z#analytics#00000003' };
    const cursor = (await sealer.seal(history, binding))!;
    await expect(sealer.open(cursor, binding, historyPosition)).resolves.toEqual(history);
    expectRefused(await refusal(() => sealer.open(cursor, binding, auditPosition)));
    const other = (await sealer.seal({ sk: 'state#analytics' }, binding))!;
    expectRefused(await refusal(() => sealer.open(other, binding, historyPosition)));
    expectRefused(await refusal(() => sealer.open(other, binding, z.strictObject({ sk: z.number() }))));
  });

  describe('cursorKeyFrom', () => {
    it('derives the key once, from a fixed label, on first use', async () => {
      const mac = jest.fn(async () => Buffer.alloc(32, 7).toString('base64url'));
      const key = cursorKeyFrom({ mac });
      expect(mac).not.toHaveBeenCalled();
      await expect(key()).resolves.toEqual(Buffer.alloc(32, 7));
      await key();
      expect(mac).toHaveBeenCalledTimes(1);
      expect(mac).toHaveBeenCalledWith('cursor-key', `fmn/cursor/v${CURSOR_FORMAT}`);
    });

    it('asks again after a failed derivation', async () => {
      const mac = jest.fn().mockRejectedValueOnce(new Error('throttled')).mockResolvedValueOnce(Buffer.alloc(32, 1).toString('base64url'));
      const key = cursorKeyFrom({ mac });
      await expect(key()).rejects.toThrow('throttled');
      await expect(key()).resolves.toEqual(Buffer.alloc(32, 1));
    });
  });
});
