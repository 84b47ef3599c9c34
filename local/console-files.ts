/**
 * Serves the built console at /console/ on the local API's origin, with the same security headers CloudFront adds on AWS
 * (console/security-headers.ts). Only the files of the build are served; anything else under /console/ is a 404.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONSOLE_FILES } from '../console/build';
import { CONSOLE_HEADERS, CONSOLE_PATH } from '../console/security-headers';

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** Answers a request for the console and returns true, or returns false when the path is not the console's. */
export async function serveConsole(req: IncomingMessage, res: ServerResponse, pathname: string, dir: string): Promise<boolean> {
  const base = CONSOLE_PATH.slice(0, -1);
  if (pathname !== base && !pathname.startsWith(CONSOLE_PATH)) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', ...CONSOLE_HEADERS });
    res.end();
    return true;
  }
  if (pathname === base) {
    res.writeHead(301, { location: CONSOLE_PATH, ...CONSOLE_HEADERS });
    res.end();
    return true;
  }
  const name = pathname.slice(CONSOLE_PATH.length) || 'index.html';
  if (!(CONSOLE_FILES as readonly string[]).includes(name)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...CONSOLE_HEADERS });
    res.end('Not found');
    return true;
  }
  const body = await readFile(join(dir, name));
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[name.split('.').pop()!],
    // index.html names app.js without a hash: always revalidate, so a rebuilt console is picked up at once
    'cache-control': 'no-cache',
    ...CONSOLE_HEADERS,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
