/**
 * `fmn`, the ops CLI: builds the program from the command modules under cli/commands/ and runs it.
 *
 *   npx fmn --help                 (bin/fmn.cjs)
 *   npm run fmn -- requests list --local
 *
 * Exit codes: 0 done; 1 the command ran and failed (or found a problem, like a broken audit chain); 2 bad arguments or a
 * missing setting (region, credentials, profile, stage, stack). Errors are one line on stderr (with `--json`, one JSON
 * object `{"error":{"code","message"}}` on stderr), never a stack trace: set FMN_DEBUG=1 to see one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ProblemError, problemOf } from '../lambdas/http/problems';
import { DomainError } from '../lambdas/domain/errors';
import { CommandFailedError, ConfigError, processIo, UsageError, type CliContext, type Io, type RegisterCommand } from './command';
import { registerAdmin } from './commands/admin';
import { registerAudit } from './commands/audit';
import { registerBreachScope } from './commands/breach-scope';
import { registerDataDocs } from './commands/data-docs';
import { registerDeps } from './commands/deps';
import { registerDlq } from './commands/dlq';
import { registerJob } from './commands/job';
import { registerKeys } from './commands/keys';
import { registerConsent } from './commands/consent';
import { registerPseudonymize } from './commands/pseudonymize';
import { registerRecipients } from './commands/recipients';
import { registerRequests } from './commands/requests';
import { registerSeedStaging } from './commands/seed-staging';
import { registerStack } from './commands/stack';

/** Every command module, in the order `fmn --help` lists them. */
export const COMMAND_MODULES: readonly RegisterCommand[] = [
  registerRequests,
  registerDlq,
  registerJob,
  registerAudit,
  registerAdmin,
  registerDataDocs,
  registerPseudonymize,
  registerSeedStaging,
  registerBreachScope,
  registerDeps,
  registerStack,
  registerRecipients,
  registerKeys,
  registerConsent,
];

/** The package's version, for `fmn --version`. */
export const FMN_VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** The whole program, writing to `io`; `exitOverride` everywhere so {@link runFmn} decides the exit code. */
export function buildProgram(io: Io = processIo, modules: readonly RegisterCommand[] = COMMAND_MODULES, { json = false } = {}): Command {
  const program = new Command('fmn')
    .description('Operate a Forget-Me-Not backend: rights requests, the DLQ, scheduled jobs, the audit trail, admins, data docs, pseudonymised dumps, breach scope, index keys, consent figures.')
    .version(FMN_VERSION, '-V, --version', 'print fmn\'s version')
    .addOption(new Option('--local', 'act on the local cloud of `npm start` (its names and ports; AWS settings are ignored)'))
    .addOption(new Option('--stage <stage>', 'act on a deployed stage: names from its stack FmnStateful-<stage>\'s outputs'))
    .addOption(new Option('--stack <name>', 'act on the deployment of this stateful stack (its outputs name every resource)'))
    .addOption(new Option('--env <name>', 'a named environment (profile, region, stage) of fmn.config.json (default: FMN_ENV)'))
    .addOption(new Option('--profile <name>', 'AWS profile to use (default: AWS_PROFILE)'))
    .addOption(new Option('--region <region>', 'AWS region (default: AWS_REGION or the profile\'s)'))
    .addOption(new Option('--json', 'machine-readable output: one JSON object per line; errors as {"error":{…}} on stderr'))
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText(
      'after',
      '\nTargets (the first that applies):\n' +
        '  --local                 npm start\'s cloud (honours DYNAMODB_PORT, SQS_S3_PORT, KMS_PORT, AWS_ENDPOINT_URL_*)\n' +
        '  --stage/--stack/--env   a deployed stack: every name from its outputs (CloudFormation DescribeStacks)\n' +
        '  (none of those)         names from USERS_TABLE_NAME, RIGHTS_REQUEST_QUEUE_URL, … in the environment\n' +
        '\nExit codes: 0 done, 1 failed, 2 bad arguments or a missing setting. FMN_DEBUG=1 shows stack traces.\n' +
        '\nExamples:\n  $ fmn requests list --local --overdue\n  $ fmn audit verify --stage prod --profile prod --region eu-west-1 --json\n',
    );
  const context: CliContext = { io };
  for (const register of modules) register(program, context);
  configureRecursively(program, io, json);
  return program;
}

function configureRecursively(command: Command, io: Io, json: boolean): void {
  command.exitOverride().configureOutput({
    writeOut: io.out,
    writeErr: io.err,
    // With --json the error is printed once, as JSON, by reportError.
    outputError: (text, write) => (json ? undefined : write(`${oneLine(text)}\n`)),
  });
  for (const sub of command.commands) configureRecursively(sub, io, json);
}

