#!/usr/bin/env node
/**
 * The CDK app. One stage per synth:
 *   npx cdk synth --quiet                       (dev)
 *   npx cdk deploy --all -c stage=prod          (prod; add -c corsOrigins=https://app.example.com if browsers call it,
 *                                               -c alarmEmail=ops@example.com to be told when an alarm fires)
 * cdk-nag's AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 packs run on every synth; an unacknowledged
 * finding in any of them fails it.
 */
import { App } from 'aws-cdk-lib';
import { buildForgetMeNot } from '../lib/app';

const app = new App();
buildForgetMeNot(app);
app.synth();
