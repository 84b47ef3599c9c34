import { fallbackRoute, matchPath, matchRoute, routes, workers } from '../../lambdas/routes';
import { inventory } from '../../lambdas/inventory';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

describe('route table', () => {
  it('has unique ids and unique method+path pairs', () => {
    const ids = routes.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('points every route and worker at a handler file that exists', () => {
    for (const name of [...routes, fallbackRoute, ...workers].map((r) => r.handler)) {
      expect(existsSync(join(__dirname, '../../lambdas/handlers', `${name}.ts`))).toBe(true);
    }
  });

  it('declares personal data only against stores and fields of the inventory', () => {
    for (const touch of [...routes, ...workers].flatMap((r) => r.personalData)) {
      const store = inventory[touch.store];
      expect(store).toBeDefined();
      for (const field of touch.fields) expect(Object.keys(store.fields)).toContain(field);
    }
  });

  it('versions every public path under /v1', () => {
    for (const route of routes) expect(route.path.startsWith('/v1/')).toBe(true);
  });
});

describe('matchPath / matchRoute', () => {
  it('matches literal and parameter segments', () => {
    expect(matchPath('/v1/me/consents/{purpose}', '/v1/me/consents/analytics')).toEqual({ purpose: 'analytics' });
    expect(matchPath('/v1/me/consents/{purpose}', '/v1/me/consents')).toBeUndefined();
    expect(matchPath('/v1/health', '/v1/health/')).toEqual({});
    expect(matchPath('/{proxy+}', '/a/b/c')).toEqual({ proxy: 'a/b/c' });
  });

  it('decodes parameters and tolerates bad escapes', () => {
    expect(matchPath('/x/{id}', '/x/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/x/{id}', '/x/%E0%A4%A')).toEqual({ id: '%E0%A4%A' });
  });

  it('tells a wrong method (allowed list) from an unknown path', () => {
    expect(matchRoute('GET', '/v1/health')).toMatchObject({ route: { id: 'health' } });
    expect(matchRoute('DELETE', '/v1/health')).toEqual({ allowed: ['GET'] });
    expect(matchRoute('GET', '/v1/nope')).toBeUndefined();
  });
});
