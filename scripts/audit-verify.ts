/**
 * Ops command: verify the audit trail's hash chains and report the first break of each.
 *
 *   npm run audit:verify -- --local                      every chain of the local cloud
 *   npm run audit:verify -- --subject-id <uuid>          one subject's chain (AUDIT_TABLE_NAME, PSEUDONYM_KEY_ID set)
 *   npm run audit:verify -- --chain system               one chain by id
 *
 * Prints one JSON line per chain (`{"chainId", "checked", "ok", "firstBreak"?}`) and exits 1 if any chain is broken, so it can
 * run on a schedule and alarm. Reads pseudonyms and hashes only: nothing it prints identifies anyone.
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    local: { type: 'boolean', default: false },
    chain: { type: 'string' },
    'subject-id': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

async function main(): Promise<number> {
  if (values.help) {
    console.log('Usage: npm run audit:verify -- [--local] [--chain ID | --subject-id UUID]');
    return 0;
  }
  if (values.local) {
    process.env.AUDIT_TABLE_NAME ??= 'fmn-local-audit';
    process.env.PSEUDONYM_KEY_ID ??= 'alias/fmn-local/pseudonymKey';
    process.env.AWS_ENDPOINT_URL_DYNAMODB ??= `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
    process.env.AWS_ENDPOINT_URL_KMS ??= `http://127.0.0.1:${process.env.KMS_PORT ?? 4599}`;
    process.env.AWS_REGION ??= 'eu-west-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  }
  const { DynamoAuditReader } = await import('../lambdas/adapters/dynamo-audit');
  const { KmsPseudonyms } = await import('../lambdas/adapters/kms-pseudonyms');
  const { subjectChain, verifyChain } = await import('../lambdas/domain/audit');
  const { dynamodb } = await import('../lambdas/shared/clients');
  const { kms } = await import('../lambdas/shared/kms');
  const { requireEnv } = await import('../lambdas/shared/env');

  const reader = new DynamoAuditReader(dynamodb, requireEnv('AUDIT_TABLE_NAME'));
  let chains: string[];
  if (values['subject-id']) {
    const pseudonym = await new KmsPseudonyms(kms, requireEnv('PSEUDONYM_KEY_ID')).subject(values['subject-id']);
    chains = [subjectChain(pseudonym)];
  } else if (values.chain) {
    chains = [values.chain];
  } else {
    chains = await reader.chainIds();
  }
  let broken = 0;
  for (const chainId of chains) {
    const report = verifyChain(chainId, await reader.wholeChain(chainId), await reader.chainHead(chainId));
    if (!report.ok) broken++;
    console.log(JSON.stringify(report));
  }
  console.error(`${chains.length} chain(s) checked, ${broken} broken`);
  return broken > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`audit:verify failed: ${error.name}: ${error.message}`);
    process.exit(2);
  },
);
