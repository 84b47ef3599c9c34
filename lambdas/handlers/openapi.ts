import { openApiRoute } from './openapi.route';
import { dataFreeRoute } from '../shared/http-core';
// The committed document is bundled as-is; a test keeps it equal to what the route table generates.
import document from '../../docs/openapi.json';

export const handler = dataFreeRoute(openApiRoute, async () => ({
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));
