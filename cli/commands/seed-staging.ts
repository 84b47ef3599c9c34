/**
 * `fmn seed-staging`: loads the output of `fmn pseudonymize` into the target environment's tables, re-keying every account
 * under the target's own KMS keys (fresh data key, sealed synthetic profile, blind index of the synthetic email). The logic
 * is ops/seed-staging.ts; this picks the target, reads the optional staging password from stdin and prints the summary.
 *
 * The staging password is read from stdin only (piped), never from arguments or the environment.
 *
 * Rails: it refuses a production target (stage `prod`, by flag, named environment or the stack's `fmn:stage` tag) and, on
 * AWS, a target whose stage it cannot tell (give --stage, --stack or --env); it refuses a target whose tables already hold
 * items (a seed is for an empty environment, never a merge); it asks before writing (--yes skips), and --dry-run reads and
 * counts the dump without writing.
 */
import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import { TABLE_IDS, keyEnvVar, tableEnvVar, type TableId } from '../../lambdas/runtime/resources';
import { confirm, ConfigError, globalOptions, UsageError, withExamples, withSafetyRails, type CliContext, type Io, type SafetyOptions } from '../command';
import { note, printRecord, progress, type Progress } from '../output';
import { useTarget } from '../target';

interface SeedCliOptions extends SafetyOptions {
  readonly store?: string;
  readonly format?: 'dynamodb' | 'jsonl';
  readonly include?: TableId[];
  readonly stagingPasswordStdin?: boolean;
}

