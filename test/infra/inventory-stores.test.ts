/**
 * What the inventory says about the stores AWS writes (and the exports bucket) is what the stacks deploy: encryption,
 * retention, which stages have a trail log group, the API access-log fields, and that WAF keeps no request records. The
 * README and the RoPA are generated from the inventory, so this is what keeps their statements true.
 */
import { inventory } from '../../lambdas/inventory';
import {
  DEFAULT_AUDIT_RETENTION_DAYS,
  EXPORT_EXPIRY_DAYS,
  LOG_RETENTION_DAYS,
  STAGES,
  TRAIL_TO_CLOUDWATCH_LOGS,
  type Stage,
} from '../../lambdas/retention-periods';
import { ACCESS_LOG_FIELDS } from '../../lib/api-stack';
import { stageConfig } from '../../lib/config';
import { synth, type Synthesized } from './support';

type Json = Record<string, any>;

const built = new Map<Stage, Synthesized>();
beforeAll(() => {
  for (const stage of ['dev', 'prod'] as const) built.set(stage, synth({ stage }));
});

/** The one resource of `type` whose logical id starts with `prefix`. */
function resource(template: Synthesized['statefulTemplate'], type: string, prefix: string): Json {
  const found = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0][1] as Json;
}

const sse = (bucket: Json) => bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
const expiration = (bucket: Json) => bucket.Properties.LifecycleConfiguration.Rules.find((r: Json) => r.ExpirationInDays)?.ExpirationInDays;
const keyRef = (value: Json) => JSON.stringify(value);

it('takes every log retention from the shared table, one CloudWatch Logs accepts', () => {
  for (const stage of STAGES) expect(stageConfig(stage).logRetention).toBe(LOG_RETENTION_DAYS[stage]);
});

describe.each(['dev', 'prod'] as const)('%s', (stage) => {
  const stack = () => built.get(stage)!;

  it('accessLogs: SSE-S3 as declared (no KMS key), expiring after the log retention', () => {
    expect(inventory.accessLogs.encryption.key).toBe('SSE-S3');
    const bucket = resource(stack().statefulTemplate, 'AWS::S3::Bucket', 'AccessLogsBucket');
    expect(sse(bucket)).toEqual({ SSEAlgorithm: 'AES256' });
    expect(expiration(bucket)).toBe(LOG_RETENTION_DAYS[stage]);
  });

  it('exports: SSE-KMS under the data key, expiring after the declared days, logging to accessLogs', () => {
    const bucket = resource(stack().statefulTemplate, 'AWS::S3::Bucket', 'ExportsBucket');
    expect(sse(bucket).SSEAlgorithm).toBe('aws:kms');
    expect(keyRef(sse(bucket).KMSMasterKeyID)).toContain('DataKey');
    expect(expiration(bucket)).toBe(EXPORT_EXPIRY_DAYS);
    expect(keyRef(bucket.Properties.LoggingConfiguration.DestinationBucketName)).toContain('AccessLogsBucket');
  });

  it('trailBucket: log files under the trail key, kept the audit retention', () => {
    const trail = resource(stack().statefulTemplate, 'AWS::CloudTrail::Trail', 'Trail');
    expect(keyRef(trail.Properties.KMSKeyId)).toContain('TrailKey');
    expect(expiration(resource(stack().statefulTemplate, 'AWS::S3::Bucket', 'TrailBucket'))).toBe(DEFAULT_AUDIT_RETENTION_DAYS);
  });

  it('trailLogGroup: present in exactly the stages the inventory names, under the logs key, with the log retention', () => {
    const groups = Object.entries(stack().statefulTemplate.findResources('AWS::Logs::LogGroup')).filter(([id]) => id.startsWith('TrailLogs'));
    expect(groups).toHaveLength(TRAIL_TO_CLOUDWATCH_LOGS[stage] ? 1 : 0);
    expect(inventory.trailLogGroup.retention.includes(`(${stage})`)).toBe(TRAIL_TO_CLOUDWATCH_LOGS[stage]);
    for (const [, group] of groups as [string, Json][]) {
      expect(group.Properties.RetentionInDays).toBe(LOG_RETENTION_DAYS[stage]);
      expect(keyRef(group.Properties.KmsKeyId)).toContain('LogsKey');
    }
  });

  it('apiAccessLogs: the declared fields are the access-log format, with the log retention', () => {
    const group = resource(stack().apiTemplate, 'AWS::Logs::LogGroup', 'AccessLogs');
    expect(group.Properties.RetentionInDays).toBe(LOG_RETENTION_DAYS[stage]);
    const stageResource = Object.values(stack().apiTemplate.findResources('AWS::ApiGateway::Stage'))[0] as Json;
    const format = JSON.parse(stageResource.Properties.AccessLogSetting.Format);
    expect(Object.keys(format).sort()).toEqual(Object.keys(inventory.apiAccessLogs.fields).sort());
    expect(Object.keys(ACCESS_LOG_FIELDS).sort()).toEqual(Object.keys(inventory.apiAccessLogs.fields).sort());
    expect(stageResource.Properties.AccessLogSetting.Format).not.toMatch(/sourceIp|userAgent/);
  });

  it('WAF keeps no request records: no logging configuration, no sampled requests', () => {
    expect(stack().apiTemplate.findResources('AWS::WAFv2::LoggingConfiguration')).toEqual({});
    const acl = Object.values(stack().apiTemplate.findResources('AWS::WAFv2::WebACL'))[0] as Json;
    const configs = [acl.Properties.VisibilityConfig, ...acl.Properties.Rules.map((r: Json) => r.VisibilityConfig)];
    for (const config of configs) expect(config.SampledRequestsEnabled).toBe(false);
  });
});
