/**
 * The example recipient service (`lib/example-recipient-stack.ts`): built only when asked, its table under a key of its
 * own, its function consuming the app-service recipient queue (disabled until the ack secret is given), granted its own
 * table and key and no store of the backend, and clean under the four cdk-nag packs.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { buildForgetMeNot, newInProcessApp } from '../../lib/app';
import { stageConfig } from '../../lib/config';
import { EXAMPLE_RECIPIENT_ENV, exampleRecipientFromContext } from '../../lib/example-recipient-stack';
import { nagPacks } from '../../lib/constructs/nag';
import { environmentOf, scratchDir, statementsOf, asList } from './support';

function build(settings: { enabled: boolean; secretCiphertext?: string }, stage: 'dev' | 'prod' = 'prod', nag = false) {
  const app = newInProcessApp({ outdir: scratchDir('fmn-example-recipient-'), context: { stage, 'aws:cdk:bundling-stacks': [] } });
  const built = buildForgetMeNot(app, { config: stageConfig(stage), exampleRecipient: settings, nag });
  return { app, built };
}

describe('the example recipient stack', () => {
  it('is not built unless asked (-c exampleRecipient=true)', () => {
    expect(build({ enabled: false }).built.exampleRecipient).toBeUndefined();
    const app = newInProcessApp({ outdir: scratchDir('fmn-example-context-'), context: { exampleRecipient: 'true', exampleRecipientSecret: 'c2VjcmV0' } });
    expect(exampleRecipientFromContext(app.node)).toEqual({ enabled: true, secretCiphertext: 'c2VjcmV0' });
    const typo = newInProcessApp({ outdir: scratchDir('fmn-example-typo-'), context: { exampleRecipient: 'yes' } });
    expect(() => exampleRecipientFromContext(typo.node)).toThrow(/must be true or false/);
  });

  it('keeps its records in a table of its own, under its own rotated key, with point-in-time recovery', () => {
    const { built } = build({ enabled: true });
    const template = Template.fromStack(built.exampleRecipient!);
    const keyId = built.exampleRecipient!.getLogicalId(built.exampleRecipient!.key.node.defaultChild as never);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'subjectId', KeyType: 'HASH' },
        { AttributeName: 'recordId', KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('consumes the app-service queue only once the ack secret is given, reporting failed items', () => {
    const disabled = Template.fromStack(build({ enabled: true }).built.exampleRecipient!);
    disabled.hasResourceProperties('AWS::Lambda::EventSourceMapping', { Enabled: false, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const { built } = build({ enabled: true, secretCiphertext: 'AQICAHh…' });
    Template.fromStack(built.exampleRecipient!).hasResourceProperties('AWS::Lambda::EventSourceMapping', { Enabled: true });
    const env = environmentOf(built.exampleRecipient!.worker);
    expect(env[EXAMPLE_RECIPIENT_ENV.secretCiphertext]).toBe('AQICAHh…');
    expect(Object.keys(env)).toEqual(expect.arrayContaining([EXAMPLE_RECIPIENT_ENV.table, EXAMPLE_RECIPIENT_ENV.apiUrl]));
  });

  it('is granted its own table and key and the queue, and no table or key of the backend', () => {
    const { built } = build({ enabled: true });
    const stack = built.exampleRecipient!;
    Template.fromStack(stack);
    const resources = statementsOf(stack.worker).flatMap((s) => asList(s.Resource).map((r) => JSON.stringify(stack.resolve(r))));
    for (const table of Object.values(built.stateful.resources.tables)) {
      expect(resources.some((r) => r.includes(JSON.stringify(stack.resolve(table.tableArn)).slice(1, -1)))).toBe(false);
    }
    const dataKey = JSON.stringify(stack.resolve(built.stateful.resources.keys.dataKey.keyArn));
    expect(resources).not.toContain(dataKey);
  });

  it('has no unacknowledged cdk-nag finding in any of the four packs', () => {
    const { app } = build({ enabled: true, secretCiphertext: 'AQICAHh…' }, 'prod', true);
    // The synth runs the packs as validation plugins (an error finding throws) after the acknowledgements are resolved.
    expect(() => app.synth()).not.toThrow();
    const findings = nagPacks().flatMap((pack) =>
      pack.validateScope(app).violations.map((v) => ({ rule: v.ruleName, paths: v.violatingResources.map((r) => r.constructPath ?? '') })),
    );
    expect(findings).toEqual([]);
  });
});
