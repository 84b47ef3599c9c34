/**
 * cdk-nag 3 on the whole app, the way `cdk synth` runs it: four packs (AwsSolutions, HIPAA Security, NIST 800-53 R5,
 * PCI DSS 3.2.1) as policy-validation plugins, whose findings land in `validation-report.json` in the cloud assembly; an
 * error fails the synth. Each case synthesizes an app, then reads that report and also asks each pack directly
 * (`validateScope`), so a new finding in any pack fails here first.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Stack, Stage, Validations, type App } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import * as z from 'zod/mini';
import { defineRoute, healthRoute, touches } from '../../lambdas/routes';
import { buildForgetMeNot, newInProcessApp, type ForgetMeNot, type ForgetMeNotOptions } from '../../lib/app';
import { stageConfig, type Stage as StageName } from '../../lib/config';
import { COMPLIANCE_PACKS, nagPacks } from '../../lib/constructs/nag';
import { scratchDir } from './support';

const execFileAsync = promisify(execFile);

interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
}

/** The parts of the cloud assembly's `validation-report.json` this test reads. */
interface ValidationReport {
  readonly pluginReports: {
    readonly pluginName: string;
    readonly violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

interface NagRun {
  readonly app: App;
  readonly built: ForgetMeNot;
  readonly outdir: string;
  /** Which plugins `validation-report.json` names. */
  readonly plugins: string[];
  /** What `validation-report.json` says the packs found. */
  readonly reported: Finding[];
  /** What the packs find when asked directly. */
  readonly direct: Finding[];
  readonly synthError?: unknown;
}

function runNag(
  stage: StageName,
  options: {
    bundle?: boolean;
    corsOrigins?: string[];
    alarmEmails?: string[];
    api?: ForgetMeNotOptions['api'];
    tamper?: (built: ForgetMeNot) => void;
  } = {},
): NagRun {
  const outdir = scratchDir(`fmn-nag-${stage}-`);
  const app = newInProcessApp({ outdir, context: { stage, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
  const built = buildForgetMeNot(app, {
    config: stageConfig(stage, { corsOrigins: options.corsOrigins, alarmEmails: options.alarmEmails }),
    api: options.api,
  });
  options.tamper?.(built);
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error; // findings of severity error fail the synth; the report is written first
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  const reported = report.pluginReports
    .flatMap((p) => p.violations)
    .map((v) => ({ rule: v.ruleName, severity: v.severity, paths: v.violatingConstructs.map((c) => c.constructPath) }));
  const direct = nagPacks().flatMap((pack) =>
    pack.validateScope(app).violations.map((v) => ({
      rule: v.ruleName,
      severity: v.severity ?? 'error',
      paths: v.violatingResources.map((r) => r.constructPath ?? ''),
    })),
  );
  return { app, built, outdir, plugins: report.pluginReports.map((p) => p.pluginName), reported, direct, synthError };
}

/** Every acknowledgement in the tree, where it sits and why. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string; scope: IConstruct }[] {
  return root.node.findAll().flatMap((scope) =>
    scope.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: scope.node.path, id, reason, scope })),
      ),
  );
}

describe('cdk-nag AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1', () => {
  describe('dev, the route table as it is, functions bundled with local esbuild', () => {
    let run: NagRun;
    beforeAll(() => {
      run = runNag('dev', { bundle: true });
    });

    it('has no unacknowledged finding, errors or warnings, in any of the four packs', () => {
      expect(run.synthError).toBeUndefined();
      expect(run.reported).toEqual([]);
      expect(run.direct).toEqual([]);
    });

    it('bundled every function and the console offline (no Docker): index.js and its map; the console\'s static files', () => {
      const assetOf = (fn: lambda.Function) =>
        `asset.${(Stack.of(fn).resolve((fn.node.defaultChild as lambda.CfnFunction).code) as { s3Key: string }).s3Key.replace(/\.zip$/, '')}`;
      const assets = [...new Set([...run.built.api.functions.values()].map((f) => assetOf(f.function)))];
      expect(assets.length).toBe(run.built.api.functions.size);
      // Besides the functions: the console build and CDK's own BucketDeployment handler and its AWS CLI layer.
      const others = readdirSync(run.outdir).filter((d) => d.startsWith('asset.') && !assets.includes(d));
      expect(others).toHaveLength(3);
      expect(others.filter((d) => existsSync(join(run.outdir, d, 'app.js')))).toHaveLength(1);
      for (const asset of assets) {
        expect(existsSync(join(run.outdir, asset, 'index.js'))).toBe(true);
        expect(existsSync(join(run.outdir, asset, 'index.js.map'))).toBe(true);
      }
    });

    it('copies a route\'s bundledFiles into its asset, where the deployed handler reads them', async () => {
      const openapi = run.built.api.functions.get('openapi')!;
      const code = (Stack.of(openapi).resolve((openapi.function.node.defaultChild as lambda.CfnFunction).code) as { s3Key: string }).s3Key;
      const asset = join(run.outdir, `asset.${code.replace(/\.zip$/, '')}`);
      const copied = join(asset, 'docs', 'openapi.json');
      expect(readFileSync(copied, 'utf8')).toBe(readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8'));
      // The bundle itself holds no copy of the document (that was 109 KiB of every cold start).
      expect(readFileSync(join(asset, 'index.js'), 'utf8')).not.toContain('operationId');
      // Run as Lambda runs it: from the asset, with LAMBDA_TASK_ROOT set by the runtime.
      const { stdout } = await execFileAsync(
        process.execPath,
        ['-e', `require(process.argv[1]).handler({ httpMethod: 'GET', resource: '/v1/openapi.json', path: '/v1/openapi.json', headers: {}, requestContext: { requestId: 'r' } }, {}).then((r) => process.stdout.write('\\nANSWER ' + JSON.stringify(r)))`, join(asset, 'index.js')],
        { env: { PATH: process.env.PATH ?? '', LAMBDA_TASK_ROOT: asset, AWS_REGION: 'eu-west-1', STAGE: 'dev' } },
      );
      // the handler's own log lines go to stdout first
      const answer = JSON.parse(stdout.slice(stdout.lastIndexOf('\nANSWER ') + 8)) as { statusCode: number; body: string };
      expect(answer.statusCode).toBe(200);
      expect(JSON.parse(answer.body)).toEqual(JSON.parse(readFileSync(copied, 'utf8')));
    });

    it('gives every acknowledgement a reason and keeps it off the app, stages and stacks', () => {
      const acks = acknowledgements(run.app);
      expect(acks.length).toBeGreaterThan(0);
      for (const ack of acks) {
        expect({ id: ack.id, reasonLength: ack.reason.length >= 40 }).toEqual({ id: ack.id, reasonLength: true });
        expect({ id: ack.id, path: ack.path, broad: Stack.isStack(ack.scope) || Stage.isStage(ack.scope) }).toEqual({
          id: ack.id,
          path: ack.path,
          broad: false,
        });
      }
    });
  });

  it('prod (tracing, CORS, deletion protection, reserved concurrency, trail to CloudWatch Logs) has no unacknowledged finding', () => {
    const run = runNag('prod', {
      corsOrigins: ['https://app.example.com', 'https://admin.example.com'],
      alarmEmails: ['ops@example.com'],
    });
    expect(run.synthError).toBeUndefined();
    expect(run.reported).toEqual([]);
    expect(run.direct).toEqual([]);
  });

  it('stays clean when routes bind every kind of store and key (the bind helpers acknowledge their own grants)', () => {
    const everything = defineRoute({
      id: 'everything',
      method: 'POST',
      path: '/v1/admin/everything/{id}',
      handler: 'health',
      summary: 'Touches every kind of store.',
      description: 'A fixture route.',
      tags: [],
      feature: 'rights',
      auth: 'admin',
      request: { body: z.object({ a: z.string() }) },
      responses: {},
      personalData: [
        touches('consent', ['read', 'write'], ['subjectId']),
        touches('audit', ['write'], ['actorId']),
        touches('subjectKeys', ['read', 'write', 'delete'], ['subjectId', 'wrappedKey']),
        touches('exports', ['read', 'write', 'delete'], ['subjectExport']),
        touches('rightsRequestQueue', ['write'], ['requestId']),
      ],
      crypto: ['subjectKeys', 'pseudonyms'],
    });
    const run = runNag('staging', { api: { routes: [healthRoute, everything] } });
    expect(run.synthError).toBeUndefined();
    expect(run.reported).toEqual([]);
    expect(run.direct).toEqual([]);
  });

  it('fails on a new finding, and the narrow acknowledgements hide no other wildcard', () => {
    const run = runNag('dev', {
      api: { routes: [healthRoute] },
      tamper: ({ api }) => {
        new sqs.Queue(api, 'UnencryptedQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED, enforceSSL: false });
        // A hand-written wildcard on a function role that also has acknowledged grant wildcards.
        const health = api.functions.get('health')!;
        health.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
        // An alarm made without NotifyingAlarm: nobody would hear of it.
        new cloudwatch.Alarm(api, 'SilentAlarm', { metric: api.api.metricServerError(), threshold: 1, evaluationPeriods: 1 });
        // A bucket without the SecureBucket defaults: every pack objects to something.
        new s3.Bucket(api, 'PlainBucket');
      },
    });
    const rules = run.reported.map((f) => f.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        'AwsSolutions-SQS2',
        'AwsSolutions-SQS4',
        'AwsSolutions-IAM5[Action::dynamodb:*]',
        'AwsSolutions-IAM5[Resource::*]',
        'HIPAA.Security-CloudWatchAlarmAction',
        'NIST.800.53.R5-CloudWatchAlarmAction',
        'PCI.DSS.321-S3BucketVersioningEnabled',
      ]),
    );
    // Every pack runs as a plugin of the synth and reports into validation-report.json.
    expect([...new Set(run.plugins)].sort()).toEqual(['AwsSolutions', ...COMPLIANCE_PACKS].sort());
    // Only the alarm made without NotifyingAlarm is reported, not the ones that notify the topic.
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
      expect(run.reported.find((f) => f.rule === `${pack}-CloudWatchAlarmAction`)?.paths).toEqual([
        expect.stringMatching(/\/SilentAlarm\/Resource$/),
      ]);
    }
    // The health function sits in a nested stack of the API stack: the packs read nested stacks too.
    expect(run.reported.find((f) => f.rule === 'AwsSolutions-IAM5[Action::dynamodb:*]')?.paths).toEqual(
      expect.arrayContaining([expect.stringMatching(/^FmnApi-dev\/OperationsRoutes\/Functions\/health\//)]),
    );
    expect(run.direct.map((f) => f.rule).sort()).toEqual([...rules].sort());
    expect(String(run.synthError)).toMatch(/AwsSolutions-SQS2/);
  });
});
