// jest ignores `testTimeout` inside `projects` entries, so each project sets its own default here. Slow starts (a JVM, the
// first download of DynamoDB Local, a CDK synth) happen in hooks, which this default covers as well.
const byProject: Record<string, number> = { unit: 10_000, infra: 180_000, integration: 120_000 };
jest.setTimeout(byProject[String((globalThis as { FMN_TEST_PROJECT?: string }).FMN_TEST_PROJECT)] ?? 10_000);
