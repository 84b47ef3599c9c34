/** Audit page cursors: opaque to clients, and anything this API did not issue is a 400 naming `query.cursor`. */
import { decodeCursor, encodeCursor } from '../../lambdas/shared/audit-read';
import { ValidationError } from '../../lambdas/shared/errors';

const raw = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

describe('audit cursors', () => {
  it('round-trips the positions the reader hands out', () => {
    for (const cursor of [{ day: '2026-11-28' }, { key: { chainId: 'subject#p', seq: 4 } }, { day: '2026-11-27', key: { day: '2026-11-27', seq: 2 } }]) {
      expect(decodeCursor(encodeCursor(cursor))).toEqual({ day: undefined, key: undefined, ...cursor });
    }
    expect(encodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON that is not an object', raw('"2026-11-28"')],
    ['null', raw('null')],
    ['an array', raw([{ day: '2026-11-28' }])],
    ['a day that is not a date', raw({ day: 'yesterday' })],
    ['a day that is not a string', raw({ day: 20261128 })],
    ['a key that is a string', raw({ key: 'seq' })],
    ['a key that is null', raw({ key: null })],
    ['a key that is an array', raw({ key: [1] })],
  ])('refuses %s', (_name, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).status).toBe(400);
    expect((thrown as ValidationError).extras.errors).toEqual([{ path: 'query.cursor', message: 'Not a cursor this API issued' }]);
  });
});
