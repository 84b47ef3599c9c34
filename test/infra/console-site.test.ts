/**
 * The console on AWS: a private bucket only the distribution reads (Origin Access Control), the API behind the same
 * distribution (one origin, no CORS needed), and the console's security headers as the local server sends them.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { CONSOLE_CSP, CONSOLE_HSTS_SECONDS } from '../../console/security-headers';
import { synth } from './support';

describe('privacy console site', () => {
  const { apiTemplate: template } = synth({ stage: 'prod' });

  it('keeps the console bucket private: public access blocked, TLS only, read by this distribution alone', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('serves /console/* from the bucket and everything else from the API, uncached, over HTTPS only', () => {
    const distributions = template.findResources('AWS::CloudFront::Distribution');
    expect(Object.keys(distributions)).toHaveLength(1);
    const config = Object.values(distributions)[0].Properties.DistributionConfig;
    const origins = config.Origins as Array<{ Id: string; S3OriginConfig?: unknown; CustomOriginConfig?: { OriginProtocolPolicy: string }; OriginAccessControlId?: unknown; OriginPath?: string }>;
    const s3 = origins.find((o) => o.S3OriginConfig)!;
    const api = origins.find((o) => o.CustomOriginConfig)!;
    expect(s3.OriginAccessControlId).toBeDefined();
    expect(api.CustomOriginConfig!.OriginProtocolPolicy).toBe('https-only');
    expect(JSON.stringify(api.OriginPath)).toContain('execute-api'); // the stage's path, taken from the API's URL
    expect(config.DefaultCacheBehavior).toMatchObject({
      TargetOriginId: api.Id,
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
      AllowedMethods: expect.arrayContaining(['POST', 'PUT', 'PATCH', 'DELETE']),
    });
    expect(config.CacheBehaviors).toEqual([
      expect.objectContaining({
        PathPattern: '/console/*',
        TargetOriginId: s3.Id,
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        FunctionAssociations: [expect.objectContaining({ EventType: 'viewer-request' })],
      }),
    ]);
  });

  it('adds the strict CSP, HSTS and no framing to the console, and HSTS to the API through it', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: CONSOLE_CSP, Override: true },
          StrictTransportSecurity: { AccessControlMaxAgeSec: CONSOLE_HSTS_SECONDS, IncludeSubdomains: true, Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentTypeOptions: { Override: true },
        }),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: CONSOLE_HSTS_SECONDS }),
          ContentSecurityPolicy: Match.absent(),
        }),
      }),
    });
  });

  it('uploads the built console under console/ and invalidates it, and names the URL in an output', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketKeyPrefix: 'console/',
      DistributionPaths: ['/console/*'],
    });
    template.hasOutput('ConsoleUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });
});
