/**
 * The local server's CORS preflight answers from the same declaration as the API Gateway stage (lambdas/routes.ts `CORS`,
 * `corsAllowHeaders`); the infra test checks the stage's side.
 */
import { startLocalApi, type RunningLocalApi } from '../../local/api-server';
import { CORS, corsAllowHeaders, routes } from '../../lambdas/routes';

let api: RunningLocalApi;

beforeAll(async () => {
  // A preflight never reaches a handler: none is loaded.
  api = await startLocalApi({ port: 0, routes, corsOrigins: ['https://app.example.com'], stage: 'local', loadHandler: async () => undefined });
});

afterAll(async () => {
  await api?.close();
});

it('allows the declared headers, methods and max-age of the one CORS declaration', async () => {
  const response = await fetch(`${api.url}/v1/me/consents/analytics`, {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-client-id' },
  });
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  expect(response.headers.get('access-control-allow-headers')).toBe(corsAllowHeaders(routes).join(','));
  expect(response.headers.get('access-control-allow-headers')).toMatch(/X-Client-Id/);
  expect(response.headers.get('access-control-allow-headers')).toMatch(/X-Receipt-Token/);
  expect(response.headers.get('access-control-allow-methods')).toBe(CORS.allowMethods.join(','));
  expect(response.headers.get('access-control-max-age')).toBe(String(CORS.maxAgeSeconds));
});
