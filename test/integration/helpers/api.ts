/**
 * Small clients for integration suites: the HTTP API of a running local cloud, its DynamoDB tables, and the ops commands.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { URI, type TOTP } from 'otpauth';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { assertContract } from './contract';
import type { LocalCloudHandle } from './local-cloud';

export type Json = Record<string, any>;

export const PASSWORD = 'correct horse battery staple';
const ROOT = join(__dirname, '..', '..', '..');

export interface ApiAnswer {
  readonly status: number;
  readonly body: Json;
  /** The body as sent: what a non-JSON answer (a CSV export) is read from. */
  readonly text: string;
  readonly headers: Headers;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly token?: string;
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

/**
 * A client for the API of a running local cloud. Every answer is checked against the route table before the test sees
 * it (`contract.ts`): declared status, declared content type, and the declared schema with unknown keys failing.
 */
export function apiClient(cloud: Pick<LocalCloudHandle, 'apiUrl'>) {
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${cloud.apiUrl}${path}`, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    assertContract({ method, path, status: response.status, contentType: response.headers.get('content-type'), text });
    const json = text && /json/.test(response.headers.get('content-type') ?? '');
    return { status: response.status, body: json ? (JSON.parse(text) as Json) : {}, text, headers: response.headers };
  };
}

/** A person with unique values in every profile field, so a leak of any of them is attributable. */
export function newPerson(overrides: Json = {}) {
  const tag = randomUUID().slice(0, 8);
  return {
    email: `ada.${tag}@example.com`,
    displayName: `Ada ${tag}`,
    givenName: `Augusta${tag}`,
    familyName: `Lovelace${tag}`,
    locale: 'en-GB',
    phone: `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`,
    postalAddress: { street: `12 St James's Square ${tag}`, postalCode: 'SW1Y 4JH', city: 'London', country: 'GB' },
    password: PASSWORD,
    ...overrides,
  };
}

export function documentClient(cloud: Pick<LocalCloudHandle, 'endpoints'>): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'eu-west-1', endpoint: cloud.endpoints.dynamodb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
}

export async function scanAll(db: DynamoDBDocumentClient, tableName: string): Promise<Json[]> {
  const items: Json[] = [];
  let ExclusiveStartKey: Json | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The signal that ended the process, when one did (a test's injected crash). */
  readonly signal?: string;
}

/** Runs an ops script (`scripts/<name>.ts --local …`) against the running local cloud. */
export function runOpsCommand(
  cloud: Pick<LocalCloudHandle, 'endpoints'>,
  script: string,
  args: readonly string[],
  input = '',
  env: Record<string, string> = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts', `${script}.ts`), '--local', ...args],
      {
        env: {
          ...process.env,
          AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.dynamodb,
          AWS_ENDPOINT_URL_KMS: cloud.endpoints.kms,
          PASSWORD_SCRYPT_LOG_N: '12',
          ...env,
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, ...(error?.signal ? { signal: error.signal } : {}) }),
    );
    child.stdin!.end(input);
  });
}

/**
 * Creates an admin with the ops command and logs in with password and TOTP code; returns the admin's subject id, session
 * token, and what `fmn admin create` printed of the second factor (the otpauth URI and the recovery codes).
 */
export async function createAdmin(
  cloud: Pick<LocalCloudHandle, 'endpoints' | 'apiUrl'>,
): Promise<{ subjectId: string; token: string; email: string; otpauthUri: string; recoveryCodes: string[] }> {
  const email = `admin.${randomUUID()}@example.com`;
  const created = await runOpsCommand(cloud, 'create-admin', ['--email', email, '--display-name', 'Admin'], `${PASSWORD}\n`);
  if (created.code !== 0) throw new Error(`create-admin exited ${created.code}: ${created.stderr}`);
  const { otpauthUri, recoveryCodes } = JSON.parse(created.stdout.trim().split('\n').pop()!) as { otpauthUri: string; recoveryCodes: string[] };
  const login = await apiClient(cloud)('POST', '/v1/sessions', { body: { email, password: PASSWORD, code: totpNow(otpauthUri) } });
  if (login.status !== 201) throw new Error(`admin login answered ${login.status}`);
  return { subjectId: login.body.subjectId, token: login.body.session.token, email, otpauthUri, recoveryCodes };
}

/** The current code of an otpauth URI, as the admin's authenticator app shows it (`offsetSteps` for the next ones). */
export function totpNow(otpauthUri: string, offsetSteps = 0): string {
  const totp = URI.parse(otpauthUri) as TOTP;
  return totp.generate({ timestamp: Date.now() + offsetSteps * totp.period * 1000 });
}
