/**
 * `fmn deps check` (`npm run deps:check`): runtime dependencies behind their latest release, from the registry's metadata.
 * Fails (exit 1) when one is a major version behind and deps-exceptions.json records no reason for it.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { CommandFailedError, commandGroup, globalOptions, withExamples, type CliContext } from '../command';
import { assessDependencies, latestUrl, parseExceptions, type LatestRelease } from '../deps-check';
import { note, printRows, progress } from '../output';

const ROOT = resolve(__dirname, '..', '..');
const EXCEPTIONS_FILE = 'deps-exceptions.json';
/** Parallel registry requests: quick, without hammering a mirror. */
const CONCURRENCY = 4;

export function registerDeps(program: Command, { io }: CliContext): void {
  const deps = commandGroup(program, 'deps', 'Dependencies: are we on current releases?');
  withExamples(deps, ['fmn deps check']);
  withExamples(
    deps
      .command('check')
      .description(
        `List runtime dependencies behind their latest release; exit 1 if one is a major version behind without a reason in ${EXCEPTIONS_FILE}.`,
      )
      .option('--registry <url>', 'registry to ask (default: npm config get registry)')
      .option('--dev', 'check devDependencies too (the tools; runtime dependencies are what ships)')
      .action(async (options: { registry?: string; dev?: boolean }, command: Command) => {
        const json = globalOptions(command).json;
        const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
        const dependencies = { ...pkg.dependencies, ...(options.dev ? pkg.devDependencies : {}) };
        const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
        const exceptions = parseExceptions(readFileSync(join(ROOT, EXCEPTIONS_FILE), 'utf8'));
        const installed = Object.fromEntries(Object.keys(dependencies).map((name) => [name, installedVersion(name)]));
        const registry = options.registry ?? (await npmRegistry());
        const names = Object.keys(dependencies);
        const latest: Record<string, LatestRelease> = {};
        const bar = progress(io, 'registry', names.length, 'packages');
        try {
          for (let i = 0; i < names.length; i += CONCURRENCY) {
            await Promise.all(
              names.slice(i, i + CONCURRENCY).map(async (name) => {
                latest[name] = await latestRelease(registry, name);
                bar.increment();
              }),
            );
          }
        } finally {
          bar.stop();
        }
        const report = assessDependencies(dependencies, installed, latest, exceptions, declared);
        printRows(io, json, report.behind, [
          { header: 'package', value: (s) => s.name },
          { header: 'installed', value: (s) => s.installed },
          { header: 'latest', value: (s) => s.latest },
          { header: 'behind', value: (s) => (s.failing ? 'MAJOR' : s.lag) },
          { header: 'latest needs node', value: (s) => s.latestNode },
          { header: 'reason', value: (s) => (s.reason && s.reason.length > 60 ? `${s.reason.slice(0, 59)}…` : s.reason) },
        ]);
        note(io, `${names.length} ${options.dev ? '' : 'runtime '}dependencies, ${report.behind.length} behind, ${report.failing.length} a major version behind without a reason`);
        if (report.unusedExceptions.length > 0) note(io, `${EXCEPTIONS_FILE} has reasons no longer needed: ${report.unusedExceptions.join(', ')}`);
        if (report.failing.length > 0) {
          throw new CommandFailedError(
            `${report.failing.map((s) => `${s.name} ${s.installed} → ${s.latest}`).join(', ')}: upgrade, or record why not in ${EXCEPTIONS_FILE}`,
          );
        }
      }),
    ['fmn deps check', 'fmn deps check --dev', 'fmn deps check --json | jq -r .name', 'npm run deps:check'],
  );
}

function installedVersion(name: string): string {
  // Read the file, not require(): packages with an `exports` map often do not export their package.json.
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

async function npmRegistry(): Promise<string> {
  if (process.env.npm_config_registry) return process.env.npm_config_registry;
  const { stdout } = await promisify(execFile)('npm', ['config', 'get', 'registry'], { cwd: ROOT });
  return stdout.trim() || 'https://registry.npmjs.org/';
}

async function latestRelease(registry: string, name: string): Promise<LatestRelease> {
  const response = await fetch(latestUrl(registry, name), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(20_000) });
  if (!response.ok) throw new CommandFailedError(`the registry answered ${response.status} for ${name}`);
  const manifest = (await response.json()) as { version: string; engines?: { node?: string } };
  return { version: manifest.version, node: manifest.engines?.node };
}
