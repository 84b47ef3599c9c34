/**
 * `fmn`, the ops CLI: builds the program from the command modules under cli/commands/ and runs it.
 *
 *   npx fmn --help                 (bin/fmn.cjs)
 *   npm run fmn -- requests list --local
 *
 * Exit codes: 0 done; 1 the command ran and failed (or found a problem, like a broken audit chain); 2 bad arguments or a
 * missing setting. Errors are one line on stderr, never a stack trace: set FMN_DEBUG=1 to see one.
 */
import { Command, CommanderError, Option } from 'commander';
import { ProblemError } from '../lambdas/shared/errors';
import { CommandFailedError, processIo, UsageError, type CliContext, type Io, type RegisterCommand } from './command';
import { registerAdmin } from './commands/admin';
import { registerAudit } from './commands/audit';
import { registerBreachScope } from './commands/breach-scope';
import { registerDataDocs } from './commands/data-docs';
import { registerDeps } from './commands/deps';
import { registerDlq } from './commands/dlq';
import { registerPseudonymize } from './commands/pseudonymize';
import { registerRequests } from './commands/requests';
import { registerSeedStaging } from './commands/seed-staging';

/** Every command module, in the order `fmn --help` lists them. */
export const COMMAND_MODULES: readonly RegisterCommand[] = [
  registerRequests,
  registerDlq,
  registerAudit,
  registerAdmin,
  registerDataDocs,
  registerPseudonymize,
  registerSeedStaging,
  registerBreachScope,
  registerDeps,
];

/** The whole program, writing to `io`; `exitOverride` everywhere so {@link runFmn} decides the exit code. */
export function buildProgram(io: Io = processIo, modules: readonly RegisterCommand[] = COMMAND_MODULES): Command {
  const program = new Command('fmn')
    .description('Operate a Forget-Me-Not backend: rights requests, the DLQ, the audit trail, admins, data docs, pseudonymised dumps, breach scope.')
    .addOption(new Option('--local', 'act on the local cloud of `npm start` (its default names and ports)'))
    .addOption(new Option('--profile <name>', 'AWS profile to use (names come from the stateful stack outputs in env vars)'))
    .addOption(new Option('--region <region>', 'AWS region (default: AWS_REGION or the profile\'s)'))
    .addOption(new Option('--json', 'machine-readable output: one JSON object per line'))
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText(
      'after',
      '\nTargets:\n  --local             npm start\'s cloud (honours DYNAMODB_PORT, SQS_S3_PORT, KMS_PORT, AWS_ENDPOINT_URL_*)\n' +
        '  (default) AWS       credentials from the SDK chain; resource names from USERS_TABLE_NAME, RIGHTS_REQUEST_QUEUE_URL, …\n' +
        '\nExamples:\n  $ fmn requests list --local --overdue\n  $ fmn audit verify --profile prod --region eu-west-1 --json\n',
    );
  const context: CliContext = { io };
  for (const register of modules) register(program, context);
  configureRecursively(program, io);
  return program;
}

function configureRecursively(command: Command, io: Io): void {
  command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (text, write) => write(`${oneLine(text)}\n`) });
  for (const sub of command.commands) configureRecursively(sub, io);
}

/** Runs `fmn` with `argv` (without node and the script) and resolves with the exit code; never throws. */
export async function runFmn(argv: readonly string[], io: Io = processIo): Promise<number> {
  // The SDK's eight-line notice that its 2027 releases need Node 22 would bury one-line results and errors; the lock file
  // pins SDK releases that run on Node 20, and deps-exceptions.json records the Node 22 move.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, io);
  }
}

/** One line on stderr for any failure, and its exit code. */
export function reportError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" under exitOverride; commander has already printed them (and its one-line errors).
    if (error.exitCode === 0) return 0;
    return 2;
  }
  if (error instanceof UsageError) {
    io.err(`error: ${oneLine(error.message)}\n`);
    return 2;
  }
  if (error instanceof CommandFailedError) {
    io.err(`error: ${oneLine(error.message)}\n`);
    return 1;
  }
  if (error instanceof ProblemError && error.status < 500) {
    // A domain refusal (not found, not possible in this state): the same words the API would answer with.
    io.err(`error: ${error.title}: ${oneLine(error.detail ?? '')}\n`);
    return 1;
  }
  if ((error as { code?: unknown })?.code === 'ECONNREFUSED') {
    io.err(`error: ${oneLine((error as Error).message)}: is the local cloud running (\`npm start\`, ports in DYNAMODB_PORT, SQS_S3_PORT, KMS_PORT)?\n`);
    return 1;
  }
  if (process.env.FMN_DEBUG) io.err(`${(error as Error)?.stack ?? String(error)}\n`);
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  // Class and message only: AWS errors name resources and codes, domain errors are written for clients (no personal data).
  io.err(`error: ${name}: ${oneLine(message)}\n`);
  return 1;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

if (require.main === module) {
  void runFmn(process.argv.slice(2)).then((code) => process.exit(code));
}
