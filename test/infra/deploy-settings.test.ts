/**
 * What a first deploy to a fresh account needs, and the switches around it: the region's API Gateway CloudWatch role
 * (`AWS::ApiGateway::Account`, retained, the stage depends on it), termination protection as a setting, and the
 * `authorizerChangeDeploymentLogicalId` feature flag on in every in-process app as in `cdk synth`.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { cdkJsonContext, newInProcessApp } from '../../lib/app';
import { API_GATEWAY_LOGGING_ACTIONS } from '../../lib/constructs/api-gateway-account';
import { synth, type Synthesized } from './support';

type Json = Record<string, any>;

let dev: Synthesized;
let skipped: Synthesized;

beforeAll(() => {
  dev = synth({ stage: 'dev' });
  skipped = synth({ stage: 'prod', switches: { apiGatewayAccountRole: false, terminationProtection: true } });
});

/** The stage's resource and the template of the stack that holds it. */
function stageOf(s: Synthesized): { template: Json; stage: Json } {
  const stack = Stack.of(s.api.api.deploymentStage);
  const template = Template.fromStack(stack).toJSON();
  return { template, stage: template.Resources[stack.getLogicalId(s.api.api.deploymentStage.node.defaultChild as apigateway.CfnStage)] };
}

const ofType = (template: Json, type: string) => Object.entries(template.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);

describe('the API Gateway account CloudWatch role', () => {
  it('is set once, to a role only API Gateway may assume, and the stage (with access logging) depends on it', () => {
    const { template, stage } = stageOf(dev);
    const accounts = ofType(template, 'AWS::ApiGateway::Account');
    expect(accounts).toHaveLength(1);
    const [accountId, account] = accounts[0];
    expect(stage.Properties.AccessLogSetting).toBeDefined();
    expect(stage.DependsOn).toContain(accountId);

    const roleId = account.Properties.CloudWatchRoleArn['Fn::GetAtt'][0] as string;
    const role = template.Resources[roleId] as Json;
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } },
    ]);
  });

  it("may create and write this account's and region's log groups, and nothing else", () => {
    const { template } = stageOf(dev);
    const [, role] = ofType(template, 'AWS::IAM::Role').find(([, r]) => JSON.stringify(r).includes('apigateway.amazonaws.com'))!;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = (role.Properties.Policies as Json[]).flatMap((p) => p.PolicyDocument.Statement);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: [...API_GATEWAY_LOGGING_ACTIONS],
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:*']],
        },
      },
    ]);
    expect(API_GATEWAY_LOGGING_ACTIONS).not.toContain('logs:GetLogEvents');
    // No other role of the stack trusts API Gateway.
    const trusting = ofType(template, 'AWS::IAM::Role').filter(([, r]) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('apigateway'));
    expect(trusting).toHaveLength(1);
  });

  it('outlives the stack, role and setting both (other APIs in the region log through it)', () => {
    const { template } = stageOf(dev);
    const [[accountId, account]] = ofType(template, 'AWS::ApiGateway::Account');
    const roleId = account.Properties.CloudWatchRoleArn['Fn::GetAtt'][0] as string;
    for (const id of [accountId, roleId]) {
      expect({ id, ...pick(template.Resources[id], 'DeletionPolicy', 'UpdateReplacePolicy') }).toEqual({
        id,
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });

  it('is left out with -c apiGatewayAccountRole=false (the account already has one), and the stage depends on nothing for it', () => {
    const { template, stage } = stageOf(skipped);
    expect(ofType(template, 'AWS::ApiGateway::Account')).toEqual([]);
    expect(JSON.stringify(stage.DependsOn ?? [])).not.toContain('Account');
    expect(stage.Properties.AccessLogSetting).toBeDefined();
  });
});

describe('termination protection', () => {
  const manifestOf = (s: Synthesized, stack: Stack) => s.app.synth().getStackByName(stack.stackName);

  it('is off by default, prod included, so a failed first deploy can be deleted', () => {
    const prod = synth({ stage: 'prod' });
    for (const stack of [prod.stateful, prod.api]) expect(manifestOf(prod, stack).terminationProtection).toBeFalsy();
    for (const stack of [dev.stateful, dev.api]) expect(manifestOf(dev, stack).terminationProtection).toBeFalsy();
  });

  it('protects both stacks with -c terminationProtection=true', () => {
    for (const stack of [skipped.stateful, skipped.api]) expect(manifestOf(skipped, stack).terminationProtection).toBe(true);
  });
});

describe('@aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId', () => {
  const FLAG = '@aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId';

  it('is on in cdk.json, which every in-process app (tests, local cloud) applies', () => {
    expect(cdkJsonContext()[FLAG]).toBe(true);
    expect(newInProcessApp().node.tryGetContext(FLAG)).toBe(true);
  });

  it('makes an authorizer change redeploy the stage (a new deployment logical id)', () => {
    const deploymentWith = (cacheSeconds: number, flag?: boolean) => {
      const stack = new Stack(newInProcessApp(flag === undefined ? {} : { context: { [FLAG]: flag } }), 'Probe');
      const code = lambda.Code.fromInline('exports.handler = async () => ({ isAuthorized: false });');
      const handler = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
      const api = new apigateway.RestApi(stack, 'Api', { cloudWatchRole: false });
      const authorizer = new apigateway.RequestAuthorizer(stack, 'Auth', {
        handler,
        identitySources: [apigateway.IdentitySource.header('Authorization')],
        resultsCacheTtl: Duration.seconds(cacheSeconds),
      });
      api.root.addMethod('GET', new apigateway.MockIntegration(), { authorizer, authorizationType: apigateway.AuthorizationType.CUSTOM });
      return ofType(Template.fromStack(stack).toJSON(), 'AWS::ApiGateway::Deployment').map(([id]) => id);
    };
    const [before] = deploymentWith(60);
    const [after] = deploymentWith(30);
    expect(before).toBeDefined();
    expect(after).not.toBe(before);
    // Without the flag the deployment would stay, and the stage would keep serving the old authorizer settings.
    expect(deploymentWith(30, false)).toEqual(deploymentWith(60, false));
  });
});

function pick(resource: Json, ...keys: string[]): Json {
  return Object.fromEntries(keys.map((k) => [k, resource[k]]));
}
