/** How big each part of the benchmark runs: the full sizes the issue asks for, and tiny ones for `--quick` and the test. */
export type Part = 'p1' | 'p2' | 'p3' | 'p4' | 'p5';

export interface Sizes {
  readonly quick: boolean;
  readonly parts: readonly Part[];
  /** P1: timed calls per route, after the warm-up calls. */
  readonly p1Iterations: number;
  readonly p1Warmup: number;
  /**
   * scrypt cost (log2 N) for P1 and P3. The deployed default is 17 (~0.3 s a hash); the baseline hashes at the same
   * cost, so the ratio does not depend on it, and 14 keeps a 500-call run of register and login in minutes.
   */
  readonly scryptLogN: number;
  /** P2: fresh processes per bundle (the median is reported). */
  readonly p2Processes: number;
  /** P2: only these functions (quick runs); absent means every deployed function. */
  readonly p2Functions?: readonly string[];
  /** P3: the two table sizes (other subjects), and how many times each timing is repeated (median). */
  readonly p3Levels: readonly [number, number];
  readonly p3Repeats: number;
  /** P3: what the measured subject holds besides its audit entries (which every call adds on its own). */
  readonly p3Subject: { readonly sessions: number; readonly consentEvents: number; readonly analyticsEvents: number };
  /** P3: parallel BatchWriteItem calls while seeding. */
  readonly p3SeedConcurrency: number;
  /** P4: seconds per route and concurrent connections. */
  readonly p4Seconds: number;
  readonly p4Connections: number;
  /** P5: loads of the console's first screen after `npm start` (the first is the very first after the start). */
  readonly p5Loads: number;
}

export const ALL_PARTS: readonly Part[] = ['p1', 'p2', 'p3', 'p4', 'p5'];

export function sizesFor(quick: boolean, parts: readonly Part[] = ALL_PARTS): Sizes {
  return quick
    ? {
        quick,
        parts,
        p1Iterations: 10,
        p1Warmup: 2,
        scryptLogN: 12,
        p2Processes: 3,
        p2Functions: ['health', 'get-me', 'rights-request-worker'],
        p3Levels: [20, 200],
        p3Repeats: 1,
        p3Subject: { sessions: 3, consentEvents: 3, analyticsEvents: 5 },
        p3SeedConcurrency: 8,
        p4Seconds: 3,
        p4Connections: 4,
        p5Loads: 2,
      }
    : {
        quick,
        parts,
        p1Iterations: 500,
        p1Warmup: 30,
        scryptLogN: 14,
        p2Processes: 20,
        p3Levels: [1_000, 100_000],
        p3Repeats: 3,
        // With the audit entries these calls write, about 200 items.
        p3Subject: { sessions: 30, consentEvents: 30, analyticsEvents: 50 },
        p3SeedConcurrency: 8,
        p4Seconds: 20,
        p4Connections: 50,
        p5Loads: 10,
      };
}
