import { App, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_AUDIT_RETENTION_DAYS, configFromContext, stageConfig } from '../../lib/config';

const fromContext = (context: Record<string, unknown>) => configFromContext(new App({ context }).node);

describe('stage configuration', () => {
  it('defaults to dev: no CORS origins, 395-day audit retention, resources destroyed with the stack', () => {
    const config = fromContext({});
    expect(config).toMatchObject({
      stage: 'dev',
      corsOrigins: [],
      auditRetentionDays: DEFAULT_AUDIT_RETENTION_DAYS,
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
    });
    expect(DEFAULT_AUDIT_RETENTION_DAYS).toBe(395);
  });

  it('retains and protects prod, with longer log retention and tracing', () => {
    expect(fromContext({ stage: 'prod' })).toMatchObject({
      stage: 'prod',
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      logRetention: RetentionDays.THREE_MONTHS,
      tracing: true,
    });
  });

  it('reads CORS origins from a comma list (CLI) or an array (cdk.json) and the audit retention from context', () => {
    expect(fromContext({ corsOrigins: 'https://a.example.com, https://b.example.com' }).corsOrigins).toEqual([
      'https://a.example.com',
      'https://b.example.com',
    ]);
    expect(fromContext({ corsOrigins: ['https://a.example.com'] }).corsOrigins).toEqual(['https://a.example.com']);
    expect(fromContext({ auditRetentionDays: '400' }).auditRetentionDays).toBe(400);
  });

  it('reads the declared client ids from a comma list (CLI) or an array (cdk.json), defaulting to web, ios, android', () => {
    expect(fromContext({}).awaitRecipients).toBeUndefined();
    expect(fromContext({ awaitRecipients: 'app-service, email-provider' }).awaitRecipients).toEqual(['app-service', 'email-provider']);
    expect(fromContext({ awaitRecipients: '' }).awaitRecipients).toEqual([]);
    expect(() => fromContext({ awaitRecipients: 'app-service,crm' })).toThrow(/"crm" is not a declared recipient/);
    expect(fromContext({}).clientIds).toEqual(['web', 'ios', 'android']);
    expect(fromContext({ clientIds: 'web, kiosk,web' }).clientIds).toEqual(['web', 'kiosk']);
    expect(fromContext({ clientIds: ['partner-app'] }).clientIds).toEqual(['partner-app']);
  });

  it('refuses client ids that are not short app names: the ledger keeps them after erasure', () => {
    expect(() => fromContext({ clientIds: '' })).toThrow(/clientIds must list at least one client id/);
    expect(() => fromContext({ clientIds: 'web,ada@example.com' })).toThrow(/"ada@example.com" is not a client id/);
    expect(() => fromContext({ clientIds: 'Web' })).toThrow(/is not a client id/);
    expect(() => fromContext({ clientIds: 'unknown' })).toThrow(/is not a client id/);
    expect(() => fromContext({ clientIds: 'a'.repeat(33) })).toThrow(/is not a client id/);
  });

  it('refuses an unknown stage, an origin with a path and a non-positive retention', () => {
    expect(() => fromContext({ stage: 'production' })).toThrow(/Unknown stage "production"/);
    expect(() => fromContext({ corsOrigins: 'https://a.example.com/app' })).toThrow(/without a path/);
    expect(() => stageConfig('dev', { auditRetentionDays: 0 })).toThrow(/positive integer/);
  });

  it('sets stage throttling and a WAF rate limit on every stage', () => {
    for (const stage of ['dev', 'staging', 'prod'] as const) {
      const { throttling, wafRateLimit } = stageConfig(stage);
      expect(throttling.burstLimit).toBeGreaterThanOrEqual(throttling.rateLimit);
      expect(wafRateLimit).toBeGreaterThanOrEqual(100);
    }
  });
});

