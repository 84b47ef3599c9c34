/**
 * Builds the whole backend for one stage into an app: the stateful stack, the API stack that receives its resources as
 * typed props, and the cdk-nag packs (AwsSolutions, HIPAA Security, NIST 800-53 R5, PCI DSS 3.2.1) that run on every synth. `bin/forget-me-not.ts` and the infra tests
 * both call this, so the tests check what `cdk synth` produces.
 */
import { Tags, type App, type Environment } from 'aws-cdk-lib';
import { ApiStack, apiStackName, type ApiStackProps } from './api-stack';
import { CONTEXT, configFromContext, type StageConfig } from './config';
import { registerNagPacks } from './constructs/nag';
import { StatefulStack, statefulStackName } from './stateful-stack';
import { ExampleRecipientStack, exampleRecipientFromContext, exampleRecipientStackName, type ExampleRecipientSettings } from './example-recipient-stack';

export { cdkJsonContext, newInProcessApp } from './in-process-app';

const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';

export interface ForgetMeNotOptions {
  /** @default - read from the app's context (`-c stage=…`, `-c corsOrigins=…`, `-c alarmEmail=…`) */
  readonly config?: StageConfig;
  /** Route-table variants for tests. @default the route table of `lambdas/routes.ts` */
  readonly api?: Pick<ApiStackProps, 'routes' | 'fallbackRoute' | 'authorizer' | 'workers'>;
  /** Register the cdk-nag packs (`registerNagPacks`). @default true */
  readonly nag?: boolean;
  /** The example recipient service (`-c exampleRecipient=true`). @default - read from the app's context (off) */
  readonly exampleRecipient?: ExampleRecipientSettings;
}

export interface ForgetMeNot {
  readonly config: StageConfig;
  readonly stateful: StatefulStack;
  readonly api: ApiStack;
  /** Only with `-c exampleRecipient=true`. */
  readonly exampleRecipient?: ExampleRecipientStack;
}

/** Adds `FmnStateful-<stage>` and `FmnApi-<stage>` to the app and registers cdk-nag (unless `nag: false`). */
export function buildForgetMeNot(app: App, options: ForgetMeNotOptions = {}): ForgetMeNot {
  // The API stack imports the stateful stack's exports. "strong" (CloudFormation exports) keeps a table from being deleted
  // while functions still use it; saying so explicitly also silences CDK's warning about the unset default.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES) === undefined && app.node.children.length === 0) {
    app.node.setContext(CROSS_STACK_REFERENCES, 'strong');
  }
  const config = options.config ?? configFromContext(app.node);
  const env = environmentFromContext(app);
  const stateful = new StatefulStack(app, statefulStackName(config.stage), {
    config,
    env,
    workers: options.api?.workers,
    description: `Forget-Me-Not (${config.stage}): keys, tables, exports bucket, rights-request queue, CloudTrail`,
    // A setting, off by default even in prod: a failed first deploy leaves a ROLLBACK_COMPLETE stack that must be deleted.
    terminationProtection: config.terminationProtection,
  });
  const api = new ApiStack(app, apiStackName(config.stage), {
    config,
    env,
    resources: stateful.resources,
    ...options.api,
    description: `Forget-Me-Not (${config.stage}): functions, REST API, WAF, alarms`,
    terminationProtection: config.terminationProtection,
  });
  const example = options.exampleRecipient ?? exampleRecipientFromContext(app.node);
  const exampleRecipient = example.enabled
    ? new ExampleRecipientStack(app, exampleRecipientStackName(config.stage), {
        config,
        env,
        settings: example,
        queue: stateful.resources.recipientQueues['app-service'].queue,
        apiUrl: api.api.url,
        description: `Forget-Me-Not (${config.stage}): example recipient service (app-service), to copy`,
      })
    : undefined;
  for (const stack of [stateful, api, ...(exampleRecipient ? [exampleRecipient] : [])]) {
    Tags.of(stack).add('fmn:app', 'forget-me-not');
    Tags.of(stack).add('fmn:stage', config.stage);
  }
  if (options.nag ?? true) registerNagPacks(app);
  return { config, stateful, api, ...(exampleRecipient ? { exampleRecipient } : {}) };
}

/** Stacks stay environment-agnostic (no lookups, synth without credentials) unless both account and region are given. */
function environmentFromContext(app: App): Environment | undefined {
  const account = app.node.tryGetContext(CONTEXT.account);
  const region = app.node.tryGetContext(CONTEXT.region);
  return account && region ? { account: String(account), region: String(region) } : undefined;
}
