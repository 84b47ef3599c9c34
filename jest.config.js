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

module.exports = {
  projects: [
    project('unit', { setupFiles: ['<rootDir>/test/setup-env.ts'] }),
    project('infra', { setupFiles: ['<rootDir>/test/setup-env.ts'] }),
    project('integration'),
  ],
};
