/**
 * P4 local load: the local server (`npm start -- --in-memory --ports=auto`, in a child process, workers included) under
 * autocannon, first on a read route (GET /v1/me: authorizer, KMS unwrap of the subject key, audit entry) then on a write
 * route (PUT /v1/me/consents/{purpose}: a consent-ledger append with its audit entry). Afterwards the ledger is read back
 * with DynamoDB Queries: every write the server accepted (2xx) must be there.
 */
import autocannon from 'autocannon';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../lambdas/adapters/dynamo-paging';
import { tableEnvVar } from '../lambdas/runtime/resources';
import { startLocalCloudProcess } from '../test/integration/helpers/local-cloud';
import { round } from './lib/stats';

export interface P4Route {
  readonly route: string;
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { p50: number; p99: number; max: number };
  readonly ok2xx: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

export interface P4Result {
  readonly subjects: number;
  readonly read: P4Route;
  readonly write: P4Route;
  readonly writeCheck: {
    /** Writes answered 2xx. */
    readonly accepted: number;
    /** Ledger events found for the load's subjects, minus those written before the load. */
    readonly found: number;
    /** Every accepted write is present (found ≥ accepted). */
    readonly allPresent: boolean;
    /** Writes that landed after autocannon stopped counting (their answer arrived after the end): at most one per connection. */
    readonly landedAfterStop: number;
  };
}

const PASSWORD = 'correct horse battery staple';

export async function runP4(options: { seconds: number; connections: number; scryptLogN: number; log: (line: string) => void }): Promise<P4Result> {
  const cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: String(options.scryptLogN), POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO' });
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: cloud.env.AWS_REGION, endpoint: cloud.endpoints.dynamodb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  try {
    // One subject per connection, so concurrent requests are mostly different people, as in real traffic.
    const subjects = await Promise.all(
      Array.from({ length: options.connections }, async (_, i) => {
        const answer = await fetch(`${cloud.apiUrl}/v1/accounts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `p4-${i}-${Date.now()}@bench.invalid`, password: PASSWORD, displayName: 'Load Subject' }),
        });
        if (answer.status !== 201) throw new Error(`P4: registration answered ${answer.status}`);
        const body = (await answer.json()) as { account: { subjectId: string }; session: { token: string } };
        return { subjectId: body.account.subjectId, token: body.session.token };
      }),
    );
    options.log(`P4 registered ${subjects.length} subjects on ${cloud.apiUrl}`);
    // Warm-up, not measured: the first request to each route loads its handler module (and the authorizer) in the server.
    for (const s of subjects.slice(0, 5)) {
      const headers = { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' };
      for (const answer of [
        await fetch(`${cloud.apiUrl}/v1/me`, { headers }),
        await fetch(`${cloud.apiUrl}/v1/me/consents/marketing-email`, { method: 'PUT', headers, body: JSON.stringify({ granted: true }) }),
      ]) {
        if (!answer.ok) throw new Error(`P4: warm-up request answered ${answer.status}`);
        await answer.arrayBuffer();
      }
    }
    const eventsBefore = await countLedgerEvents(db, cloud.env, subjects);

    let next = 0;
    const read = await load(options, 'GET /v1/me', {
      url: cloud.apiUrl,
      requests: [
        {
          method: 'GET',
          path: '/v1/me',
          setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${subjects[next++ % subjects.length].token}` } }),
        },
      ],
    });
    options.log(`P4 read: ${read.requestsPerSecond} req/s, p50 ${read.latencyMs.p50} ms, p99 ${read.latencyMs.p99} ms, non-2xx ${read.non2xx}`);

    let flip = 0;
    const write = await load(options, 'PUT /v1/me/consents/marketing-email', {
      url: cloud.apiUrl,
      requests: [
        {
          method: 'PUT',
          path: '/v1/me/consents/marketing-email',
          setupRequest: (req) => ({
            ...req,
            headers: { ...req.headers, 'content-type': 'application/json', authorization: `Bearer ${subjects[next++ % subjects.length].token}` },
            body: JSON.stringify({ granted: flip++ % 2 === 0 }),
          }),
        },
      ],
    });
    options.log(`P4 write: ${write.requestsPerSecond} req/s, p50 ${write.latencyMs.p50} ms, p99 ${write.latencyMs.p99} ms, non-2xx ${write.non2xx}`);

    // Let answers still in flight when autocannon stopped land before reading the ledger back.
    await new Promise((r) => setTimeout(r, 2_000));
    const found = (await countLedgerEvents(db, cloud.env, subjects)) - eventsBefore;
    return {
      subjects: subjects.length,
      read,
      write,
      writeCheck: { accepted: write.ok2xx, found, allPresent: found >= write.ok2xx, landedAfterStop: Math.max(0, found - write.ok2xx) },
    };
  } finally {
    db.destroy();
    await cloud.stop();
  }
}

async function load(
  options: { seconds: number; connections: number },
  route: string,
  config: Pick<autocannon.Options, 'url' | 'requests'>,
): Promise<P4Route> {
  const result = await autocannon({ ...config, connections: options.connections, duration: options.seconds, timeout: 30 });
  return {
    route,
    connections: options.connections,
    seconds: options.seconds,
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.average, 1),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Consent-ledger events of the load's subjects, read with one Query per subject (no Scan). */
async function countLedgerEvents(db: DynamoDBDocumentClient, env: Record<string, string>, subjects: ReadonlyArray<{ subjectId: string }>): Promise<number> {
  let total = 0;
  for (const { subjectId } of subjects) {
    const items = await queryAll(db, {
      TableName: env[tableEnvVar('consent')],
      KeyConditionExpression: 'subjectId = :s AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':s': subjectId, ':e': 'event#' },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
    });
    total += items.length;
  }
  return total;
}
