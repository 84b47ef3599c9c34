/**
 * cdk-nag packs and acknowledgements.
 *
 * The app runs four packs (`registerNagPacks`): AwsSolutions, and the HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1
 * compliance packs. The compliance packs share most rule names (`<pack>-LambdaInsideVPC`…); a decision about one such rule
 * is acknowledged in all three at once with `acknowledgeCompliance`, on the construct it concerns.
 *
 * The wildcards that CDK's own `grant*` methods produce (AwsSolutions-IAM5) are acknowledged below as well.
 *
 * cdk-nag 3 matches acknowledgements by exact finding id, e.g. `AwsSolutions-IAM5[Resource::<table arn>/index/*]`, where
 * the ARN is written the way it appears in the synthesized policy: for a table in another stack that is the name of a
 * CloudFormation export CDK only picks while it prepares the app. So resource findings are acknowledged from a construct
 * validation, which runs after cross-stack references are resolved and before the validation plugins read the tree.
 */
import { Stack, Validations, type App } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, type NagPack } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

/** Rule-id prefixes (and validation-report plugin names) of the compliance packs. */
export const COMPLIANCE_PACKS = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'] as const;
export type CompliancePack = (typeof COMPLIANCE_PACKS)[number];

/** A fresh instance of each pack the app runs: AwsSolutions first, then the compliance packs. */
export function nagPacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
}

/** Registers every pack as a validation plugin: an open finding in any of them fails the synth. */
export function registerNagPacks(app: App): void {
  Validations.of(app).addPlugins(...nagPacks());
}

/**
 * Acknowledges a compliance-pack rule (`LambdaInsideVPC`, not `HIPAA.Security-LambdaInsideVPC`) on `scope`, in the given
 * packs (all three unless the rule is in fewer), with one reason.
 */
export function acknowledgeCompliance(
  scope: IConstruct,
  rule: string,
  reason: string,
  packs: readonly CompliancePack[] = COMPLIANCE_PACKS,
): void {
  Validations.of(scope).acknowledge(...packs.map((pack) => ({ id: `${pack}-${rule}`, reason })));
}

const IAM5 = 'AwsSolutions-IAM5';

/** Acknowledges wildcard actions (e.g. `kms:GenerateDataKey*`) that a grant adds to policies under `scope`. */
export function acknowledgeWildcardActions(scope: IConstruct, actions: readonly string[], reason: string): void {
  for (const action of actions) Validations.of(scope).acknowledge({ id: `${IAM5}[Action::${action}]`, reason });
}

/**
 * Acknowledges a wildcard resource under `scope` that is derived from a token, e.g. `${table.tableArn}/index/*`.
 * Only that exact resource is acknowledged; any other wildcard still fails the check.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  scope.node.addValidation({
    validate: () => {
      const flat = flattenCfnReference(Stack.of(scope).resolve(resource));
      Validations.of(scope).acknowledge({ id: `${IAM5}[Resource::${flat}]`, reason });
      return [];
    },
  });
}
