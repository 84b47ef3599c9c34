/**
 * cdk-nag acknowledgements for the wildcards that CDK's own `grant*` methods produce (AwsSolutions-IAM5).
 *
 * cdk-nag 3 matches acknowledgements by exact finding id, e.g. `AwsSolutions-IAM5[Resource::<table arn>/index/*]`, where
 * the ARN is written the way it appears in the synthesized policy: for a table in another stack that is the name of a
 * CloudFormation export CDK only picks while it prepares the app. So resource findings are acknowledged from a construct
 * validation, which runs after cross-stack references are resolved and before the validation plugins read the tree.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

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
