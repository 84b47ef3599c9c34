/**
 * `fmn recipients secret <id>`: the Standard Webhooks signing secret of a recipient (a webhook's messages are signed with it,
 * and every recipient, queue ones too, signs its acks with it), for handing to that recipient
 * (over a channel agreed with it, never email in clear). The secret is not stored anywhere: it is derived with the KMS HMAC
 * key from a fixed label, the recipient id and its declared `secretVersion`, exactly as the webhook dispatcher derives it,
 * so only a caller allowed kms:GenerateMac on that key can print it. Rotate: print the next version's secret
 * (`--secret-version N`), give it to the recipient, then raise `secretVersion` to N and set `previousSecret` to the old version
 * with an `until`, deploy: until then messages carry both signatures, so the recipient may switch whenever it is ready.
 */
import type { Command } from 'commander';
import { commandGroup, globalOptions, UsageError, withExamples, type CliContext } from '../command';
import { useTarget } from '../target';

export function registerRecipients(program: Command, { io }: CliContext): void {
  const recipients = commandGroup(program, 'recipients', 'Recipients of the subjects\' data (lambdas/recipients.ts).');
  withExamples(recipients, ['fmn recipients secret email-provider --local']);
  withExamples(
    recipients
      .command('secret')
      .description("Print a recipient's signing secret (whsec_…: webhooks and acks), derived with the KMS HMAC key; nothing is stored.")
      .argument('<recipient>', 'a declared recipient id')
      .option('--secret-version <n>', 'the secret version to derive (default: the declared secretVersion); for a rotation')
      .action(async (recipient: string, options: { secretVersion?: string }, command: Command) => {
        const { RECIPIENT_IDS } = await import('../../lambdas/recipients');
        const id = RECIPIENT_IDS.find((r) => r === recipient);
        if (!id) throw new UsageError(`no recipient ${recipient}: one of ${RECIPIENT_IDS.join(', ')}`);
        const version = options.secretVersion === undefined ? undefined : Number(options.secretVersion);
        if (version !== undefined && !(Number.isInteger(version) && version >= 1)) throw new UsageError(`--secret-version must be a whole number from 1: ${options.secretVersion}`);
        await useTarget(globalOptions(command), { keys: ['pseudonymKey'] });
        // Loaded after the environment is settled: the KMS client and key id are read when they load.
        const { webhookSecret } = await import('../../lambdas/wiring/webhooks');
        const { pseudonymHmac } = await import('../../lambdas/wiring/audit');
        io.out(`${await webhookSecret(pseudonymHmac(), id, version)}\n`);
      }),
    [
      'fmn recipients secret email-provider --local',
      'fmn recipients secret email-provider --stage prod',
      'fmn recipients secret email-provider --secret-version 2 --stage prod',
    ],
  );
}