export function registerSeedStaging(program: Command, { io }: CliContext): void {
  withExamples(
    withSafetyRails(program
      .command('seed-staging'))
      .description('Load a pseudonymised dump into the target\'s tables; accounts are re-keyed under the target\'s KMS keys.')
      .argument('<input>', 'the output of fmn pseudonymize (.gz is read as gzip)')
      .option('--store <store>', 'the store of lines that do not name their own (a DynamoDB export is one table per file)')
      .addOption(new Option('--format <format>', 'the line format (default: detected per line)').choices(['dynamodb', 'jsonl']))
      .addOption(
        new Option('--include <tables...>', 'tables to load (default: all but subjectKeys, loginThrottle and audit)').choices([...TABLE_IDS]),
      )
      .option('--staging-password-stdin', 'give every seeded (non-admin) account that had a password this one (first line of stdin); else no password')
      .action(async (input: string, options: SeedCliOptions, command: Command) => {
        const global = globalOptions(command);
        const stagingPassword = options.stagingPasswordStdin ? await readPipedLine(io) : undefined;
        const { OpsInputError } = await import('../../ops/errors');
        const { NOT_SEEDED_BY_DEFAULT, seedStaging } = await import('../../ops/seed-staging');
        // Only the tables this run writes must be named (users bring their keys and email claims along).
        const include = options.include ?? TABLE_IDS.filter((t) => !NOT_SEEDED_BY_DEFAULT.includes(t));
        const needed = [...new Set<TableId>([...include, ...(include.includes('users') ? (['subjectKeys', 'identities'] as const) : [])])];
        const target = await useTarget(global, { tables: needed, keys: ['dataKey', 'pseudonymKey'] });
        if (target.stage === 'prod') throw new ConfigError(`refusing to seed ${target.description}: it is production (stage prod)`);
        if (target.kind === 'aws' && target.stage === undefined) {
          throw new ConfigError(
            target.stack !== undefined
              ? `refusing to seed stack '${target.stack}': it has no fmn:stage tag (the app tags the stacks it deploys), so fmn cannot tell it is not production`
              : 'name the target with --stage, --stack or --env, so that fmn can tell it is not production',
          );
        }
        const { KmsSubjectKeyring } = await import('../../lambdas/adapters/kms-keyring');
        const { KmsPseudonyms } = await import('../../lambdas/adapters/kms-pseudonyms');
        const { DEFAULT_SCRYPT, PASSWORD_MIN_LENGTH } = await import('../../lambdas/domain/passwords');
        const { intEnv } = await import('../../lambdas/runtime/env');
        const { dynamodb } = await import('../../lambdas/runtime/clients');
        const { kms } = await import('../../lambdas/runtime/kms');
        if (stagingPassword !== undefined && stagingPassword.length < PASSWORD_MIN_LENGTH) {
          throw new UsageError(`the staging password must have at least ${PASSWORD_MIN_LENGTH} characters`);
        }
        const tables = Object.fromEntries(needed.map((id) => [id, process.env[tableEnvVar(id)]!])) as Partial<Record<TableId, string>>;
        const holding = await nonEmptyTables(dynamodb, tables);
        if (holding.length > 0) {
          throw new ConfigError(`refusing to seed ${target.description}: not empty (${holding.join(', ')} hold items); seed only an empty environment`);
        }
        if (!options.dryRun) await confirm(io, `seed ${include.join(', ')} on ${target.description} from ${input}`, options.yes);
        const dataKeyId = process.env[keyEnvVar('dataKey')]!;
        let bar: Progress | undefined;
        let shown = 0;
        try {
          const result = await seedStaging(
            {
              input,
              store: options.store,
              format: options.format,
              include,
              tables,
              stagingPassword,
              dryRun: options.dryRun,
              // The target's own scrypt cost, so its logins do not re-hash on first use.
              scrypt: { ...DEFAULT_SCRYPT, logN: intEnv('PASSWORD_SCRYPT_LOG_N', DEFAULT_SCRYPT.logN) },
              onProgress: ({ bytesRead, totalBytes }) => {
                bar ??= progress(io, 'seed', totalBytes, 'bytes');
                bar.increment(bytesRead - shown);
                shown = bytesRead;
              },
            },
            {
              db: dynamodb,
              newKeyring: () => new KmsSubjectKeyring(kms, dynamodb, dataKeyId, tables.subjectKeys ?? ''),
              pseudonyms: new KmsPseudonyms(kms, process.env[keyEnvVar('pseudonymKey')]!),
            },
          );
          bar?.stop();
          printRecord(io, global.json, {
            ...(options.dryRun ? { dryRun: true } : {}),
            accounts: result.accounts,
            items: result.itemsByTable,
            skipped: result.skipped,
            adminsAsSubjects: result.adminsAsSubjects,
          });
          if (options.dryRun) note(io, 'dry run: the dump was read and checked; nothing was written');
          if (result.adminsAsSubjects > 0) note(io, `${result.adminsAsSubjects} admin account(s) seeded as plain subjects; create the target's admins with fmn admin create`);
          if (stagingPassword === undefined && result.accounts > 0) note(io, 'seeded accounts have no password (see --staging-password-stdin)');
        } catch (error) {
          bar?.stop();
          if (error instanceof OpsInputError) throw new UsageError(error.message);
          throw error;
        }
      }),
    [
      'fmn seed-staging staging-dump.jsonl --local --dry-run',
      'printf \'%s\\n\' "$STAGING_PASSWORD" | fmn seed-staging staging-dump.jsonl --staging-password-stdin --stage staging --yes',
      'fmn seed-staging users.json.gz --store users --include users --stage staging --yes --json',
    ],
  );
}

/** The first line of piped stdin. On a terminal it would echo, so a password must be piped. */
async function readPipedLine(io: Io): Promise<string> {
  if (io.stdin.isTTY) throw new UsageError('pipe the staging password on stdin: printf \'%s\\n\' "$STAGING_PASSWORD" | fmn seed-staging …');
  const lines = createInterface({ input: io.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/** The tables among `tables` that hold at least one item (one Scan with Limit 1 each: an offline ops check, not a hot path). */
async function nonEmptyTables(db: import('@aws-sdk/lib-dynamodb').DynamoDBDocumentClient, tables: Partial<Record<TableId, string>>): Promise<TableId[]> {
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  const holding: TableId[] = [];
  for (const [id, name] of Object.entries(tables) as [TableId, string][]) {
    const { Count = 0 } = await db.send(new ScanCommand({ TableName: name, Limit: 1, Select: 'COUNT' }));
    if (Count > 0) holding.push(id);
  }
  return holding;
}
