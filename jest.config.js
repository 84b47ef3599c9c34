/**
 * Three kinds of tests, one `npm test`: unit (no network), infra (CDK templates and cdk-nag), integration (the real local
 * cloud on free ports). TypeScript is transpiled by @swc/jest; type-checking is `tsc --noEmit` in `npm test`.
 */
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
  ],
};
// middy 6 ships ESM; let swc turn it into CommonJS for jest.
const transformIgnorePatterns = ['node_modules/(?!(@middy)/)'];

const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  roots: ['<rootDir>/test/' + name],
  testMatch: ['**/*.test.ts'],
  transform,
  transformIgnorePatterns,
  setupFilesAfterEnv: ['<rootDir>/test/setup-timeouts.ts'],
  globals: { FMN_TEST_PROJECT: name },
  ...extra,
});

// `npm test` runs jest through scripts/coverage/jest-with-pii-coverage.ts, which sets this: jest then keeps the raw V8
// coverage of the runtime code it runs in-process for `npm run coverage:pii` (the local cloud's child processes write theirs).
const piiCoverageDir = process.env.FMN_PII_COVERAGE_DIR;
const piiCoverage = piiCoverageDir
  ? {
      collectCoverage: true,
      coverageProvider: 'v8',
      collectCoverageFrom: ['lambdas/**/*.ts'],
      // jest's own istanbul report is not used: the reporter below keeps the raw data (see scripts/coverage/v8-hits.ts)
      coverageReporters: ['none'],
      coverageDirectory: '<rootDir>/coverage/pii/jest',
      reporters: [
        'default',
        ...(process.env.GITHUB_ACTIONS ? ['github-actions'] : []),
        '<rootDir>/scripts/coverage/jest-v8-reporter.js',
      ],
    }
  : {};

module.exports = {
  projects: [
    project('unit', { setupFiles: ['<rootDir>/test/setup-env.ts'] }),
    project('infra', { setupFiles: ['<rootDir>/test/setup-env.ts'] }),
    project('integration'),
  ],
  ...piiCoverage,
};
