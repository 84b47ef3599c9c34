import { portExports, startBanner } from '../../local/banner';

const running = {
  apiUrl: 'http://127.0.0.1:41001',
  endpoints: { dynamodb: 'http://127.0.0.1:41002', sqsS3: 'http://127.0.0.1:41003', kms: 'http://127.0.0.1:41004' },
  state: 'in memory (nothing kept)',
  readySeconds: 3.25,
};

describe('npm start banner', () => {
  it('with --ports=auto ends with one export line per port variable npm start reads, pasteable into bash', () => {
    const banner = startBanner({ ...running, autoPorts: true });

    const exports = banner.split('\n').filter((line) => line.startsWith('export '));
    expect(exports).toEqual(['export PORT=41001', 'export DYNAMODB_PORT=41002', 'export SQS_S3_PORT=41003', 'export KMS_PORT=41004']);
    expect(banner).toContain('http://127.0.0.1:41001/v1/health');
  });

  it('with fixed ports prints no export lines (the defaults and the environment already say them)', () => {
    expect(startBanner({ ...running, autoPorts: false })).not.toContain('export ');
  });

  it('refuses an endpoint without a port rather than printing a wrong export', () => {
    expect(() => portExports({ ...running, apiUrl: 'http://127.0.0.1' })).toThrow(/no port/);
  });
});
