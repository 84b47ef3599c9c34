#!/usr/bin/env node
/**
 * The CDK app. One stage per synth:
 *   npx cdk synth --quiet                       (dev)
 *   npx cdk deploy --all -c stage=prod          (prod; add -c corsOrigins=https://app.example.com if browsers call it)
 * cdk-nag's AwsSolutions pack runs on every synth; an unacknowledged finding fails it.
 */
import { App } from 'aws-cdk-lib';
import { buildForgetMeNot } from '../lib/app';

const app = new App();
buildForgetMeNot(app);
app.synth();
