/**
 * Port helpers for the local stand-ins. Everything binds to loopback only: the emulators have no
 * authentication, so they must never be reachable from the network.
 */
import { createServer } from 'node:net';

/** The only interface local services listen on. */
export const LOOPBACK = '127.0.0.1';

/** A running local stand-in for an AWS service. */
export interface LocalService {
  /** Base URL for SDK clients, e.g. `http://127.0.0.1:8000`. */
  endpoint: string;
  port: number;
  /** Stops the service and releases its port; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Asks the OS for a currently free TCP port on `host`.
 *
 * The port is released before this resolves, so another process could grab it before the caller
 * binds; callers that spawn a server should still treat a bind failure as possible.
 */
export function freePort(host: string = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`could not determine a free port on ${host}`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * Resolves if `port` can be bound on `host`; rejects with `port N on HOST is already in use`
 * otherwise. Used before spawning a server so the failure is immediate and readable instead of
 * buried in a child's stderr.
 */
export function assertPortFree(port: number, host: string = LOOPBACK): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} on ${host} is already in use`));
      } else {
        reject(new Error(`cannot bind port ${port} on ${host}: ${error.message}`));
      }
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * Resolves `requested` to a concrete port: 0 or undefined means "any free port", anything else
 * must be free right now.
 */
export async function resolvePort(requested: number | undefined, host: string = LOOPBACK): Promise<number> {
  if (requested === undefined || requested === 0) return freePort(host);
  if (!Number.isInteger(requested) || requested < 1 || requested > 65535) {
    throw new Error(`invalid port ${requested}: expected an integer from 1 to 65535, or 0 for a free port`);
  }
  await assertPortFree(requested, host);
  return requested;
}
