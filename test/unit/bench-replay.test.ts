import { concurrentGroups, longestPause } from '../../bench/lib/replay';
import type { SdkCall } from '../../bench/lib/sdk-probe';

const call = (start: number, end: number): SdkCall => ({ service: 'dynamodb', command: 'GetItem', input: {}, start, end });

describe('the P1 baseline replays the handler timeline', () => {
  it('groups calls that were in flight together and keeps sequential calls apart', () => {
    const groups = concurrentGroups([call(0, 5), call(1, 4), call(6, 8), call(9, 12)]);
    expect(groups.map((g) => g.length)).toEqual([2, 1, 1]);
  });

  it('finds the pause where the handler worked with no call in flight (a password verify between reads and writes)', () => {
    // reads 0-5, 6-8; the verify 8-30; then the audit head and the transaction
    const calls = [call(0, 5), call(6, 8), call(30, 32), call(33, 36)];
    expect(longestPause(calls, 0, 37)).toBe(2);
  });

  it('puts the work first when it came before every call (a hash before the write), last when after', () => {
    expect(longestPause([call(20, 22), call(23, 25)], 0, 26)).toBe(0);
    expect(longestPause([call(0, 2), call(3, 5)], 0, 30)).toBe(2);
  });
});
