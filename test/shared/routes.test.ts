import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { urlWithToken } from '../../shared/api-client.ts';
import { ROUTES } from '../../shared/routes.ts';

const DOC = fs.readFileSync(path.join(import.meta.dirname, '../../docs/api.md'), 'utf8');
const routes = Object.entries(ROUTES);

describe('the route contract', () => {
  it('is documented: docs/api.md names every route by its method and path', () => {
    const missing = routes.filter(([, r]) => !DOC.includes(`${r.method} ${r.path}`)).map(([name, r]) => `${name}: ${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('declares each method and path once, and every path under /api/', () => {
    const keys = routes.map(([, r]) => `${r.method} ${r.path.replace(/:[a-z]+/gu, ':param')}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(routes.filter(([, r]) => !r.path.startsWith('/api/'))).toEqual([]);
  });

  it("takes a token in the query only on GETs whose clients cannot send headers, and the extension's routes only from an extension", () => {
    expect(routes.filter(([, r]) => r.tokenInQuery).map(([name]) => name)).toEqual(['events', 'downloadFile']);
    for (const [, r] of routes) if (r.tokenInQuery) expect(r.method).toBe('GET');
    for (const [name, r] of routes) expect([name, r.path.startsWith('/api/ext/')]).toEqual([name, r.access.startsWith('extension-')]);
  });

  it('puts a token in the query only for the routes that take it there, relative to where Haul is served', () => {
    expect(urlWithToken('https://nas.example/haul/', 'downloadFile', 't 1', 'a/b')).toBe('https://nas.example/haul/api/downloads/a%2Fb/file?token=t+1');
    expect(urlWithToken('http://127.0.0.1:7411/', 'events', undefined)).toBe('http://127.0.0.1:7411/api/events');
    expect(() => urlWithToken('http://127.0.0.1:7411/', 'listDownloads', 't')).toThrow(/only in the Authorization header/u);
  });
});
