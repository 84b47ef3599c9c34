import { fallbackRoute, matchPath, matchRoute, parseRouteMethods, routeMethodsEnvironment, routes, workers } from '../../lambdas/routes';
import { inventory } from '../../lambdas/inventory';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { cursorParam } from '../../lambdas/http/cursor';
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

  it('pages every paginated route through sealed cursors, and only those routes', () => {
    const paged = routes.filter((r) => r.paging).map((r) => r.id);
    expect(paged).toEqual(expect.arrayContaining(['myAudit', 'adminAudit', 'consentHistory']));
    for (const route of routes) {
      const cursor = route.request?.query?.shape.cursor;
      // a route that hands out a `next` or takes a `cursor` is a paginated route
      const answersNext = Object.values(route.responses).some((r) => {
        const schema = r.schema?.();
        return schema instanceof z.ZodMiniObject && 'next' in schema.shape;
      });
      expect([route.id, cursor !== undefined || answersNext]).toEqual([route.id, route.paging !== undefined]);
      if (!route.paging) continue;
      // the one cursor parameter, opened by httpRoute with the key derived from the pseudonym key, which the route must hold
      expect([route.id, (cursor as z.ZodMiniOptional).def.innerType]).toEqual([route.id, cursorParam]);
      expect([route.id, route.crypto]).toEqual([route.id, expect.arrayContaining(['pseudonyms'])]);
    }
  });

  it('has handlers read request headers only through request.headers, so every header read is declared', () => {
    // `request.headers` is typed from the route's declarations: reading an undeclared header there does not compile. This
    // closes the way around it, reading the raw event's headers. The authorizer reads Authorization, the session scheme.
    const dir = join(__dirname, '../../lambdas/handlers');
    const rawReads = /headerOf\(|\.headers\b(?!\[')|\bheaders\?\.|multiValueHeaders|identity\??\.userAgent/;
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'authorizer.ts')
      .filter((f) => readFileSync(join(dir, f), 'utf8').split('\n').some((line) => rawReads.test(line.replace(/\bheaders\['[a-z-]+'\]/g, ''))));
    expect(offenders).toEqual([]);
  });

  it('declares headers once each, with a description, and gives the X-Client-Id routes the client-id setting', () => {
    for (const route of routes) {
      const names = (route.headers ?? []).map((h) => h.name.toLowerCase());
      expect(new Set(names).size).toBe(names.length);
      for (const header of route.headers ?? []) expect(header.description.length).toBeGreaterThan(20);
      expect(route.settings?.includes('clientIds') ?? false).toBe(names.includes('x-client-id'));
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
    expect(matchRoute('GET', '/v1/health', routes)).toMatchObject({ route: { id: 'health' } });
    expect(matchRoute('DELETE', '/v1/health', routes)).toEqual({ allowed: ['GET'] });
    expect(matchRoute('GET', '/v1/nope', routes)).toBeUndefined();
  });

  it('hands the fallback every method and path through ROUTE_METHODS, well inside Lambda\'s 4 KB of environment', () => {
    const value = routeMethodsEnvironment(routes);
    const known = parseRouteMethods(value);
    expect(known).toEqual(routes.map((r) => ({ method: r.method, path: r.path })));
    expect(matchRoute('PUT', '/v1/me/consents/analytics', known)).toMatchObject({ route: { path: '/v1/me/consents/{purpose}' } });
    expect(matchRoute('POST', '/v1/me', known)).toEqual({ allowed: ['GET', 'PATCH'] });
    expect(Buffer.byteLength(value)).toBeLessThan(2048);
    expect(() => parseRouteMethods('FETCH /v1/x')).toThrow(/malformed/);
    expect(() => parseRouteMethods('GET v1/x')).toThrow(/malformed/);
  });
});
