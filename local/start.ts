/**
 * `npm start`: the whole backend on this machine. Ctrl-C stops everything.
 *
 *   npm start                      API on :3000, state kept under .local/
 *   npm start -- --in-memory       nothing kept on disk
 *   npm start -- --ports=auto      every service on a free port; the banner prints the `export …_PORT=` lines
 * `npm start -- --help` lists every flag (the README's "What `npm start` starts" documents the same).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DYNAMODB_LOCAL_CACHE_DIR } from '../scripts/fetch-dynamodb-local';
import { startBanner } from './banner';
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
        'example-recipient': { type: 'boolean', default: false },
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

const USAGE = `Usage: npm start -- [flags]

Flags:
  --in-memory                   keep nothing on disk (default: tables and keys persist under --state-dir)
  --ports=fixed|auto            fixed (default): the ports below; auto: every service on a free port, and the
                                banner prints the export lines that point another shell at them
  --state-dir DIR               where tables and keys persist (default .local/state)
  --visibility-timeout SECONDS  the rights-request queue's visibility timeout (default: the deployed stack's)
  --example-recipient           also run the example recipient service (examples/app-service): it consumes the
                                app-service recipient queue, keeps its records in a table of its own and acks
                                (\`npm start\` passes it; the integration tests start without it, unless they test it)
  --ready-json                  print one line FMN_READY {"apiUrl":…,"endpoints":…,"env":…} instead of the banner
                                (for programs that start the local cloud, like the integration tests)
  -h, --help                    this text

Ports (with --ports=fixed), from the environment:
  PORT            the API            (default 3000)
  DYNAMODB_PORT   DynamoDB Local     (default 8000)
  SQS_S3_PORT     SQS and S3         (default 4566)
  KMS_PORT        the KMS emulator   (default 4599)
Other settings from the environment:
  CORS_ALLOWED_ORIGINS    comma-separated origins the API answers to (default none)
  LOCAL_SCHEDULE_SECONDS  how often the scheduled jobs run (default 300, or a job's own shorter rate; once at start too)
  CLIENT_IDS              apps allowed in X-Client-Id (default web,ios,android)
  OIDC_PROVIDERS          OIDC issuers allowed to log in, JSON as for -c oidcProviders (default none)
  RIGHTS_MODES            rights-request modes, JSON as for -c rightsModes (default automatic)
  AWAIT_RECIPIENTS        recipients an erasure or export waits for (acks), a JSON array of ids (default [], none,
                          or ["app-service"] with --example-recipient; every recipient on AWS)
  INDEX_SHARDS            shards of the sharded index keys, as -c indexShards (default 4; 32 on AWS)
  FMN_DEBUG=1             a stack trace with a bad flag`;

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.ports !== 'fixed' && values.ports !== 'auto') {
  console.error(`npm start: --ports must be fixed or auto, got "${values.ports}" (see npm start -- --help)`);
  process.exit(2);
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
    exampleRecipient: values['example-recipient'],
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
    console.log(
      startBanner({
        apiUrl: cloud.apiUrl,
        endpoints: cloud.endpoints,
        autoPorts: auto,
        state: values['in-memory'] ? 'in memory (nothing kept)' : values['state-dir'] ?? '.local/state',
        readySeconds: (Date.now() - started) / 1000,
      }),
    );
  }
}

main().catch((error: Error) => {
  // A clear sentence, not a stack trace: the usual causes are a missing Java or a port in use.
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
