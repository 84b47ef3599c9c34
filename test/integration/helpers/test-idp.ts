/**
 * A stand-in OpenID Connect identity provider for integration tests, run in a child process with {@link startServiceInChild}.
 *
 * jose 6 is ESM-only and jest here runs CommonJS (node 20 has no require(esm) inside jest's module system), so the keys and
 * the signing live in this child, started with `node --import tsx`. It holds two RS256 key pairs: `trusted`, published at
 * `GET /jwks`, and `attacker`, published nowhere. `POST /sign` with `{ signer, claims, kid? }` answers `{ token }`: the
 * claims signed as given, so a test states every claim (iss, aud, sub, exp, iat…) it sends. Only 127.0.0.1 is bound.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export type TestIdpSigner = 'trusted' | 'attacker';

export interface TestIdpSignRequest {
  readonly signer: TestIdpSigner;
  readonly claims: JWTPayload;
  /** The `kid` header; defaults to the signer's own key id. */
  readonly kid?: string;
}

// a test reads the published kid from GET /jwks: importing a value from here would pull jose into jest
const TRUSTED_KID = 'test-idp-trusted';
const ATTACKER_KID = 'test-idp-attacker';

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Starts the provider on 127.0.0.1 and a free port; the endpoint is the issuer base URL. */
export async function startTestIdp(): Promise<{ endpoint: string; port: number; close(): Promise<void> }> {
  const trusted = await generateKeyPair('RS256', { extractable: true });
  const attacker = await generateKeyPair('RS256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(trusted.publicKey)), kid: TRUSTED_KID, alg: 'RS256', use: 'sig' }] };
  const keys: Record<TestIdpSigner, { key: CryptoKey; kid: string }> = {
    trusted: { key: trusted.privateKey, kid: TRUSTED_KID },
    attacker: { key: attacker.privateKey, kid: ATTACKER_KID },
  };

  const server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && request.url === '/jwks') return answer(200, jwks);
    if (request.method === 'POST' && request.url === '/sign') {
      readJson(request)
        .then(async (raw) => {
          const { signer, claims, kid } = raw as TestIdpSignRequest;
          const signing = keys[signer];
          if (!signing) return answer(400, { error: `unknown signer ${String(signer)}` });
          const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: kid ?? signing.kid }).sign(signing.key);
          answer(200, { token });
        })
        .catch((error: unknown) => answer(500, { error: String(error) }));
      return;
    }
    answer(404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // the local cloud's JWKS client may hold a keep-alive connection open
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
