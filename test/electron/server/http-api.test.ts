import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../electron/engine/store/sqlite-store.ts';
import { request, startTestHaul } from '../../helpers/haul-harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';

const TOKEN = 'test-token-0123456789';
let files: TestServer | undefined;
afterEach(async () => {
  await files?.close();
  files = undefined;
});

const json = (): Record<string, string> => ({ 'content-type': 'application/json' });

describe('authentication and origin rules', () => {
  it('needs the token on every API route, by header (the query only for the event stream)', async () => {
    const haul = await startTestHaul();
    expect((await request(haul.url, '/api/downloads')).status).toBe(401);
    expect((await request(haul.url, '/api/downloads', { token: 'wrong' })).status).toBe(401);
    const missing = await request(haul.url, '/api/settings');
    expect(missing.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/token/u) } });
    expect((await request(haul.url, '/api/downloads', { token: TOKEN })).status).toBe(200);
    expect((await request(haul.url, `/api/downloads?token=${TOKEN}`)).status).toBe(401);
  });

  it('refuses a Host that does not name the server (DNS rebinding), even with the token', async () => {
    const haul = await startTestHaul();
    const port = haul.port;
    for (const host of [`evil.example:${port}`, 'localhost', `127.0.0.1:${port + 1}`]) {
      const res = await request(haul.url, '/api/downloads', { token: TOKEN, headers: { host } });
      expect(res.status, host).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN_HOST');
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await request(haul.url, '/api/downloads', { token: TOKEN, headers: { host } })).status, host).toBe(200);
    }
  });

  it('answers a host the user allowed', async () => {
    const haul = await startTestHaul({ allowHosts: ['nas.local'] });
    expect((await request(haul.url, '/api/downloads', { token: TOKEN, headers: { host: `nas.local:${haul.port}` } })).status).toBe(200);
  });

  it('refuses foreign origins and echoes only the allowed one, never a wildcard', async () => {
    const haul = await startTestHaul({ extraOrigins: ['app://haul'] });
    const foreign = await request(haul.url, '/api/downloads', { token: TOKEN, headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.json().error.code).toBe('FORBIDDEN_ORIGIN');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const own = await request(haul.url, '/api/downloads', { token: TOKEN, headers: { origin: `http://127.0.0.1:${haul.port}` } });
    expect(own.status).toBe(200);
    expect(own.headers['access-control-allow-origin']).toBe(`http://127.0.0.1:${haul.port}`);
    const app = await request(haul.url, '/api/downloads', { method: 'OPTIONS', headers: { origin: 'app://haul' } });
    expect(app.status).toBe(204);
    expect(app.headers['access-control-allow-origin']).toBe('app://haul');
  });

  it('cannot be driven by a cross-site form post (JSON only)', async () => {
    const haul = await startTestHaul();
    const res = await request(haul.url, '/api/downloads', { method: 'POST', token: TOKEN, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'url=http://x.test/' });
    expect(res.status).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(haul.engine.list()).toEqual([]);
  });
});