/** Runs `fmn` with `argv` (without node and the script) and resolves with the exit code; never throws. */
export async function runFmn(argv: readonly string[], io: Io = processIo): Promise<number> {
  // The SDK's eight-line notice that its 2027 releases need Node 22 would bury one-line results and errors; the lock file
  // pins SDK releases that run on Node 20, and deps-exceptions.json records the Node 22 move.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Known before parsing, so that errors in the arguments themselves come out as JSON too.
  const json = argv.includes('--json');
  const program = buildProgram(io, COMMAND_MODULES, { json });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, io, json);
  }
}

/** What went wrong, for the person (one line) or a script (`--json`): a stable code, a message, the exit code. */
export interface CliFailure {
  readonly code: string;
  readonly message: string;
  readonly exitCode: number;
}

/** The one place that turns any error into a {@link CliFailure}. Messages name resources and codes, never personal data. */
export function describeFailure(thrown: unknown): CliFailure {
  const error = thrown instanceof DomainError ? problemOf(thrown) : thrown;
  if (error instanceof CommanderError) {
    return { code: 'usage', message: oneLine(error.message.replace(/^error:\s*/i, '')), exitCode: error.exitCode === 0 ? 0 : 2 };
  }
  if (error instanceof ConfigError) return { code: 'config', message: oneLine(error.message), exitCode: 2 };
  if (error instanceof UsageError) return { code: 'usage', message: oneLine(error.message), exitCode: 2 };
  if (error instanceof CommandFailedError) return { code: 'failed', message: oneLine(error.message), exitCode: 1 };
  if (error instanceof ProblemError && error.status < 500) {
    // A domain refusal (not found, not possible in this state): the same words the API would answer with.
    return { code: error.slug ?? 'refused', message: `${error.title}: ${oneLine(error.detail ?? '')}`, exitCode: 1 };
  }
  const err = (error ?? {}) as Error & { code?: unknown; $metadata?: unknown; fmnResource?: string };
  if (err.code === 'ECONNREFUSED') {
    return {
      code: 'unreachable',
      message: `${oneLine(err.message)}: is the local cloud running (\`npm start\`, ports in DYNAMODB_PORT, SQS_S3_PORT, KMS_PORT)?`,
      exitCode: 1,
    };
  }
  const config = sdkConfigFailure(err);
  if (config) return config;
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  if (err.$metadata !== undefined) {
    // An AWS answer: its code, and the table, queue or key the call was about (cli/aws-errors.ts notes it on the error).
    return { code: name, message: `AWS ${name}${err.fmnResource ? ` on ${err.fmnResource}` : ''}: ${oneLine(message)}`, exitCode: 1 };
  }
  // Class and message only: domain errors are written for clients (no personal data).
  return { code: name, message: `${name}: ${oneLine(message)}`, exitCode: 1 };
}

/** SDK errors that are really missing settings (found only when a call is made): exit 2, naming what is missing. */
function sdkConfigFailure(error: Error): CliFailure | undefined {
  if (error.name === 'CredentialsProviderError' || /could not load credentials/i.test(error.message ?? '')) {
    return { code: 'config', message: 'no AWS credentials: pass --profile, or set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY', exitCode: 2 };
  }
  if (/^region is missing/i.test(error.message ?? '')) {
    return { code: 'config', message: 'no AWS region: pass --region, set AWS_REGION, or give the profile a region', exitCode: 2 };
  }
  if (['ExpiredToken', 'ExpiredTokenException', 'UnrecognizedClientException', 'InvalidClientTokenId'].includes(error.name)) {
    return { code: 'config', message: `AWS refused the credentials (${error.name}): refresh them (e.g. aws sso login) or pick another --profile`, exitCode: 2 };
  }
  return undefined;
}

/** Prints the failure (one line, or a JSON object with `--json`) on stderr and returns its exit code. */
export function reportError(error: unknown, io: Io, json = false): number {
  const failure = describeFailure(error);
  if (error instanceof CommanderError) {
    // Help and version are "errors" under exitOverride; commander has already printed them (and, without --json, its errors).
    if (failure.exitCode === 0 || !json) return failure.exitCode;
  }
  if (process.env.FMN_DEBUG && error instanceof Error && !(error instanceof CommanderError)) io.err(`${error.stack ?? String(error)}\n`);
  if (json) io.err(`${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n`);
  else io.err(`error: ${failure.message}\n`);
  return failure.exitCode;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

if (require.main === module) {
  void runFmn(process.argv.slice(2)).then((code) => process.exit(code));
}
