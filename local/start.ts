/**
 * `npm start`: the whole backend on this machine. Ctrl-C stops everything.
 *
 *   npm start                      API on :3000, state kept under .local/
 *   npm start -- --in-memory       nothing kept on disk
 *   npm start -- --ports=auto      every service on a free port (what the integration tests use)
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DYNAMODB_LOCAL_CACHE_DIR } from '../scripts/fetch-dynamodb-local';
import { startLocalCloud } from './cloud';

function parseFlags() {
  try {
    return parseArgs({
      options: {
        'in-memory': { type: 'boolean', default: false },
        ports: { type: 'string', default: 'fixed' },
        'state-dir': { type: 'string' },
        'visibility-timeout': { type: 'string' },
        'ready-json': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // A bad flag is one line and exit 2, like fmn; the stack only with FMN_DEBUG=1.
    if (process.env.FMN_DEBUG) console.error((error as Error).stack);
    console.error(`npm start: ${(error as Error).message} (see npm start -- --help)`);
    process.exit(2);
  }
}

const { values } = parseFlags();

if (values.help) {
  console.log(`Usage: npm start -- [--in-memory] [--ports=auto] [--state-dir DIR] [--visibility-timeout SECONDS]

Ports (when not --ports=auto), from the environment:
  PORT            the API            (default 3000)
  DYNAMODB_PORT   DynamoDB Local     (default 8000)
  SQS_S3_PORT     SQS and S3         (default 4566)
  KMS_PORT        the KMS emulator   (default 4599)
CORS_ALLOWED_ORIGINS   comma-separated origins the API answers to (default none)`);
  process.exit(0);
}

const root = join(__dirname, '..');
const auto = values.ports === 'auto';
const port = (name: string, fallback: number) => (auto ? 0 : Number(process.env[name] ?? fallback));

async function main(): Promise<void> {
  const started = Date.now();
  const cloud = await startLocalCloud({
    apiPort: port('PORT', 3000),
    dynamodbPort: port('DYNAMODB_PORT', 8000),
    sqsS3Port: port('SQS_S3_PORT', 4566),
    kmsPort: port('KMS_PORT', 4599),
    inMemory: values['in-memory'],
    stateDir: values['state-dir'] ?? join(root, '.local', 'state'),
    cacheDir: DEFAULT_DYNAMODB_LOCAL_CACHE_DIR,
    corsOrigins: (process.env.CORS_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
    visibilityTimeoutSeconds: values['visibility-timeout'] ? Number(values['visibility-timeout']) : undefined,
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.error('\nstopping…');
    await cloud.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  if (values['ready-json']) {
    console.log(`FMN_READY ${JSON.stringify({ apiUrl: cloud.apiUrl, endpoints: cloud.endpoints, env: cloud.env })}`);
  } else {
    console.log(`Forget-Me-Not is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  API            ${cloud.apiUrl}   (try ${cloud.apiUrl}/v1/health)
  OpenAPI        ${cloud.apiUrl}/v1/openapi.json
  DynamoDB Local ${cloud.endpoints.dynamodb}
  SQS + S3       ${cloud.endpoints.sqsS3}
  KMS emulator   ${cloud.endpoints.kms}
  state          ${values['in-memory'] ? 'in memory (nothing kept)' : values['state-dir'] ?? '.local/state'}

Workers are consuming the rights-request queue. Ctrl-C stops everything.`);
  }
}

main().catch((error: Error) => {
  // A clear sentence, not a stack trace: the usual causes are a missing Java or a port in use.
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
