import { defineRoute } from '../http/route-definition';

/** Answers anything the table does not match: 404 for unknown paths, 405 (with Allow) for known paths. */
export const fallbackRoute = defineRoute({
  id: 'fallback',
  method: 'GET', // served for every method; the API stack wires it as ANY
  path: '/{proxy+}',
  handler: 'fallback',
  summary: 'Problem answers for unknown routes and wrong methods.',
  description: 
    'Every path and method the table does not declare: a problem document, 404 for an unknown path, 405 ' +
    'with `Allow` for a known path.',
  tags: [],
  feature: 'operations',
  auth: 'public',
  responses: { 404: { description: 'No such route.' }, 405: { description: 'Method not allowed.' } },
  personalData: [],
});
