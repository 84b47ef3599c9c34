/**
 * P8 transaction conflicts: many subjects at once on the local server (`npm start -- --in-memory --ports=auto`, in a child
 * process). DynamoDB cancels a transaction that meets another on the same item (`TransactionConflict`) instead of waiting,
 * so what must hold under concurrency is that no request fails for it and nothing accepted is lost.
 *
 * Every subject, all at the same time, runs rounds of: grant consent, then withdraw it, while its profile is read in
 * parallel (two tabs of one person: the read's audit entry races the consent writes for the subject's chain head). Then the
 * ledger is read back with a Query per subject: every decision answered 2xx must be there.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../lambdas/adapters/dynamo-paging';
import { tableEnvVar } from '../lambdas/runtime/resources';
import { startLocalCloudProcess, type LocalCloudHandle } from '../test/integration/helpers/local-cloud';
import { percentile, round } from './lib/stats';

export interface P8Result {
  readonly subjects: number;
  readonly rounds: number;
  readonly requests: number;
  readonly ok: number;
  /** Answers other than 2xx, and requests that got no answer. */
  readonly failures: number;
  /** Of the failures: 409 concurrent-update (an append that kept losing the race for a chain). */
  readonly conflicts: number;
  /** Status codes of the failures, for the report. */
  readonly failureStatuses: Record<string, number>;
  /** Consent decisions answered 2xx. */
  readonly acceptedWrites: number;
  /** Ledger events of the subjects written during the run. */
  readonly ledgerEvents: number;
  readonly allPresent: boolean;
  readonly latencyMs: { p50: number; p99: number };
  readonly seconds: number;
}

const PASSWORD = 'correct horse battery staple';
const PURPOSE = 'marketing-email';

export interface P8Options {
  readonly subjects: number;
  readonly rounds: number;
  readonly scryptLogN: number;
  readonly log: (line: string) => void;
  /** A local cloud already running (the integration test's); otherwise one is started and stopped. */
  readonly cloud?: LocalCloudHandle;
}

export async function runP8(options: P8Options): Promise<P8Result> {
  const cloud =
    options.cloud ??
    (await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: String(options.scryptLogN), POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' }));
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: cloud.env.AWS_REGION, endpoint: cloud.endpoints.dynamodb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  try {
    const subjects = await registerAll(cloud.apiUrl, options.subjects);
    options.log(`P8 registered ${subjects.length} subjects on ${cloud.apiUrl}`);
    const before = await ledgerEvents(db, cloud.env, subjects);

    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let acceptedWrites = 0;
    const call = async (subject: Subject, method: 'GET' | 'PUT', path: string, body?: unknown): Promise<boolean> => {
      const started = performance.now();
      let status: string;
      try {
        const answer = await fetch(`${cloud.apiUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${subject.token}`, 'content-type': 'application/json', 'x-client-id': 'web' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        await answer.arrayBuffer();
        status = String(answer.status);
      } catch {
        status = 'no answer';
      }
      latencies.push(performance.now() - started);
      statuses[status] = (statuses[status] ?? 0) + 1;
      return status.startsWith('2');
    };
    const decide = async (subject: Subject, granted: boolean) => {
      if (await call(subject, 'PUT', `/v1/me/consents/${PURPOSE}`, { granted })) acceptedWrites++;
    };

    const started = performance.now();
    await Promise.all(
      subjects.map(async (subject) => {
        for (let round = 0; round < options.rounds; round++) {
          await Promise.all([
            (async () => {
              await decide(subject, true);
              await decide(subject, false);
            })(),
            call(subject, 'GET', '/v1/me'),
          ]);
        }
      }),
    );
    const seconds = round((performance.now() - started) / 1000, 1);
    const ledgerEventsFound = (await ledgerEvents(db, cloud.env, subjects)) - before;
    const requests = latencies.length;
    const ok = Object.entries(statuses).filter(([s]) => s.startsWith('2')).reduce((a, [, n]) => a + n, 0);
    const failureStatuses = Object.fromEntries(Object.entries(statuses).filter(([s]) => !s.startsWith('2')));
    const result: P8Result = {
      subjects: subjects.length,
      rounds: options.rounds,
      requests,
      ok,
      failures: requests - ok,
      conflicts: statuses['409'] ?? 0,
      failureStatuses,
      acceptedWrites,
      ledgerEvents: ledgerEventsFound,
      allPresent: ledgerEventsFound >= acceptedWrites,
      latencyMs: { p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1) },
      seconds,
    };
    options.log(`P8: ${result.requests} requests in ${seconds} s, ${result.failures} failed, ${acceptedWrites} decisions accepted, ${ledgerEventsFound} found`);
    return result;
  } finally {
    db.destroy();
    if (!options.cloud) await cloud.stop();
  }
}

interface Subject {
  readonly subjectId: string;
  readonly token: string;
}

/** Registration hashes a password (scrypt): a few at a time, so the server's CPU is not the thing measured. */
async function registerAll(apiUrl: string, count: number): Promise<Subject[]> {
  const subjects: Subject[] = [];
  const stamp = Date.now();
  for (let i = 0; i < count; i += 8) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(8, count - i) }, async (_, j) => {
        const answer = await fetch(`${apiUrl}/v1/accounts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `p8-${i + j}-${stamp}@bench.invalid`, password: PASSWORD, displayName: 'Concurrent Subject' }),
        });
        if (answer.status !== 201) throw new Error(`P8: registration answered ${answer.status}`);
        const body = (await answer.json()) as { account: { subjectId: string }; session: { token: string } };
        return { subjectId: body.account.subjectId, token: body.session.token };
      }),
    );
    subjects.push(...batch);
  }
  return subjects;
}

/** Consent-ledger events of the subjects, with one Query per subject (no Scan). */
async function ledgerEvents(db: DynamoDBDocumentClient, env: Record<string, string>, subjects: readonly Subject[]): Promise<number> {
  const counts = await Promise.all(
    subjects.map(
      async ({ subjectId }) =>
        (
          await queryAll(db, {
            TableName: env[tableEnvVar('consent')],
            KeyConditionExpression: 'subjectId = :s AND begins_with(sk, :e)',
            ExpressionAttributeValues: { ':s': subjectId, ':e': 'event#' },
            ProjectionExpression: 'sk',
            ConsistentRead: true,
          })
        ).length,
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}
