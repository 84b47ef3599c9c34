/**
 * `fmn audit verify`: checks the audit trail's hash chains and reports the first break of each (was scripts/audit-verify.ts).
 * Exits 1 when any chain is broken, so it can run on a schedule and alarm. Reads pseudonyms and hashes only.
 */
import type { Command } from 'commander';
import { CommandFailedError, commandGroup, globalOptions, UsageError, withExamples, type CliContext } from '../command';
import { note, printRows, progress } from '../output';
import { useTarget } from '../target';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface VerifyOptions {
  readonly chain?: string;
  readonly subjectId?: string;
}

export function registerAudit(program: Command, { io }: CliContext): void {
  const audit = commandGroup(program, 'audit', 'The tamper-evident audit trail.');
  withExamples(audit, ['fmn audit verify --local']);

  withExamples(
    audit
      .command('verify')
      .description('Verify hash chains (all, one by id, or one subject\'s); exit 1 if any is broken.')
      .option('--chain <id>', 'one chain by id, e.g. system or subject#<pseudonym>')
      .option('--subject-id <uuid>', 'the chain of one subject (its pseudonym is derived with the pseudonym key)')
      .action(async (options: VerifyOptions, command: Command) => {
        if (options.chain !== undefined && options.subjectId !== undefined) throw new UsageError('give --chain or --subject-id, not both');
        if (options.subjectId !== undefined && !UUID.test(options.subjectId)) throw new UsageError('--subject-id must be a UUID');
        const global = globalOptions(command);
        await useTarget(global, { tables: ['audit'], keys: ['pseudonymKey'] });
        const { DynamoAuditReader } = await import('../../lambdas/adapters/dynamo-audit');
        const { KmsPseudonyms } = await import('../../lambdas/adapters/kms-pseudonyms');
        const { subjectChain, verifyChain } = await import('../../lambdas/domain/audit');
        const { dynamodb } = await import('../../lambdas/runtime/clients');
        const { kms } = await import('../../lambdas/runtime/kms');

        const reader = new DynamoAuditReader(dynamodb, process.env.AUDIT_TABLE_NAME!);
        let chains: string[];
        if (options.subjectId !== undefined) {
          const pseudonym = await new KmsPseudonyms(kms, process.env.PSEUDONYM_KEY_ID!).subject(options.subjectId);
          chains = [subjectChain(pseudonym)];
        } else if (options.chain !== undefined) {
          chains = [options.chain];
        } else {
          chains = await reader.chainIds();
        }
        const bar = progress(io, 'verify', chains.length, 'chains');
        const reports = [];
        try {
          for (const chainId of chains) {
            reports.push(verifyChain(chainId, await reader.wholeChain(chainId), await reader.chainHead(chainId)));
            bar.increment();
          }
        } finally {
          bar.stop();
        }
        printRows(io, global.json, reports, [
          { header: 'chain', value: (r) => r.chainId },
          { header: 'checked', value: (r) => r.checked },
          { header: 'ok', value: (r) => (r.ok ? 'yes' : 'BROKEN') },
          { header: 'first break', value: (r) => r.firstBreak },
        ]);
        const broken = reports.filter((r) => !r.ok).length;
        note(io, `${chains.length} chain(s) checked, ${broken} broken`);
        if (broken > 0) throw new CommandFailedError(`${broken} audit chain(s) broken`);
      }),
    [
      'fmn audit verify --local',
      'fmn audit verify --chain system --json',
      'fmn audit verify --subject-id 3f0c…-uuid --profile prod   # AUDIT_TABLE_NAME, PSEUDONYM_KEY_ID set',
    ],
  );
}
