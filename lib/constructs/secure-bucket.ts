import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface SecureBucketProps {
  /**
   * Customer-managed key for default encryption (SSE-KMS with an S3 bucket key).
   * @default - SSE-S3; required for buckets that receive S3 server access logs, which cannot be delivered to SSE-KMS buckets
   */
  readonly encryptionKey?: kms.IKey;
  /** @default false */
  readonly versioned?: boolean;
  /** Objects expire this long after creation. @default - never */
  readonly expireAfter?: Duration;
  /** Noncurrent versions expire this long after they stop being current (versioned buckets). @default - never */
  readonly expireNoncurrentAfter?: Duration;
  /** Where S3 writes this bucket's server access logs. @default - no server access logs */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** @default - no prefix */
  readonly serverAccessLogsPrefix?: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * An S3 bucket with the house defaults that cannot be forgotten: all public access blocked, ACLs disabled, TLS 1.2+ only
 * (a bucket policy denying `aws:SecureTransport = false`), encryption at rest, and incomplete uploads cleaned up.
 */
export class SecureBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    const lifecycleRules: s3.LifecycleRule[] = [
      {
        id: 'expire',
        abortIncompleteMultipartUploadAfter: Duration.days(1),
        expiration: props.expireAfter,
        noncurrentVersionExpiration: props.versioned ? props.expireNoncurrentAfter : undefined,
      },
    ];
    // Once every version of an object is gone only its delete marker remains; remove it too.
    if (props.versioned) lifecycleRules.push({ id: 'expired-delete-markers', expiredObjectDeleteMarker: true });
    super(scope, id, {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: props.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: props.encryptionKey ? true : undefined,
      versioned: props.versioned ?? false,
      lifecycleRules,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsPrefix,
      removalPolicy: props.removalPolicy,
    });
  }
}
