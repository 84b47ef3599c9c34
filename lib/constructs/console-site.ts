import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CfnOutput, DefaultStackSynthesizer, DockerImage, Duration, Stack, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_CSP, CONSOLE_HEADERS, CONSOLE_HSTS_SECONDS, CONSOLE_PATH } from '../../console/security-headers';
import { acknowledgeCompliance, acknowledgeWildcardActions, acknowledgeWildcardResource } from './nag';
import { SecureBucket } from './secure-bucket';

export interface ConsoleSiteProps {
  /** The API the distribution's default behaviour forwards to, on the console's origin. */
  readonly api: apigateway.RestApi;
  /** Encrypts the log group of the function that uploads the console's files. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

const CONSOLE_SOURCE = join(__dirname, '..', '..', 'console');

/**
 * The privacy console on AWS: its static files in a private S3 bucket that only this CloudFront distribution reads (Origin
 * Access Control), and the API behind the same distribution, so the console calls the API on its own origin without CORS.
 * Console answers carry the console's security headers (console/security-headers.ts: a CSP without inline script, no
 * framing) and HSTS; API answers carry HSTS and nosniff and are never cached.
 */
export class ConsoleSite extends Construct {
  public readonly bucket: SecureBucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly consoleHeaders: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    // Nothing here is personal data (the built console, the same for every visitor); old versions go after 30 days so a
    // bad upload can be rolled back for a while.
    this.bucket = new SecureBucket(this, 'Bucket', {
      versioned: true,
      expireNoncurrentAfter: Duration.days(30),
      removalPolicy: props.removalPolicy,
    });

    const hsts = {
      accessControlMaxAge: Duration.seconds(CONSOLE_HSTS_SECONDS),
      includeSubdomains: true,
      override: true,
    };
    const { 'permissions-policy': permissions, 'cross-origin-opener-policy': opener } = CONSOLE_HEADERS;
    this.consoleHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ConsoleHeaders', {
      comment: 'Forget-Me-Not console: strict CSP, no framing, HSTS',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONSOLE_CSP, override: true },
        strictTransportSecurity: hsts,
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: permissions, override: true },
          { header: 'Cross-Origin-Opener-Policy', value: opener, override: true },
        ],
      },
    });
    const apiHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ApiHeaders', {
      comment: 'Forget-Me-Not API through the console origin: HSTS, nosniff, no framing',
      securityHeadersBehavior: {
        strictTransportSecurity: hsts,
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      },
    });

    // S3 has no index document behind OAC: /console/ is rewritten to its index.html at the edge.
    const index = new cloudfront.Function(this, 'ConsoleIndex', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Serves /console/ from console/index.html',
      code: cloudfront.FunctionCode.fromInline(
        `function handler(event) { var r = event.request; if (r.uri === '${CONSOLE_PATH}') r.uri = '${CONSOLE_PATH}index.html'; return r; }`,
      ),
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Forget-Me-Not: privacy console and API on one origin',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: new origins.RestApiOrigin(props.api),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // Everything the API reads (Authorization, X-Client-Id, the query) except Host, which must name the API's domain.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: apiHeaders,
      },
      additionalBehaviors: {
        [`${CONSOLE_PATH}*`]: {
          origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: this.consoleHeaders,
          functionAssociations: [{ function: index, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        },
      },
    });

    // CDK's default role for the upload function carries AWSLambdaBasicExecutionRole (logs on every group); this one may
    // write to its own log group only.
    const uploadLogs = new logs.LogGroup(this, 'UploadLogs', {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: props.removalPolicy,
    });
    const uploadRole = new iam.Role(this, 'UploadRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the built console into its bucket and invalidates it in CloudFront, during deployments only',
    });
    uploadLogs.grantWrite(uploadRole);
    new s3deploy.BucketDeployment(this, 'Files', {
      role: uploadRole,
      sources: [s3deploy.Source.asset(CONSOLE_SOURCE, { bundling: consoleBundling() })],
      destinationBucket: this.bucket,
      destinationKeyPrefix: CONSOLE_PATH.slice(1),
      distribution: this.distribution,
      distributionPaths: [`${CONSOLE_PATH}*`],
      logGroup: uploadLogs,
    });
    acknowledgeUploader(this, uploadRole, this.bucket);

    acknowledgeEdge(this.distribution);
    acknowledgeBucket(this.bucket);
    new CfnOutput(Stack.of(this), 'ConsoleUrl', {
      value: `https://${this.distribution.distributionDomainName}${CONSOLE_PATH}`,
      description: 'The privacy console; the API is on the same origin (/v1/...)',
    });
  }
}

