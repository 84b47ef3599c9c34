/**
 * What every `fmn` command module shares: the context it is registered with, the error that means "bad arguments"
 * (exit 2), and the helpers that give each command the same help layout.
 *
 * A command module exports one `register…(program, context)` function that adds its subcommand to the program; cli/fmn.ts
 * calls each of them. Modules load AWS-facing code only inside their actions, after cli/target.ts has set the environment
 * (the adapters read table names and endpoints when they load).
 */
import { createInterface } from 'node:readline';
import { InvalidArgumentError, type Command } from 'commander';

/** Where a command reads and writes: the process's streams, or buffers in tests. */
export interface Io {
  /** Writes to stdout as is (add the newline yourself). */
  readonly out: (text: string) => void;
  /** Writes to stderr as is. */
  readonly err: (text: string) => void;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Progress bars are drawn only for a person watching a terminal, never into a pipe or a log file. */
  readonly stderrIsTTY: boolean;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  stdin: process.stdin,
  stderrIsTTY: Boolean(process.stderr.isTTY),
};

export interface CliContext {
  readonly io: Io;
}

/** A command module: adds its command (and subcommands) to the program. */
export type RegisterCommand = (program: Command, context: CliContext) => void;

/** Bad arguments or a missing setting: the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/**
 * A setting the command needs is missing or unknown (region, credentials, profile, stage, stack, environment): exit 2,
 * with a message that names what is missing.
 */
export class ConfigError extends UsageError {
  override readonly name = 'ConfigError';
}

/**
 * The command ran and found something wrong (a broken audit chain, an email already taken): printed as one line, exit 1.
 * The message goes to the operator's terminal, so it must name no personal data.
 */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}

/** The options every command accepts (declared once on the program, shown in each command's help). */
export interface GlobalOptions {
  readonly local?: boolean;
  readonly profile?: string;
  readonly region?: string;
  readonly stage?: string;
  readonly stack?: string;
  readonly env?: string;
  readonly json?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** Adds an "Examples:" block to a command's --help; every command has one. */
export function withExamples(command: Command, examples: readonly string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

/**
 * A command that only groups subcommands (`fmn dlq`, `fmn requests`). Called alone or with an unknown subcommand it fails
 * with one line (exit 2) instead of commander's full help on stderr.
 */
export function commandGroup(program: Command, name: string, description: string): Command {
  const group = program.command(name).description(description).usage('<command> [options]');
  group.argument('[command]').action((sub: string | undefined) => {
    const known = group.commands.map((c) => c.name()).join(' | ');
    throw new UsageError(
      sub === undefined ? `fmn ${name}: missing command (${known}); see fmn ${name} --help` : `fmn ${name}: unknown command '${sub}' (${known})`,
    );
  });
  return group;
}

/** Option parser for positive integers; commander turns the error into one line and the CLI into exit 2. */
export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('Not a positive integer.');
  return Number(value);
}

/** `--yes` and `--dry-run`, on every command that changes something at once. */
export interface SafetyOptions {
  readonly yes?: boolean;
  readonly dryRun?: boolean;
}

/** Adds `--yes` and `--dry-run` to a command that acts at once (approving an erasure, a redrive, a seed). */
export function withSafetyRails(command: Command): Command {
  return command
    .option('--yes', 'do it without asking (needed when stdin is not a terminal)')
    .option('--dry-run', 'say what would be done, and change nothing');
}

/**
 * Asks the operator before an action that cannot be taken back. `--yes` skips the question; without a terminal to ask on
 * (a pipe, CI) and without `--yes`, it refuses (exit 2): it never acts silently. Anything but y/yes is a no (exit 1).
 */
export async function confirm(io: Io, what: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!io.stdin.isTTY) throw new UsageError(`${what}: pass --yes to confirm (stdin is not a terminal, so fmn cannot ask), or --dry-run to see what it would do`);
  io.err(`${what}. Continue? [y/N] `);
  const lines = createInterface({ input: io.stdin, terminal: false });
  let answer = '';
  for await (const line of lines) {
    answer = line;
    break;
  }
  lines.close();
  if (!/^\s*y(es)?\s*$/i.test(answer)) throw new CommandFailedError('not confirmed: nothing was changed');
}
