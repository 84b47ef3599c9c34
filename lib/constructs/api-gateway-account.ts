/**
 * The region's API Gateway account setting: the IAM role API Gateway assumes to write stage logs (access logs included)
 * to CloudWatch Logs. Without it, the first deploy to a fresh account or region fails at the stage with "CloudWatch Logs
 * role ARN must be set in account settings to enable logging".
 *
 * There is one such setting per account and region, shared by every REST API there. Both resources are retained: deleting
 * this app's stack must not take logging away from other APIs (CloudFormation cannot reset the setting anyway; a deleted
 * role would leave it pointing at nothing).
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeCompliance, acknowledgeWildcardResource } from './nag';

/**
 * What API Gateway does with the role: create log groups and streams (execution logs go to groups it names itself,
 * `API-Gateway-Execution-Logs_<api>/<stage>`) and put events. The AWS managed policy AmazonAPIGatewayPushToCloudWatchLogs
 * also allows reading logs back (GetLogEvents, FilterLogEvents), which API Gateway never does.
 */
export const API_GATEWAY_LOGGING_ACTIONS = [
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:DescribeLogGroups',
  'logs:DescribeLogStreams',
  'logs:PutLogEvents',
] as const;

export class ApiGatewayAccountLogging extends Construct {
  public readonly role: iam.Role;
  public readonly account: apigateway.CfnAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Log groups of this account and region only: the setting is regional, and it serves every API here, whose log group
    // names this app cannot know.
    const logGroups = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway (account setting, every REST API in this region): write stage logs to CloudWatch Logs',
      inlinePolicies: {
        PushToCloudWatchLogs: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: [...API_GATEWAY_LOGGING_ACTIONS], resources: [logGroups] })],
        }),
      },
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.account = new apigateway.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN);

    acknowledgeWildcardResource(
      this.role,
      logGroups,
      'The API Gateway account role serves every REST API in this account and region, and API Gateway names the ' +
        'execution-log groups itself (API-Gateway-Execution-Logs_<api>/<stage>): it cannot be scoped to log groups known ' +
        "here. It is limited to this account's and region's log groups, and to creating and writing logs (no reads).",
    );
    acknowledgeCompliance(
      this.role,
      'IAMNoInlinePolicy',
      'Five logging actions in one statement, attached to this single-purpose role only; the AWS managed alternative ' +
        '(AmazonAPIGatewayPushToCloudWatchLogs) also grants reading logs back, and a customer managed policy would be the ' +
        'same statement in a shareable wrapper.',
    );
  }
}