describe('routes', () => {
  it('adds, lists, gets, pauses, resumes and removes', async () => {
    files = await startTestServer({ '/f.bin': serveBytes(testBytes(1000)) });
    const haul = await startTestHaul();
    const added = await request(haul.url, '/api/downloads', { method: 'POST', token: TOKEN, headers: json(), body: JSON.stringify({ url: files.url('/f.bin'), paused: true }) });
    expect(added.status).toBe(201);
    const [d] = added.json().downloads;
    expect(d).toMatchObject({ status: 'paused', url: files.url('/f.bin'), filename: 'f.bin', dir: haul.downloadDir });
    expect((await request(haul.url, '/api/downloads', { token: TOKEN })).json().downloads).toHaveLength(1);
    expect((await request(haul.url, `/api/downloads/${d.id}`, { token: TOKEN })).json()).toMatchObject({ id: d.id });
    const paused = await request(haul.url, `/api/downloads/${d.id}/pause`, { method: 'POST', token: TOKEN });
    expect(paused.status).toBe(200);
    const resumed = await request(haul.url, `/api/downloads/${d.id}/resume`, { method: 'POST', token: TOKEN });
    expect(resumed.status).toBe(200);
    await new Promise<void>((resolve) => {
      const check = (): void => void (haul.engine.get(d.id)?.status === 'completed' && resolve());
      haul.engine.on('updated', check);
      check();
    });
    const again = await request(haul.url, `/api/downloads/${d.id}/pause`, { method: 'POST', token: TOKEN });
    expect(again.status).toBe(409);
    expect(again.json().error.code).toBe('INVALID_STATE');
    const removed = await request(haul.url, `/api/downloads/${d.id}?deleteFile=true`, { method: 'DELETE', token: TOKEN });
    expect(removed.status).toBe(204);
    expect(fs.readdirSync(haul.downloadDir)).toEqual([]);
    expect((await request(haul.url, `/api/downloads/${d.id}`, { token: TOKEN })).status).toBe(404);
  });

  it('adds several URLs at once', async () => {
    const haul = await startTestHaul();
    const res = await request(haul.url, '/api/downloads', {
      method: 'POST',
      token: TOKEN,
      headers: json(),
      body: JSON.stringify({ urls: ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b'], paused: true }),
    });
    expect(res.status).toBe(201);
    expect(res.json().downloads.map((d: { filename: string }) => d.filename)).toEqual(['a', 'b']);
  });

  it.each([
    ['malformed JSON', '{"url": ', 'INVALID_JSON', 'body'],
    ['an unknown field', JSON.stringify({ url: 'http://a.test/', color: 'red' }), 'INVALID_FIELD', 'color'],
    ['a bad URL', JSON.stringify({ url: 'ftp://a.test/' }), 'UNSUPPORTED_PROTOCOL', 'ftp'],
    ['a bad second URL', JSON.stringify({ urls: ['http://a.test/', 'nope'] }), 'INVALID_URL', 'urls[1]'],
    ['too many connections', JSON.stringify({ url: 'http://a.test/', connections: 99 }), 'INVALID_FIELD', 'connections'],
    ['a non-object', JSON.stringify(['http://a.test/']), 'INVALID_FIELD', 'body'],
  ])('answers 400 for %s, naming the problem, and changes nothing', async (_name, body, code, mention) => {
    const haul = await startTestHaul();
    const res = await request(haul.url, '/api/downloads', { method: 'POST', token: TOKEN, headers: json(), body });
    expect(res.status).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toContain(mention);
    expect(haul.engine.list()).toEqual([]);
  });

  it('answers 413 for a body over 1 MiB', async () => {
    const haul = await startTestHaul();
    const urls = Array.from({ length: 40_000 }, (_, i) => `http://a.test/${'x'.repeat(20)}${i}`);
    const res = await request(haul.url, '/api/downloads', { method: 'POST', token: TOKEN, headers: json(), body: JSON.stringify({ urls }) });
    expect(res.status).toBe(413);
    expect(haul.engine.list()).toEqual([]);
  });

  it('answers 404 for unknown ids and routes, 405 for a wrong method', async () => {
    const haul = await startTestHaul();
    expect((await request(haul.url, '/api/downloads/nope', { token: TOKEN })).json().error.code).toBe('NOT_FOUND');
    expect((await request(haul.url, '/api/downloads/nope/pause', { method: 'POST', token: TOKEN })).status).toBe(404);
    expect((await request(haul.url, '/api/nothing', { token: TOKEN })).status).toBe(404);
    const wrong = await request(haul.url, '/api/settings', { method: 'PUT', token: TOKEN });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, PATCH');
  });

  it('reads and patches settings, naming a bad field', async () => {
    const haul = await startTestHaul();
    const before = (await request(haul.url, '/api/settings', { token: TOKEN })).json();
    expect(before).toMatchObject({ maxConcurrent: 3, connectionsPerDownload: 8, speedLimit: 0, downloadDir: haul.downloadDir });
    const patched = await request(haul.url, '/api/settings', { method: 'PATCH', token: TOKEN, headers: json(), body: JSON.stringify({ maxConcurrent: 5 }) });
    expect(patched.json()).toMatchObject({ maxConcurrent: 5 });
    const bad = await request(haul.url, '/api/settings', { method: 'PATCH', token: TOKEN, headers: json(), body: JSON.stringify({ maxConcurrent: 0, speedLimit: 10 }) });
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toContain('maxConcurrent');
    expect(haul.engine.settings).toMatchObject({ maxConcurrent: 5, speedLimit: 0 });
  });

  it('serves the interface with a strict Content-Security-Policy', async () => {
    const staticDir = fs.mkdtempSync('/tmp/haul-ui-');
    fs.writeFileSync(`${staticDir}/index.html`, '<!doctype html><title>Haul</title>');
    const haul = await startTestHaul({ staticDir });
    const page = await request(haul.url, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Haul</title>');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/u);
    expect(page.headers['content-security-policy']).toMatch(/connect-src 'self'/u);
    expect((await request(haul.url, '/../../etc/passwd')).body).toContain('<title>Haul</title>');
    fs.rmSync(staticDir, { recursive: true });
  });
});

describe('risky file types', () => {
  it('marks a download whose file can run code, and no other', async () => {
    const haul = await startTestHaul();
    const [exe, iso] = haul.engine.add({ urls: ['http://127.0.0.1:9/setup.exe', 'http://127.0.0.1:9/disk.iso'], paused: true });
    const listed = (await request(haul.url, '/api/downloads', { token: TOKEN })).json().downloads as Array<{ id: string; risky: boolean }>;
    expect(listed.find((d) => d.id === exe!.id)?.risky).toBe(true);
    expect(listed.find((d) => d.id === iso!.id)?.risky).toBe(false);
  });
});

describe('refreshed links and learnt host limits', () => {
  it("replaces a download's URL with PATCH, and refuses anything but a url", async () => {
    files = await startTestServer({ '/a': serveBytes(testBytes(10)), '/b': serveBytes(testBytes(10)) });
    const haul = await startTestHaul();
    const [d] = haul.engine.add({ url: files.url('/a'), paused: true });
    const route = `/api/downloads/${d!.id}`;
    const ok = await request(haul.url, route, { method: 'PATCH', token: TOKEN, headers: json(), body: JSON.stringify({ url: files.url('/b') }) });
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ id: d!.id, url: files.url('/b'), status: 'paused' });
    for (const [body, field] of [
      [{ filename: 'x' }, 'filename'],
      [{}, 'url'],
      [{ url: 'javascript:alert(1)' }, 'url'],
    ] as const) {
      const bad = await request(haul.url, route, { method: 'PATCH', token: TOKEN, headers: json(), body: JSON.stringify(body) });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.json().error.message).toContain(field);
    }
    expect(haul.engine.get(d!.id)?.url).toBe(files.url('/b'));
    expect((await request(haul.url, '/api/downloads/nope', { method: 'PATCH', token: TOKEN, headers: json(), body: JSON.stringify({ url: files.url('/a') }) })).status).toBe(404);
  });

  it('lists learnt host ceilings and forgets one on DELETE', async () => {
    // What an earlier run learnt, in the store a restarted Haul opens.
    const dataDir = tempDir();
    const earlier = new SqliteStore(path.join(dataDir, 'haul.sqlite'));
    earlier.saveHostLimit('slow.example:443', 2, '2026-01-01T00:00:00.000Z');
    earlier.close();
    const restarted = await startTestHaul({ dataDir });
    const listed = await request(restarted.url, '/api/hosts', { token: TOKEN });
    expect(listed.json()).toEqual({ hosts: [{ host: 'slow.example:443', connections: 2, learnedAt: '2026-01-01T00:00:00.000Z' }] });
    expect((await request(restarted.url, `/api/hosts/${encodeURIComponent('slow.example:443')}`, { method: 'DELETE', token: TOKEN })).status).toBe(204);
    expect((await request(restarted.url, '/api/hosts', { token: TOKEN })).json()).toEqual({ hosts: [] });
    expect((await request(restarted.url, '/api/hosts/slow.example%3A443', { method: 'DELETE', token: TOKEN })).status).toBe(404);
  });
});
