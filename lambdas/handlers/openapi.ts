import { openApiRoute } from './openapi.route';
import { dataFreeRoute } from '../http/http-core';
import { bundledFileReader } from '../runtime/bundled-file';

// The committed document (a test keeps it equal to what the route table generates), read from the function's asset on the
// first request instead of bundled: 109 KiB of JSON would be parsed on every cold start, including the ones that never
// serve it.
const documentText = bundledFileReader('docs/openapi.json');
let document: unknown;

export const handler = dataFreeRoute(openApiRoute, async () => ({
  body: (document ??= JSON.parse(documentText())),
  headers: { 'cache-control': 'public, max-age=300' },
}));
