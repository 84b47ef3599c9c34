/**
 * A local KMS endpoint for development and tests, spoken to by the unmodified `@aws-sdk/client-kms` through its
 * `endpoint` option or `AWS_ENDPOINT_URL_KMS`. It speaks the AWS JSON 1.1 protocol (`POST /`,
 * `X-Amz-Target: TrentService.<Operation>`) and implements the key, alias and cryptographic operations this
 * project uses, with real AES-256-GCM and HMAC. Request signatures are not checked, so it binds to loopback only.
 *
 * Built on node:http and node:crypto alone: no KMS emulator is available from the registries this project uses.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { KmsError } from './errors';
import { KmsService } from './service';
import { KeyStore } from './state';

export { KmsError } from './errors';
export { KmsService } from './service';

/** How to run the emulator. Every field is optional. */
export interface KmsEmulatorOptions {
  /** Interface to bind. Default '127.0.0.1': with no authentication, the emulator must not face a network. */
  host?: string;
  /** TCP port; 0 (the default) picks a free one, reported in `RunningKmsEmulator.port`. */
  port?: number;
  /** JSON file holding keys and aliases across restarts (mode 0600). Absent: keys live in memory only. */
  stateFile?: string;
  /** Region named in key and alias ARNs. Default 'eu-west-1'. */
  region?: string;
  /** Account named in key and alias ARNs. Default '000000000000'. */
  accountId?: string;
}

/** A listening emulator. */
export interface RunningKmsEmulator {
  /** Base URL for the SDK's `endpoint` option, e.g. `http://127.0.0.1:4599`. */
  endpoint: string;
  port: number;
  /** Stops listening and drops open connections (the SDK keeps them alive). Safe to call more than once. */
  close(): Promise<void>;
}

const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Far above any valid KMS request (blobs are at most a few KiB), low enough that junk cannot exhaust memory. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Starts the emulator and resolves once it is listening. Rejects with a readable Error if the state file is
 * unusable or the port is taken ("port N is already in use").
 */
export async function startKmsEmulator(options: KmsEmulatorOptions = {}): Promise<RunningKmsEmulator> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  const region = options.region ?? 'eu-west-1';
  const accountId = options.accountId ?? '000000000000';
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`KMS emulator: invalid port ${requestedPort}: expected an integer from 1 to 65535, or 0 for a free port`);
  }
  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`KMS emulator: invalid region '${region}'`);
  if (!/^\d{12}$/.test(accountId)) throw new Error(`KMS emulator: invalid account id '${accountId}': expected 12 digits`);

  const store = options.stateFile === undefined ? KeyStore.inMemory() : KeyStore.open(options.stateFile);
  const service = new KmsService(store, { region, accountId });
  const server = createServer((request, response) => serve(service, request, response));
  // Malformed HTTP never reaches the handler; answer it and move on rather than let it surface as an error.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const port = await listen(server, host, requestedPort);
  // Errors after startup (none are expected) must not become an uncaught 'error' event that kills the process.
  server.on('error', () => undefined);

  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `KMS emulator: port ${port} is already in use on ${host}`
            : `KMS emulator: cannot listen on ${host}:${port}: ${error.message}`,
        ),
      );
    };
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

function send(response: ServerResponse, status: number, body: Record<string, unknown>, errorType?: string): void {
  const payload = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  };
  if (errorType !== undefined) headers['x-amzn-errortype'] = errorType;
  response.writeHead(status, headers).end(payload);
}

function sendError(response: ServerResponse, error: KmsError): void {
  send(response, error.statusCode, { __type: error.type, message: error.message }, error.type);
}

function serve(service: KmsService, request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    // Keep draining so the client sees our answer instead of a reset connection, but stop buffering.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  request.on('error', () => response.destroy());
  request.on('end', () => {
    try {
      if (size > MAX_BODY_BYTES) {
        throw new KmsError('ValidationException', `Request body of ${size} bytes exceeds the ${MAX_BODY_BYTES}-byte limit.`);
      }
      const operation = operationOf(request);
      const result = service.handle(operation, parseBody(Buffer.concat(chunks)));
      send(response, 200, result);
    } catch (error) {
      sendError(
        response,
        error instanceof KmsError ? error : new KmsError('KMSInternalException', `KMS emulator internal error: ${(error as Error)?.message ?? String(error)}`),
      );
    }
  });
}

function operationOf(request: IncomingMessage): string {
  if (request.method !== 'POST' || (request.url ?? '/').split('?')[0] !== '/') {
    throw new KmsError('UnsupportedOperationException', `KMS takes POST / with an X-Amz-Target header, not ${request.method} ${request.url}.`);
  }
  const target = request.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX) || target.length === TARGET_PREFIX.length) {
    throw new KmsError('UnsupportedOperationException', `Missing or unrecognised X-Amz-Target '${String(target ?? '')}'; expected ${TARGET_PREFIX}<Operation>.`);
  }
  return target.slice(TARGET_PREFIX.length);
}

function parseBody(raw: Buffer): Record<string, unknown> {
  // The SDK always sends a body ('{}' at least); an empty one is treated the same rather than refused.
  const text = raw.toString('utf8').trim();
  if (text === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new KmsError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new KmsError('SerializationException', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}
