/**
 * Ops command: create an admin account. Admins are never created through the public API; this runs with the operator's own
 * AWS credentials (or against the local cloud) and uses the same domain code and adapters as the register route.
 *
 *   printf '%s' "$ADMIN_PASSWORD" | npm run admin:create -- --local --email dpo@example.com --display-name "Data Protection"
 *   npm run admin:create -- --email dpo@example.com --display-name "DPO"     # asks for the password on the terminal
 *
 * The password is read from stdin, never from arguments or the environment (both show up in `ps` and shell history).
 * Without `--local`, the table names and key ids come from the environment variables the stateful stack prints as outputs
 * (USERS_TABLE_NAME, SUBJECT_KEYS_TABLE_NAME, IDENTITIES_TABLE_NAME, SESSIONS_TABLE_NAME, DATA_KEY_ID, PSEUDONYM_KEY_ID).
 * Prints the new admin's subject id only: no session is left behind, the admin logs in like anyone else.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { KEY_IDS, TABLE_IDS, keyEnvVar, tableEnvVar } from '../lambdas/shared/resources';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    'display-name': { type: 'string' },
    local: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const usage = 'Usage: npm run admin:create -- [--local] --email ADDRESS --display-name NAME   (password on stdin)';

/** The names `npm start` gives its resources (local/provision.ts) and its default ports. */
function useLocalCloud(): void {
  for (const id of TABLE_IDS) process.env[tableEnvVar(id)] ??= `fmn-local-${id}`;
  for (const id of KEY_IDS) process.env[keyEnvVar(id)] ??= `alias/fmn-local/${id}`;
  process.env.AWS_ENDPOINT_URL_DYNAMODB ??= `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
  process.env.AWS_ENDPOINT_URL_KMS ??= `http://127.0.0.1:${process.env.KMS_PORT ?? 4599}`;
  process.env.AWS_REGION ??= 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}

async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (input.isTTY) process.stderr.write('Password (not echoed): ');
  const rl = createInterface({ input, terminal: false });
  if (input.isTTY) input.setRawMode?.(false);
  for await (const line of rl) {
    rl.close();
    if (input.isTTY) process.stderr.write('\n');
    return line;
  }
  return '';
}

async function main(): Promise<number> {
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const args = z
    .object({ email: z.email().max(254), displayName: z.string().trim().min(1).max(100) })
    .safeParse({ email: values.email, displayName: values['display-name'] });
  if (!args.success) {
    console.error(`${usage}\n${args.error.issues.map((i) => `  --${String(i.path[0]).replace('displayName', 'display-name')}: ${i.message}`).join('\n')}`);
    return 2;
  }
  if (values.local) useLocalCloud();
  const password = await readPassword();

  // Loaded after the environment is settled: the adapters read table names and endpoints when they load.
  const { register, EmailTakenError } = await import('../lambdas/domain/accounts');
  const { PASSWORD_MIN_LENGTH } = await import('../lambdas/domain/passwords');
  const { accountsContext } = await import('../lambdas/shared/accounts-context');
  const { createAdminCommand } = await import('../lambdas/routes');
  const { auditTrails } = await import('../lambdas/shared/audit-context');
  if (password.length < PASSWORD_MIN_LENGTH) {
    console.error(`The password must have at least ${PASSWORD_MIN_LENGTH} characters.`);
    return 2;
  }
  // The command is audited like a route: the service itself (on an operator's behalf) creates the account.
  const audit = auditTrails(createAdminCommand, 'command')!({ actorRole: 'system', correlationId: randomUUID() });
  const deps = accountsContext(createAdminCommand)(audit);
  try {
    const { account } = await register(deps, {
      profile: { email: args.data.email, displayName: args.data.displayName },
      password,
      deviceLabel: 'ops command',
      roles: ['admin'],
    });
    // The registration's session was never handed to anyone; end it rather than leave a live token-less session behind.
    await deps.sessions.deleteAllForSubject(account.subjectId);
    console.log(JSON.stringify({ subjectId: account.subjectId, roles: account.roles }));
    return 0;
  } catch (error) {
    if (error instanceof EmailTakenError) {
      console.error('An account with this email already exists.');
      return 1;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`admin:create failed: ${error.name}: ${error.message}`);
    process.exit(1);
  },
);
