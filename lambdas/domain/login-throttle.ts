/**
 * Brute-force protection as plain rules. Two counters per login attempt: one per account (keyed by the email's blind index,
 * whether or not the email is registered, so the answers reveal nothing) and one per client (keyed by an HMAC of the
 * client address; the address itself is never stored). Failures inside a window grow a delay and then lock.
 */
export interface ThrottleCounter {
  readonly failures: number;
  /** Epoch seconds: the last failure, where the current counting window starts. */
  readonly windowStart: number;
  /** Epoch seconds; attempts before this are refused without checking the password. */
  readonly lockedUntil: number;
}

export interface ThrottlePolicy {
  /** Failures allowed before the first lock. */
  readonly freeFailures: number;
  /** Seconds the window lasts; a quiet window resets the count. */
  readonly windowSeconds: number;
  /** First lock in seconds; doubles with each further failure. */
  readonly baseLockSeconds: number;
  readonly maxLockSeconds: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { freeFailures: 5, windowSeconds: 15 * 60, baseLockSeconds: 30, maxLockSeconds: 15 * 60 };
export const CLIENT_POLICY: ThrottlePolicy = { freeFailures: 20, windowSeconds: 15 * 60, baseLockSeconds: 60, maxLockSeconds: 60 * 60 };

export const EMPTY_COUNTER: ThrottleCounter = { failures: 0, windowStart: 0, lockedUntil: 0 };

/** Seconds until the counter lets an attempt through (0 = now). */
export function secondsLocked(counter: ThrottleCounter, now: number): number {
  return Math.max(0, counter.lockedUntil - now);
}

/** The counter after one more failure at `now`. */
export function afterFailure(counter: ThrottleCounter, now: number, policy: ThrottlePolicy): ThrottleCounter {
  // The window slides: it restarts at every failure, so the count is forgotten only after a quiet window. (A window fixed
  // at the first failure would reset under a steady attack, and the lock would never grow to its maximum.)
  // Quiet means a whole window after the last failure and after the lock ended.
  const fresh = now - Math.max(counter.windowStart, counter.lockedUntil) >= policy.windowSeconds;
  const failures = (fresh ? 0 : counter.failures) + 1;
  const windowStart = now;
  const over = failures - policy.freeFailures;
  const lockedUntil = over > 0 ? now + Math.min(policy.baseLockSeconds * 2 ** (over - 1), policy.maxLockSeconds) : 0;
  return { failures, windowStart, lockedUntil };
}

/** When the counter item may be forgotten (its TTL). */
export function counterExpiry(counter: ThrottleCounter, policy: ThrottlePolicy): number {
  // Kept until it would be forgotten anyway: a whole window after the later of the last failure and the lock's end.
  return Math.max(counter.windowStart, counter.lockedUntil) + policy.windowSeconds;
}
