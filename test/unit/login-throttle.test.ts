import {
  ACCOUNT_POLICY,
  CLIENT_POLICY,
  EMPTY_COUNTER,
  afterFailure,
  counterExpiry,
  secondsLocked,
  type ThrottleCounter,
  type ThrottlePolicy,
} from '../../lambdas/domain/login-throttle';

// The clock: explicit dates, turned into the epoch seconds the rules work in.
const T0 = new Date('2026-03-02T09:00:00Z');
const at = (secondsAfterT0: number) => Math.floor(new Date(T0.getTime() + secondsAfterT0 * 1000).getTime() / 1000);

const POLICY: ThrottlePolicy = { freeFailures: 3, windowSeconds: 600, baseLockSeconds: 10, maxLockSeconds: 60 };

/** Applies `count` failures at the same instant. */
function failures(count: number, now: number, policy = POLICY, from: ThrottleCounter = EMPTY_COUNTER): ThrottleCounter {
  let counter = from;
  for (let i = 0; i < count; i++) counter = afterFailure(counter, now, policy);
  return counter;
}

describe('policies', () => {
  it('let an account fail 5 times and a client 20 times in 15 minutes before locking', () => {
    expect(ACCOUNT_POLICY).toEqual({ freeFailures: 5, windowSeconds: 900, baseLockSeconds: 30, maxLockSeconds: 900 });
    expect(CLIENT_POLICY).toEqual({ freeFailures: 20, windowSeconds: 900, baseLockSeconds: 60, maxLockSeconds: 3600 });
  });
});

describe('secondsLocked', () => {
  it('is 0 for a fresh counter', () => {
    expect(secondsLocked(EMPTY_COUNTER, at(0))).toBe(0);
  });

  it('counts down to the end of the lock and then stays 0', () => {
    const counter: ThrottleCounter = { failures: 4, windowStart: at(0), lockedUntil: at(30) };

    expect(secondsLocked(counter, at(0))).toBe(30);
    expect(secondsLocked(counter, at(29))).toBe(1);
    expect(secondsLocked(counter, at(30))).toBe(0);
    expect(secondsLocked(counter, at(3600))).toBe(0);
  });
});

describe('afterFailure', () => {
  it('allows the free failures without a lock', () => {
    let counter = EMPTY_COUNTER;
    for (let i = 1; i <= POLICY.freeFailures; i++) {
      counter = afterFailure(counter, at(i), POLICY);
      expect(counter.failures).toBe(i);
      expect(counter.lockedUntil).toBe(0);
      expect(secondsLocked(counter, at(i))).toBe(0);
    }
  });

  it('starts the window at the first failure', () => {
    const counter = afterFailure(EMPTY_COUNTER, at(5), POLICY);

    expect(counter).toEqual({ failures: 1, windowStart: at(5), lockedUntil: 0 });
  });

  it('slides the window to each later failure, keeping the count', () => {
    const counter = afterFailure(afterFailure(EMPTY_COUNTER, at(5), POLICY), at(50), POLICY);

    expect(counter.windowStart).toBe(at(50));
    expect(counter.failures).toBe(2);
  });

  it('lets a steady attack reach the maximum lock (the count never resets while failures keep coming)', () => {
    let counter = EMPTY_COUNTER;
    let now = at(0);
    const locks: number[] = [];
    for (let i = 0; i < 12; i++) {
      counter = afterFailure(counter, now, ACCOUNT_POLICY);
      locks.push(secondsLocked(counter, now));
      now = Math.max(now + 1, counter.lockedUntil); // retry as soon as allowed
    }
    expect(Math.max(...locks)).toBe(ACCOUNT_POLICY.maxLockSeconds);
    expect(counter.failures).toBe(12);
  });

  it('locks on the first failure past the free ones, for the base time', () => {
    const counter = failures(POLICY.freeFailures + 1, at(0));

    expect(counter.lockedUntil).toBe(at(10));
    expect(secondsLocked(counter, at(0))).toBe(10);
  });

  it('doubles the lock with each further failure, up to the maximum', () => {
    const locks: number[] = [];
    let counter = failures(POLICY.freeFailures, at(0));
    let now = at(0);
    for (let i = 0; i < 6; i++) {
      counter = afterFailure(counter, now, POLICY);
      locks.push(secondsLocked(counter, now));
      now = counter.lockedUntil; // the next attempt comes as soon as the lock ends
    }

    expect(locks).toEqual([10, 20, 40, 60, 60, 60]);
  });

  it('ends the lock once its time has passed', () => {
    const counter = failures(POLICY.freeFailures + 1, at(0));

    expect(secondsLocked(counter, at(9))).toBe(1);
    expect(secondsLocked(counter, at(10))).toBe(0);
  });

  it('starts a new window, and forgets the count, once a whole window has passed after the lock', () => {
    const locked = failures(POLICY.freeFailures + 2, at(0));
    const quietFrom = locked.lockedUntil;

    expect(afterFailure(locked, quietFrom + POLICY.windowSeconds - 1, POLICY).failures).toBe(POLICY.freeFailures + 3);
    const later = afterFailure(locked, quietFrom + POLICY.windowSeconds, POLICY);

    expect(later).toEqual({ failures: 1, windowStart: quietFrom + POLICY.windowSeconds, lockedUntil: 0 });
  });

  it('still counts a failure one second before the window ends', () => {
    const counter = failures(POLICY.freeFailures, at(0));

    const later = afterFailure(counter, at(POLICY.windowSeconds - 1), POLICY);

    expect(later.failures).toBe(POLICY.freeFailures + 1);
    expect(later.windowStart).toBe(at(POLICY.windowSeconds - 1));
    expect(later.lockedUntil).toBe(at(POLICY.windowSeconds - 1) + POLICY.baseLockSeconds);
  });

  it('locks the account policy on the sixth failure for 30 s, then 60 s', () => {
    const sixth = failures(6, at(0), ACCOUNT_POLICY);
    const seventh = afterFailure(sixth, at(30), ACCOUNT_POLICY);

    expect(secondsLocked(failures(5, at(0), ACCOUNT_POLICY), at(0))).toBe(0);
    expect(secondsLocked(sixth, at(0))).toBe(30);
    expect(secondsLocked(seventh, at(30))).toBe(60);
  });

  it('locks the client policy on the twenty-first failure for 60 s', () => {
    expect(secondsLocked(failures(20, at(0), CLIENT_POLICY), at(0))).toBe(0);
    expect(secondsLocked(failures(21, at(0), CLIENT_POLICY), at(0))).toBe(60);
  });

  it('never locks past the policy maximum, however many failures', () => {
    const counter = failures(200, at(0), ACCOUNT_POLICY);

    expect(secondsLocked(counter, at(0))).toBe(ACCOUNT_POLICY.maxLockSeconds);
  });

  it('does not change the counter it was given', () => {
    const counter: ThrottleCounter = { failures: 2, windowStart: at(0), lockedUntil: 0 };
    const copy = { ...counter };

    afterFailure(counter, at(1), POLICY);

    expect(counter).toEqual(copy);
  });
});

describe('counterExpiry', () => {
  it('is the end of the window while there is no longer lock', () => {
    const counter = failures(1, at(0));

    expect(counterExpiry(counter, POLICY)).toBe(at(POLICY.windowSeconds));
  });

  it('is a whole window after the lock when there is one', () => {
    const counter: ThrottleCounter = { failures: 9, windowStart: at(0), lockedUntil: at(POLICY.windowSeconds + 45) };

    expect(counterExpiry(counter, POLICY)).toBe(at(POLICY.windowSeconds + 45) + POLICY.windowSeconds);
  });
});
