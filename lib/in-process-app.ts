/**
 * Apps for in-process synthesis (tests, the local cloud). The CDK CLI applies cdk.json's context (feature flags) by itself;
 * an `App` built in-process does not, so these helpers do, and the templates match what `cdk synth` writes.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';

const CDK_JSON = join(resolve(__dirname, '..'), 'cdk.json');

/** The `context` of cdk.json (feature flags and defaults). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** An app with cdk.json's context first and the given context on top. */
export function newInProcessApp(props: AppProps = {}): App {
  return new App({ ...props, context: { ...cdkJsonContext(), ...props.context } });
}
