/**
 * `fmn recipients secret <id>`: the Standard Webhooks signing secret of a webhook recipient, for handing to that recipient
 * (over a channel agreed with it, never email in clear). The secret is not stored anywhere: it is derived with the KMS HMAC
 * key from a fixed label, the recipient id and its declared `secretVersion`, exactly as the webhook dispatcher derives it,
 * so only a caller allowed kms:GenerateMac on that key can print it. Rotate: raise `secretVersion` in lambdas/recipients.ts,
 * print the new secret, give it to the recipient, deploy.
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
      .description("Print a webhook recipient's signing secret (whsec_…), derived with the KMS HMAC key; nothing is stored.")
      .argument('<recipient>', 'a recipient id declared with a webhook delivery')
      .action(async (recipient: string, _options: unknown, command: Command) => {
        const { RECIPIENT_IDS, recipientOf } = await import('../../lambdas/recipients');
        const id = RECIPIENT_IDS.find((r) => r === recipient);
        if (!id) throw new UsageError(`no recipient ${recipient}: one of ${RECIPIENT_IDS.join(', ')}`);
        if (recipientOf(id).delivery.kind !== 'webhook') throw new UsageError(`${id} is told through its queue, not a webhook: it has no secret`);
        await useTarget(globalOptions(command), { keys: ['pseudonymKey'] });
        // Loaded after the environment is settled: the KMS client and key id are read when they load.
        const { webhookSecret } = await import('../../lambdas/wiring/webhooks');
        const { pseudonymHmac } = await import('../../lambdas/wiring/audit');
        io.out(`${await webhookSecret(pseudonymHmac(), id)}\n`);
      }),
    ['fmn recipients secret email-provider --local', 'fmn recipients secret email-provider --stage prod'],
  );
}
