/**
 * `fmn admin create`: creates an admin account (was scripts/create-admin.ts). Admins are never created through the public
 * API; this runs with the operator's own AWS credentials (or against the local cloud) and uses the same domain code and
 * adapters as the register route, audited as `system:command:createAdmin`.
 *
 * The password is read from stdin only, never from arguments or the environment (both show up in `ps` and shell history).
 * Prints the new admin's subject id and roles, and the second factor the admin role requires at login: the otpauth URI
 * (and a QR code of it on stderr) for an authenticator app, and single-use recovery codes. They are shown this once and
 * never logged; the TOTP secret is stored sealed under the admin's own data key. No session is left behind.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import * as z from 'zod';
import { CommandFailedError, commandGroup, globalOptions, UsageError, withExamples, type CliContext, type Io } from '../command';
import { renderUnicodeCompact } from 'uqr';
import { note, printRecord } from '../output';
import { useTarget } from '../target';

const adminArgs = z.object({ email: z.email().max(254), displayName: z.string().trim().min(1).max(100) });

export function registerAdmin(program: Command, { io }: CliContext): void {
  const admin = commandGroup(program, 'admin', 'Admin accounts (never created through the API).');
  withExamples(admin, ['printf \'%s\\n\' "$ADMIN_PASSWORD" | fmn admin create --local --email dpo@example.com --display-name "DPO"']);

  withExamples(
    admin
      .command('create')
      .description('Create an admin account; the password is read from stdin (asked for on a terminal), never from arguments.')
      .requiredOption('--email <address>', 'the admin\'s login email')
      .requiredOption('--display-name <name>', 'the name shown for the admin')
      .action(async (options: { email: string; displayName: string }, command: Command) => {
        const args = adminArgs.safeParse(options);
        if (!args.success) {
          const issue = args.error.issues[0]!;
          throw new UsageError(`--${issue.path[0] === 'displayName' ? 'display-name' : String(issue.path[0])}: ${issue.message}`);
        }
        const global = globalOptions(command);
        await useTarget(global, { tables: ['users', 'subjectKeys', 'identities', 'sessions', 'audit'], keys: ['dataKey', 'pseudonymKey'] });
        const password = await readPassword(io);

        // Loaded after the environment is settled: the adapters read table names and endpoints when they load.
        const { register, EmailTakenError } = await import('../../lambdas/domain/accounts');
        const { PASSWORD_MIN_LENGTH } = await import('../../lambdas/domain/passwords');
        const { accountsContext } = await import('../../lambdas/wiring/accounts');
        const { totpCodes } = await import('../../lambdas/wiring/second-factor');
        const { createAdminCommand } = await import('../../lambdas/routes');
        const { auditTrails } = await import('../../lambdas/wiring/audit');
        if (password.length < PASSWORD_MIN_LENGTH) throw new UsageError(`the password must have at least ${PASSWORD_MIN_LENGTH} characters`);
        // Audited like a route: the service itself (on an operator's behalf) creates the account.
        const audit = auditTrails(createAdminCommand, 'command')!({ actorRole: 'system', correlationId: randomUUID() });
        const deps = accountsContext(createAdminCommand, { totp: totpCodes(global.stage ?? 'local') })(audit);
        try {
          const { account, secondFactor } = await register(deps, {
            profile: { email: args.data.email, displayName: args.data.displayName },
            password,
            deviceLabel: 'ops command',
            roles: ['admin'],
          });
          // The registration's session was never handed to anyone; end it rather than leave a token-less session behind.
          await deps.sessions.deleteAllForSubject(account.subjectId);
          if (!secondFactor) throw new Error('an admin was created without a second factor');
          printRecord(io, global.json, {
            subjectId: account.subjectId,
            roles: account.roles,
            otpauthUri: secondFactor.uri,
            recoveryCodes: secondFactor.recoveryCodes,
          });
          // For the admin's authenticator app; the URI above says the same for apps that take it pasted.
          note(io, `\nScan with an authenticator app (TOTP). Each recovery code works once; keep them offline.\n${renderUnicodeCompact(secondFactor.uri)}`);
        } catch (error) {
          if (error instanceof EmailTakenError) throw new CommandFailedError('an account with this email already exists');
          throw error;
        }
      }),
    [
      'printf \'%s\\n\' "$ADMIN_PASSWORD" | fmn admin create --local --email dpo@example.com --display-name "Data Protection Officer"',
      'fmn admin create --profile prod --email dpo@example.com --display-name DPO   # asks for the password',
    ],
  );
}

/** The first line of stdin; on a terminal, asked for without echo. */
async function readPassword(io: Io): Promise<string> {
  const input = io.stdin;
  const tty = Boolean(input.isTTY);
  if (tty) {
    io.err('Password (not echoed): ');
    input.setRawMode?.(true);
    const line = await readRawLine(input);
    input.setRawMode?.(false);
    io.err('\n');
    return line;
  }
  const rl = createInterface({ input, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

/** Reads keystrokes up to Enter without echoing them; Ctrl-C aborts. */
function readRawLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let line = '';
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          input.off('data', onData);
          input.pause();
          resolve(line);
          return;
        }
        if (char === '\u0003') {
          input.off('data', onData);
          input.pause();
          reject(new UsageError('cancelled'));
          return;
        }
        line = char === '\u007f' ? line.slice(0, -1) : line + char;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
