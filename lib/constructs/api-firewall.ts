import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledgeCompliance } from './nag';

export interface ApiFirewallProps {
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /** Requests one client IP may send in any 5-minute window before it is blocked. */
  readonly rateLimit: number;
  /** Prefix of the CloudWatch metric names. */
  readonly metricPrefix: string;
}

/** Managed rule groups, in evaluation order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesCommonRuleSet',
] as const;

/**
 * A regional WAF web ACL on the API stage: a per-IP rate limit, AWS's IP reputation list, known bad inputs and the common
 * rule set. WAF logging is left off on purpose: its records carry client IP addresses and headers (personal data).
 */
export class ApiFirewall extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: false, // samples hold IPs and headers; metrics are enough
      metricName: `${props.metricPrefix}-${name}`,
    });

    const managed: wafv2.CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((name, i) => ({
      name,
      priority: i + 1,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          // The common rule set blocks bodies over 8 KB; handlers accept up to 16 KB and answer 413 themselves.
          ruleActionOverrides:
            name === 'AWSManagedRulesCommonRuleSet' ? [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] : undefined,
        },
      },
      visibilityConfig: visibility(name),
    }));

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('web-acl'),
      customResponseBodies: {
        tooManyRequests: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ type: '/problems/too-many-requests', title: 'Too many requests', status: 429 }),
        },
      },
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'tooManyRequests' } } },
          statement: { rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility('rate-limit'),
        },
        ...managed,
      ],
    });

    acknowledgeCompliance(
      this.webAcl,
      'WAFv2LoggingEnabled',
      'WAF log records carry every client IP address and request headers (personal data, including session tokens in ' +
        'Authorization). Per-rule CloudWatch metrics show what was blocked and why; the API access logs record each request ' +
        'without IPs or user agents.',
    );

    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