/** esbuild on the build machine, like the functions: no Docker. */
function consoleBundling(): import('aws-cdk-lib').BundlingOptions {
  return {
    image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:20-slim'),
    local: {
      tryBundle(outputDir: string) {
        execFileSync(process.execPath, ['--import', 'tsx', join(CONSOLE_SOURCE, 'build.ts'), outputDir], { stdio: 'inherit' });
        return true;
      },
    },
  };
}

function acknowledgeEdge(distribution: cloudfront.Distribution): void {
  Validations.of(distribution).acknowledge(
    {
      id: 'AwsSolutions-CFR1',
      reason:
        'Officers and data subjects may be anywhere; data-subject rights cannot depend on where the subject is. Access is ' +
        'controlled by sign-in (admin: password and TOTP), not by country.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason:
        'A CloudFront web ACL must live in us-east-1, outside this stack; the API behind the distribution keeps its regional ' +
        'WAF (managed rules and rate limit), and the console bucket holds only public static files.',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason:
        'CloudFront standard logs record every viewer IP address (personal data) and need an ACL-enabled bucket; the API ' +
        'behind it keeps access logs without IP addresses by design (see README, Logs).',
    },
    {
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default *.cloudfront.net certificate, on which CloudFront negotiates TLS 1.2+ with modern ' +
        'clients; a custom domain with a TLS 1.2 security policy is a deployment choice (docs/deploy.md).',
    },
  );
}

function acknowledgeBucket(bucket: SecureBucket): void {
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'Holds only the built console, readable by CloudFront alone (OAC); server access logs would record nothing but ' +
      'CloudFront fetching public static files.',
  });
  acknowledgeCompliance(
    bucket,
    'S3BucketLoggingEnabled',
    'Holds only the built console, read by CloudFront alone through Origin Access Control; no personal data to account for.',
  );
  acknowledgeCompliance(
    bucket,
    'S3DefaultEncryptionKMS',
    'The built console is public code with no personal data; SSE-S3 spares a KMS key policy for CloudFront on every read.',
  );
  acknowledgeCompliance(
    bucket,
    'S3BucketReplicationEnabled',
    'The bucket holds a build of files in git; a lost region is recovered by deploying again, not from a replica.',
  );
}

/**
 * The upload function is CDK's own BucketDeployment handler (a singleton custom resource at the stack's top level): its
 * runtime and memory are CDK's, and only CloudFormation invokes it, during deployments.
 */
function acknowledgeUploader(site: Construct, role: iam.Role, bucket: SecureBucket): void {
  const stack = Stack.of(site);
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) throw new Error('BucketDeployment created no handler: update acknowledgeUploader');
  const why = 'CDK\'s BucketDeployment handler, run by CloudFormation only while the console is deployed, never by callers.';
  Validations.of(handler).acknowledge({ id: 'AwsSolutions-L1', reason: `${why} Its runtime is the one CDK ships and tests with the handler.` });
  const once = `${why} Runs once per deployment, called synchronously by CloudFormation.`;
  acknowledgeCompliance(handler, 'LambdaInsideVPC', once);
  for (const rule of ['LambdaConcurrency', 'LambdaDLQ']) acknowledgeCompliance(handler, rule, once, ['HIPAA.Security', 'NIST.800.53.R5']);
  acknowledgeCompliance(role, 'IAMNoInlinePolicy', `${why} The grants CDK adds for the asset, the bucket and the log group sit inline on its own role.`);
  acknowledgeWildcardActions(role, ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'], `${why} CDK grants it read on the asset and write on the console bucket.`);
  Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: `${why} CloudFront invalidations take no resource narrower than *.` });
  acknowledgeWildcardResource(role, `${bucket.bucketArn}/*`, `${why} It replaces every object of the console bucket.`);
  acknowledgeWildcardResource(
    role,
    `arn:${stack.partition}:s3:::cdk-${stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${stack.account}-${stack.region}/*`,
    `${why} It reads the console's asset from the CDK bootstrap bucket.`,
  );
}
