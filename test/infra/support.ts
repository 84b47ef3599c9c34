/**
 * Shared set-up for the infra tests: synthesizes the app the way `bin/forget-me-not.ts` does (same builder, same cdk.json
 * feature flags) into a scratch directory, and reads policies and environments back out of the templates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestedStack, Stack, type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { buildForgetMeNot, newInProcessApp, type ForgetMeNot, type ForgetMeNotOptions } from '../../lib/app';
import { stageConfig, type DeploySwitches, type Stage, type StageConfig } from '../../lib/config';
import type { BackendFunction } from '../../lib/constructs/backend-function';

export interface SynthOptions {
  readonly stage?: Stage;
  readonly corsOrigins?: readonly string[];
  readonly oidcProviders?: StageConfig['oidcProviders'];
  readonly alarmEmails?: readonly string[];
  readonly clientIds?: StageConfig['clientIds'];
  readonly awaitRecipients?: readonly string[];
  /** `-c apiGatewayAccountRole=…`, `-c terminationProtection=…`, the trail switches. @default each setting's default */
  readonly switches?: Partial<DeploySwitches>;
  readonly api?: ForgetMeNotOptions['api'];
  /** Run esbuild for every function (slow); otherwise assets are stubbed, which templates do not notice. @default false */
  readonly bundle?: boolean;
  /** Register cdk-nag. @default false (the nag test does) */
  readonly nag?: boolean;
  /** The example recipient stack. @default off */
  readonly exampleRecipient?: ForgetMeNotOptions['exampleRecipient'];
}

export interface Synthesized extends ForgetMeNot {
  readonly app: App;
  readonly outdir: string;
  readonly statefulTemplate: Template;
  /** The API stack's own template: REST API and resource tree, stage, WAF, authorizer, models, gateway responses. */
  readonly apiTemplate: Template;
}

const outdirs: string[] = [];

/** Creates a scratch cloud-assembly directory, removed after the test file. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  outdirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function synth(options: SynthOptions = {}): Synthesized {
  const stage = options.stage ?? 'dev';
  const outdir = scratchDir(`fmn-infra-${stage}-`);
  const app = newInProcessApp({
    outdir,
    // An empty bundling-stacks list is what `cdk synth --exclusively` uses to skip asset bundling.
    context: { stage, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const built = buildForgetMeNot(app, {
    config: stageConfig(stage, {
      corsOrigins: options.corsOrigins,
      oidcProviders: options.oidcProviders,
      alarmEmails: options.alarmEmails,
      clientIds: options.clientIds,
      awaitRecipients: options.awaitRecipients,
      ...options.switches,
    }),
    api: options.api,
    nag: options.nag ?? false,
    exampleRecipient: options.exampleRecipient ?? { enabled: false },
  });
  return {
    ...built,
    app,
    outdir,
    statefulTemplate: Template.fromStack(built.stateful),
    apiTemplate: Template.fromStack(built.api),
  };
}

type Json = Record<string, any>;

const templates = new WeakMap<Stack, Template>();

/** The template of the stack, top-level or nested, that holds `scope` (a function's is its feature's nested stack). */
export function templateOf(scope: IConstruct): Template {
  const stack = Stack.of(scope);
  let template = templates.get(stack);
  if (!template) {
    template = Template.fromStack(stack);
    templates.set(stack, template);
  }
  return template;
}

/** The API stack and every stack nested in it (one per feature, and the jobs), the API stack first. */
export function apiStacks(built: Pick<ForgetMeNot, 'api'>): Stack[] {
  return [built.api, ...built.api.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c))];
}

/**
 * What a nested stack's template value stands for in its parent: `{ Ref: <parameter> }` becomes the value the parent
 * passes for that parameter (e.g. `{ Ref: <authorizer> }`); anything else is returned as it is.
 */
export function parameterValueOf(nested: Stack, value: unknown): unknown {
  const ref = (value as Json | undefined)?.Ref;
  if (!NestedStack.isNestedStack(nested) || typeof ref !== 'string' || !(ref in (templateOf(nested).toJSON().Parameters ?? {}))) {
    return value;
  }
  const parent = nested.nestedStackParent!;
  const stackResource = templateOf(parent).toJSON().Resources[parent.getLogicalId(nested.nestedStackResource!)] as Json;
  return stackResource.Properties.Parameters[ref];
}

/** Every resource of `type` in the API stack and its nested stacks. */
export function apiResources(built: Pick<ForgetMeNot, 'api'>, type: string): Json[] {
  return apiStacks(built).flatMap((stack) => Object.values(templateOf(stack).findResources(type)) as Json[]);
}

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** All statements of the inline policies attached to a function's role. */
export function statementsOf(fn: BackendFunction): PolicyStatement[] {
  const roleId = Stack.of(fn).getLogicalId(fn.role.node.defaultChild as CfnRole);
  const policies = Object.values(templateOf(fn).findResources('AWS::IAM::Policy')) as Json[];
  return policies
    .filter((p) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as PolicyStatement[]);
}

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The actions a function's role allows on exactly this resource (a resolved ARN as it appears in the template). */
export function actionsOn(statements: readonly PolicyStatement[], resource: unknown): string[] {
  const key = JSON.stringify(resource);
  return statements
    .filter((s) => s.Effect === 'Allow' && asList(s.Resource).some((r) => JSON.stringify(r) === key))
    .flatMap((s) => asList(s.Action))
    .sort();
}

/** Every action of a service (`dynamodb:`, `kms:`…) the role allows, on anything. */
export function serviceActions(statements: readonly PolicyStatement[], prefix: string): string[] {
  return statements.flatMap((s) => asList(s.Action)).filter((a) => a.startsWith(prefix));
}

/** A function's environment variables as they appear in its stack's template. */
export function environmentOf(fn: BackendFunction): Record<string, unknown> {
  return propertiesOf(fn.function).Environment?.Variables ?? {};
}

/** The template properties of a resource, from the template of the stack that holds it. */
export function propertiesOf(resource: IConstruct): Json {
  const cfn = (resource.node.defaultChild ?? resource) as CfnFunction;
  return (templateOf(resource).toJSON().Resources[Stack.of(resource).getLogicalId(cfn)] as Json).Properties;
}

/**
 * A token (ARN, name) resolved the way it appears in the template of the stack holding `scope` (a stack, or e.g. a
 * function in a nested stack): `{ "Fn::ImportValue": … }` for the stateful stack's resources.
 */
export function resolvedIn(scope: IConstruct, token: string): unknown {
  return Stack.of(scope).resolve(token);
}
