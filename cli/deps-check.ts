/**
 * The logic of `fmn deps check` (`npm run deps:check`): which runtime dependencies are behind their latest release, and
 * which of those are a major version behind without a reason recorded in deps-exceptions.json. Pure functions over
 * versions; the registry is asked in cli/commands/deps.ts.
 */

/** How far the installed version is behind the latest one. In 0.x, a minor step is breaking, so it counts as major. */
export type Lag = 'current' | 'patch' | 'minor' | 'major';

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : undefined;
}

export function lagOf(installed: string, latest: string): Lag {
  const a = parseVersion(installed);
  const b = parseVersion(latest);
  if (!a || !b) throw new Error(`not a version: ${a ? latest : installed}`);
  if (b.major !== a.major) return b.major > a.major ? 'major' : 'current';
  if (b.minor !== a.minor) return b.minor > a.minor ? (a.major === 0 ? 'major' : 'minor') : 'current';
  return b.patch > a.patch ? (a.major === 0 && a.minor === 0 ? 'major' : 'patch') : 'current';
}

export interface LatestRelease {
  readonly version: string;
  /** The latest release's `engines.node`, which is often why a major upgrade waits. */
  readonly node?: string;
}

export interface DependencyStatus {
  readonly name: string;
  /** The range in package.json. */
  readonly range: string;
  readonly installed: string;
  readonly latest: string;
  readonly latestNode?: string;
  readonly lag: Lag;
  /** The recorded reason for staying a major version behind, if any. */
  readonly reason?: string;
  /** A major version behind with no recorded reason: the check fails. */
  readonly failing: boolean;
}

export interface DepsReport {
  /** Every dependency behind its latest release, most behind first. */
  readonly behind: readonly DependencyStatus[];
  readonly failing: readonly DependencyStatus[];
  /** Recorded reasons for dependencies that are not (or no longer) a major version behind: time to delete them. */
  readonly unusedExceptions: readonly string[];
}

const ORDER: Record<Lag, number> = { major: 0, minor: 1, patch: 2, current: 3 };

/**
 * Compares installed with latest for each dependency. `exceptions` maps a package name to the reason it stays a major
 * version behind (deps-exceptions.json); a reason never excuses anything but a major lag.
 */
export function assessDependencies(
  dependencies: Readonly<Record<string, string>>,
  installed: Readonly<Record<string, string>>,
  latest: Readonly<Record<string, LatestRelease>>,
  exceptions: Readonly<Record<string, string>>,
  /** Every dependency the project declares, checked or not: a reason for one not checked this time is not unused. */
  declared: ReadonlySet<string> = new Set(Object.keys(dependencies)),
): DepsReport {
  const statuses: DependencyStatus[] = [];
  for (const [name, range] of Object.entries(dependencies)) {
    const have = installed[name];
    const newest = latest[name];
    if (have === undefined) throw new Error(`${name} is not installed: run npm ci`);
    if (newest === undefined) throw new Error(`no registry answer for ${name}`);
    const lag = lagOf(have, newest.version);
    const reason = lag === 'major' ? exceptions[name]?.trim() || undefined : undefined;
    statuses.push({ name, range, installed: have, latest: newest.version, latestNode: newest.node, lag, reason, failing: lag === 'major' && !reason });
  }
  const behind = statuses.filter((s) => s.lag !== 'current').sort((a, b) => ORDER[a.lag] - ORDER[b.lag] || a.name.localeCompare(b.name));
  const majorBehind = new Set(behind.filter((s) => s.lag === 'major').map((s) => s.name));
  return {
    behind,
    failing: behind.filter((s) => s.failing),
    unusedExceptions: Object.keys(exceptions)
      .filter((name) => (name in dependencies ? !majorBehind.has(name) : !declared.has(name)))
      .sort(),
  };
}

/** deps-exceptions.json: `{ "<package>": "<why it stays a major version behind>" }`; anything else is refused. */
export function parseExceptions(text: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('deps-exceptions.json must be an object of package → reason');
  const out: Record<string, string> = {};
  for (const [name, reason] of Object.entries(parsed)) {
    if (name.startsWith('$')) continue; // "$comment" and the like
    if (typeof reason !== 'string' || reason.trim().length < 10) throw new Error(`deps-exceptions.json: give ${name} a reason (a sentence, not a word)`);
    out[name] = reason;
  }
  return out;
}

/** The registry path of a package's latest release (`@scope/name` → `@scope%2Fname/latest`). */
export function latestUrl(registry: string, name: string): string {
  return `${registry.replace(/\/?$/, '/')}${name.replace('/', '%2F')}/latest`;
}