describe('oidcProviders', () => {
  const provider = { name: 'google', issuer: 'https://accounts.google.com', audience: 'client-123', jwksUri: 'https://www.googleapis.com/oauth2/v3/certs' };

  it('defaults to none, so every ID token is refused', () => {
    expect(fromContext({}).oidcProviders).toEqual([]);
  });

  it('reads a JSON string from -c and an array from cdk.json', () => {
    expect(fromContext({ oidcProviders: JSON.stringify([provider]) }).oidcProviders).toEqual([provider]);
    expect(fromContext({ oidcProviders: [provider] }).oidcProviders).toEqual([provider]);
  });

  it('refuses keys fetched without TLS, bad names and missing audiences', () => {
    expect(() => fromContext({ oidcProviders: [{ ...provider, jwksUri: 'http://example.com/jwks' }] })).toThrow(/https/);
    expect(() => fromContext({ oidcProviders: [{ ...provider, name: 'Google!' }] })).toThrow(/name/);
    expect(() => fromContext({ oidcProviders: [{ ...provider, audience: [] }] })).toThrow(/audience/);
    expect(() => fromContext({ oidcProviders: '{"not":"an array"}' })).toThrow(/array/);
  });
});

describe('rightsModes', () => {
  it('defaults to none (the code\'s defaults) and reads a JSON object from -c', () => {
    expect(fromContext({}).rightsModes).toEqual({});
    expect(fromContext({ rightsModes: '{"erasure":"manual"}' }).rightsModes).toEqual({ erasure: 'manual' });
  });

  it('refuses unknown types and modes, and automatic rectification', () => {
    expect(() => fromContext({ rightsModes: '{"deletion":"manual"}' })).toThrow(/unknown request type/);
    expect(() => fromContext({ rightsModes: '{"erasure":"sometimes"}' })).toThrow(/automatic/);
    expect(() => fromContext({ rightsModes: '{"rectification":"automatic"}' })).toThrow(/always manual/);
  });
});

describe('deploy switches (-c name=true|false)', () => {
  it('default: account role on, termination protection off on every stage (prod too), management events on, multi-region in prod only', () => {
    for (const stage of ['dev', 'staging', 'prod'] as const) {
      expect(fromContext({ stage })).toMatchObject({
        apiGatewayAccountRole: true,
        terminationProtection: false,
        trailManagementEvents: true,
        trailMultiRegion: stage === 'prod',
      });
    }
  });

  it('reads "true"/"false" from -c and booleans from cdk.json', () => {
    expect(fromContext({ apiGatewayAccountRole: 'false' }).apiGatewayAccountRole).toBe(false);
    expect(fromContext({ stage: 'prod', terminationProtection: 'true' }).terminationProtection).toBe(true);
    expect(fromContext({ terminationProtection: true }).terminationProtection).toBe(true);
    expect(fromContext({ trailMultiRegion: 'true' }).trailMultiRegion).toBe(true);
    expect(fromContext({ stage: 'prod', trailMultiRegion: false }).trailMultiRegion).toBe(false);
  });

  it('turns prod multi-region off with management events (an organization trail records them), unless asked otherwise', () => {
    expect(fromContext({ stage: 'prod', trailManagementEvents: 'false' })).toMatchObject({ trailManagementEvents: false, trailMultiRegion: false });
  });

  it('fails the synth on anything but true or false, naming the setting', () => {
    for (const name of ['apiGatewayAccountRole', 'terminationProtection', 'trailManagementEvents', 'trailMultiRegion']) {
      for (const bad of ['yes', '1', 'False', '', 0]) {
        expect(() => fromContext({ [name]: bad })).toThrow(`${name} must be true or false, got "${String(bad)}"`);
      }
    }
  });

  it('refuses a multi-region trail without management events: it would record nothing more and take a slot in every region', () => {
    expect(() => fromContext({ trailManagementEvents: 'false', trailMultiRegion: 'true' })).toThrow(/trailMultiRegion=true needs trailManagementEvents=true/);
  });
});
