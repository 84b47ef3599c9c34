/**
 * Shared set-up for the infra tests: synthesizes the app the way `bin/forget-me-not.ts` does (same builder, same cdk.json
 * feature flags) into a scratch directory, and reads policies and environments back out of the templates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { buildForgetMeNot, newInProcessApp, type ForgetMeNot, type ForgetMeNotOptions } from '../../lib/app';
import { stageConfig, type DeploySwitches, type Stage, type StageConfig } from '../../lib/config';
import type { BackendFunction } from '../../lib/constructs/backend-function';

export interface SynthOptions {
  readonly stage?: Stage;
  readonly corsOrigins?: readonly string[];
  readonly oidcProviders?: StageConfig['oidcProviders'];
  readonly alarmEmails?: readonly string[];
  readonly clientIds?: StageConfig['clientIds'];
  /** `-c apiGatewayAccountRole=…`, `-c terminationProtection=…`, the trail switches. @default each setting's default */
  readonly switches?: Partial<DeploySwitches>;
  readonly api?: ForgetMeNotOptions['api'];
  /** Run esbuild for every function (slow); otherwise assets are stubbed, which templates do not notice. @default false */
  readonly bundle?: boolean;
  /** Register cdk-nag. @default false (the nag test does) */
  readonly nag?: boolean;
}

export interface Synthesized extends ForgetMeNot {
  readonly app: App;
  readonly outdir: string;
  readonly statefulTemplate: Template;
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
      ...options.switches,
    }),
    api: options.api,
    nag: options.nag ?? false,
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

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** All statements of the inline policies attached to a function's role. */
export function statementsOf(template: Template, fn: BackendFunction): PolicyStatement[] {
  const roleId = Stack.of(fn).getLogicalId(fn.role.node.defaultChild as CfnRole);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Json[];
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

/** A function's environment variables as they appear in the template. */
export function environmentOf(template: Template, fn: BackendFunction): Record<string, unknown> {
  const id = Stack.of(fn).getLogicalId(fn.function.node.defaultChild as CfnFunction);
  return (template.toJSON().Resources[id] as Json).Properties.Environment?.Variables ?? {};
}

/** A token (ARN, name) resolved the way it appears in `stack`'s template, e.g. `{ "Fn::ImportValue": … }` across stacks. */
export function resolvedIn(stack: Stack, token: string): unknown {
  return stack.resolve(token);
}
