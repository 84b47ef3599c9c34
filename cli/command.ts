/**
 * What every `fmn` command module shares: the context it is registered with, the error that means "bad arguments"
 * (exit 2), and the helpers that give each command the same help layout.
 *
 * A command module exports one `register…(program, context)` function that adds its subcommand to the program; cli/fmn.ts
 * calls each of them. Modules load AWS-facing code only inside their actions, after cli/target.ts has set the environment
 * (the adapters read table names and endpoints when they load).
 */
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
  override readonly name = 'UsageError';
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
