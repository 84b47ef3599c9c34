/**
 * Response schemas are built only when something asks for them (the OpenAPI generator, the contract tests), never when a
 * function loads its route: handlers do not parse their own answers, and zod builds every schema eagerly, so answers'
 * schemas were most of what a function built at cold start.
 */
import * as z from 'zod/mini';
import { lazySchema } from '../../lambdas/http/route-definition';

type WithIds = { _idmap: Map<string, unknown> };
const registeredIds = () => [...(z.globalRegistry as unknown as WithIds)._idmap.keys()];

describe('response schemas', () => {
  it('are built on first use, once, and registered then', () => {
    let builds = 0;
    const answer = lazySchema(() => {
      builds++;
      return z.object({ ok: z.boolean() }).register(z.globalRegistry, { id: 'LazySchemaTestAnswer' });
    });
    expect(builds).toBe(0);
    expect(registeredIds()).not.toContain('LazySchemaTestAnswer');
    expect(answer()).toBe(answer());
    expect(builds).toBe(1);
    expect(registeredIds()).toContain('LazySchemaTestAnswer');
  });

  it('are not built when a function loads its route declaration, while its request schemas are', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { registerRoute } = require('../../lambdas/handlers/register.route');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('zod/mini') as typeof z;
      const ids = [...(isolated.globalRegistry as unknown as WithIds)._idmap.keys()];
      expect(ids).toContain('RegisterRequest');
      expect(ids).not.toEqual(expect.arrayContaining(['Registration']));
      expect(ids).not.toContain('Account');
      expect(ids).not.toContain('Problem');
      registerRoute.responses[201].schema();
      const after = [...(isolated.globalRegistry as unknown as WithIds)._idmap.keys()];
      expect(after).toEqual(expect.arrayContaining(['Registration', 'Account', 'IssuedSession']));
    });
  });
});
