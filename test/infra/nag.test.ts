/**
 * cdk-nag 3 (AwsSolutions pack) on the whole app, the way `cdk synth` runs it: the pack is a policy-validation plugin,
 * its findings land in `validation-report.json` in the cloud assembly, and an error fails the synth. Each case synthesizes
 * an app, then reads that report and also asks the pack directly (`validateScope`), so a new finding fails here first.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, Stage, Validations, type App } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { z } from 'zod';
import { defineRoute, healthRoute, touches } from '../../lambdas/routes';
import { buildForgetMeNot, newInProcessApp, type ForgetMeNot, type ForgetMeNotOptions } from '../../lib/app';
import { stageConfig, type Stage as StageName } from '../../lib/config';
import { scratchDir } from './support';

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
  /** What `validation-report.json` says the AwsSolutions pack found. */
  readonly reported: Finding[];
  /** What the pack finds when asked directly. */
  readonly direct: Finding[];
  readonly synthError?: unknown;
}

function runNag(
  stage: StageName,
  options: { bundle?: boolean; corsOrigins?: string[]; api?: ForgetMeNotOptions['api']; tamper?: (built: ForgetMeNot) => void } = {},
): NagRun {
  const outdir = scratchDir(`fmn-nag-${stage}-`);
  const app = newInProcessApp({ outdir, context: { stage, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
  const built = buildForgetMeNot(app, { config: stageConfig(stage, { corsOrigins: options.corsOrigins }), api: options.api });
  options.tamper?.(built);
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error; // findings of severity error fail the synth; the report is written first
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  const reported = report.pluginReports
    .filter((p) => p.pluginName === 'AwsSolutions')
    .flatMap((p) => p.violations)
    .map((v) => ({ rule: v.ruleName, severity: v.severity, paths: v.violatingConstructs.map((c) => c.constructPath) }));
  const direct = new AwsSolutionsChecks().validateScope(app).violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity ?? 'error',
    paths: v.violatingResources.map((r) => r.constructPath ?? ''),
  }));
  return { app, built, outdir, reported, direct, synthError };
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

describe('cdk-nag AwsSolutions', () => {
  describe('dev, the route table as it is, functions bundled with local esbuild', () => {
    let run: NagRun;
    beforeAll(() => {
      run = runNag('dev', { bundle: true });
    });

    it('has no unacknowledged finding, errors or warnings', () => {
      expect(run.synthError).toBeUndefined();
      expect(run.reported).toEqual([]);
      expect(run.direct).toEqual([]);
    });

    it('bundled every function offline (no Docker): each asset holds index.js and its source map', () => {
      const assets = readdirSync(run.outdir).filter((d) => d.startsWith('asset.'));
      expect(assets.length).toBe(run.built.api.functions.size);
      for (const asset of assets) {
        expect(existsSync(join(run.outdir, asset, 'index.js'))).toBe(true);
        expect(existsSync(join(run.outdir, asset, 'index.js.map'))).toBe(true);
      }
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

  it('prod (tracing, CORS, deletion protection) has no unacknowledged finding', () => {
    const run = runNag('prod', { corsOrigins: ['https://app.example.com', 'https://admin.example.com'] });
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
      tags: [],
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
      },
    });
    const rules = run.reported.map((f) => f.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        'AwsSolutions-SQS2',
        'AwsSolutions-SQS4',
        'AwsSolutions-IAM5[Action::dynamodb:*]',
        'AwsSolutions-IAM5[Resource::*]',
      ]),
    );
    expect(run.direct.map((f) => f.rule).sort()).toEqual([...rules].sort());
    expect(String(run.synthError)).toMatch(/AwsSolutions-SQS2/);
  });
});
