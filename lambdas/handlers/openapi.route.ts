import { commonProblems, defineRoute } from '../http/route-definition';

export const openApiRoute = defineRoute({
  id: 'openapi',
  method: 'GET',
  path: '/v1/openapi.json',
  handler: 'openapi',
  summary: 'This API described as OpenAPI 3.1, generated from the route table.',
  description: 
    'Serves the OpenAPI 3.1 document generated from the route table that also builds the deployed API, ' +
    'the local server and their CORS settings. Each operation carries its personal-data declaration ' +
    '(`x-fmn-personal-data`) and purpose (`x-fmn-purpose`).',
  tags: ['operations'],
  feature: 'operations',
  auth: 'public',
  responses: { 200: { description: 'The OpenAPI 3.1 document.' }, ...commonProblems },
  personalData: [],
  bundledFiles: ['docs/openapi.json'],
});
