import http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import { readDownloaded, startEngine } from '../../../helpers/engine-harness.ts';
import { freePort, startMicrosocks, startSquid, startTinyproxy } from '../../../helpers/proxies.ts';
import { makeTestCa, type TestCa } from '../../../helpers/test-ca.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../../helpers/test-server.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const KiB = 1024;
let ca: TestCa | undefined;
const testCa = (): TestCa => (ca ??= makeTestCa());

async function httpsServer(data: Buffer): Promise<TestServer> {
  const { key, cert } = testCa();
  const server = await startTestServer({ '/secure.bin': serveBytes(data, { etag: '"t"' }) }, { tls: { key, cert } });
  servers.push(server);
  return server;
}

async function httpServer(data: Buffer): Promise<TestServer> {
  const server = await startTestServer({ '/plain.bin': serveBytes(data, { etag: '"p"' }) });
  servers.push(server);
  return server;
}

/** An engine that reads proxy settings from `env` only (never the test runner's own). */
const engineWith = (env: Record<string, string> = {}) => startEngine({ transportOptions: { env }, retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 } });

describe('TLS', () => {
  it('downloads from a server that speaks only HTTP/2 (it refuses HTTP/1.1 in the handshake), byte-exact, ranges and all', async () => {
    const data = testBytes(3 * 1024 * KiB, 410);
    const { key, cert } = testCa();
    const ranges: string[] = [];
    const h2 = http2.createSecureServer({ key, cert, allowHTTP1: false }, (req, res) => {
      const range = /^bytes=(\d+)-(\d*)$/u.exec(String(req.headers.range ?? ''));
      if (range === null) {
        res.writeHead(200, { 'content-length': String(data.length), 'accept-ranges': 'bytes', etag: '"h2"' }).end(data);
        return;
      }
      ranges.push(range[0]);
      const start = Number(range[1]);
      const end = range[2] === '' ? data.length - 1 : Number(range[2]);
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${data.length}`, 'content-length': String(end - start + 1), etag: '"h2"' }).end(data.subarray(start, end + 1));
    });
    const sessions = new Set<http2.ServerHttp2Session>();
    h2.on('session', (session) => sessions.add(session));
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = h2.address() as { port: number };
      const h = startEngine({ segments: { minSegmentedSize: 1024 * KiB } });
      const [d] = h.engine.add({ url: `https://127.0.0.1:${port}/h2.bin`, caCert: testCa().caCert, connections: 4 });
      const done = await h.waitFor(d!.id, 'completed');
      expect(sha256(readDownloaded(done))).toBe(sha256(data));
      expect(ranges.length).toBeGreaterThan(0);
    } finally {
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => h2.close(() => resolve()));
    }
  });

  it('fails at once on a certificate it cannot trust, saying how to trust it', async () => {
    const server = await httpsServer(testBytes(10 * KiB));
    const h = engineWith();
    const [d] = h.engine.add({ url: server.url('/secure.bin') });
    const failed = await h.waitFor(d!.id, 'failed');
    expect(failed.error?.code).toBe('TLS_ERROR');
    expect(failed.error?.message).toMatch(/not trusted/u);
    expect(failed.error?.message).toMatch(/--ca-cert/u);
    expect(failed.error?.message).toMatch(/NODE_EXTRA_CA_CERTS/u);
    expect(failed.error?.message).toMatch(/--insecure/u);
    // Permanent: no retries were spent on it.
    expect(failed.error?.message).not.toMatch(/retried \d+ times/u);
  });

  it('downloads exact from a server signed by a CA given with the download', async () => {
    const data = testBytes(300 * KiB, 401);
    const server = await httpsServer(data);
    const h = engineWith();
    const [d] = h.engine.add({ url: server.url('/secure.bin'), caCert: testCa().caCert });
    expect(sha256(readDownloaded(await h.waitFor(d!.id, 'completed')))).toBe(sha256(data));
  });

  it('downloads from an untrusted server when the download says insecure', async () => {
    const data = testBytes(50 * KiB, 402);
    const server = await httpsServer(data);
    const h = engineWith();
    const [d] = h.engine.add({ url: server.url('/secure.bin'), insecure: true });
    expect(sha256(readDownloaded(await h.waitFor(d!.id, 'completed')))).toBe(sha256(data));
  });

  it('refuses a caCert that is not a certificate, naming the field', () => {
    const h = engineWith();
    expect(() => h.engine.add({ url: 'https://127.0.0.1/x', caCert: 'not a pem' })).toThrow(/caCert/u);
    expect(h.engine.list()).toEqual([]);
  });
});

describe('proxies (curl rules)', () => {
  it('sends https through an HTTP proxy with CONNECT (squid), trusting the given CA', async () => {
    const data = testBytes(400 * KiB, 403);
    const server = await httpsServer(data);
    const squid = await startSquid();
    const h = engineWith({ HTTPS_PROXY: `http://127.0.0.1:${squid.port}` });
    const [d] = h.engine.add({ url: server.url('/secure.bin'), caCert: testCa().caCert });
    expect(sha256(readDownloaded(await h.waitFor(d!.id, 'completed')))).toBe(sha256(data));
    expect(squid.connections()).toBeGreaterThan(0);
  });

  it('uses HTTPS_PROXY for https only: plain http goes direct', async () => {
    const data = testBytes(20 * KiB, 404);
    const server = await httpServer(data);
    const squid = await startSquid();
    const h = engineWith({ HTTPS_PROXY: `http://127.0.0.1:${squid.port}` });
    const [d] = h.engine.add({ url: server.url('/plain.bin') });
    expect(sha256(readDownloaded(await h.waitFor(d!.id, 'completed')))).toBe(sha256(data));
    expect(squid.connections()).toBe(0);
  });

  it('reads a proxy without a scheme as http:// and uses ALL_PROXY when nothing more specific is set', async () => {
    const data = testBytes(20 * KiB, 405);
    const server = await httpServer(data);
    const proxy = await startTinyproxy();
    const h = engineWith({ ALL_PROXY: `127.0.0.1:${proxy.port}` });
    const [d] = h.engine.add({ url: server.url('/plain.bin') });
    expect(sha256(readDownloaded(await h.waitFor(d!.id, 'completed')))).toBe(sha256(data));
    expect(proxy.connections()).toBeGreaterThan(0);
  });

  it('fails at once when the proxy wants credentials (407), and works with them in the proxy URL', async () => {
    const data = testBytes(20 * KiB, 406);
    const server = await httpServer(data);
    const proxy = await startTinyproxy({ user: 'haul', password: 's3cret' });
    const without = engineWith({ HTTP_PROXY: `http://127.0.0.1:${proxy.port}` });
    const [a] = without.engine.add({ url: server.url('/plain.bin') });
    const failed = await without.waitFor(a!.id, 'failed');
    expect(failed.error?.code).toBe('PROXY_ERROR');
    expect(failed.error?.message).toMatch(/407.*user:password@/u);
    expect(failed.error?.message).not.toMatch(/retried \d+ times/u);
    expect(server.requestsTo('/plain.bin')).toHaveLength(0);
    const withCreds = engineWith({ HTTP_PROXY: `http://haul:s3cret@127.0.0.1:${proxy.port}` });
    const [b] = withCreds.engine.add({ url: server.url('/plain.bin') });
    expect(sha256(readDownloaded(await withCreds.waitFor(b!.id, 'completed')))).toBe(sha256(data));
  });

  it('fails at once when a tunnelling proxy wants credentials, saying where to put them', async () => {
    const server = await httpsServer(testBytes(10 * KiB));
    const proxy = await startTinyproxy({ user: 'haul', password: 's3cret' });
    const h = engineWith({ HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` });
    const [d] = h.engine.add({ url: server.url('/secure.bin'), caCert: testCa().caCert });
    const failed = await h.waitFor(d!.id, 'failed');
    expect(failed.error?.code).toBe('PROXY_ERROR');
    expect(failed.error?.message).toMatch(/407.*user:password@/u);
  });

  it.each(['socks5', 'socks5h'])('downloads through a %s proxy with credentials, and fails at once with wrong ones', async (scheme) => {
    const data = testBytes(200 * KiB, 407);
    const server = await httpServer(data);
    const socks = await startMicrosocks({ user: 'haul', password: 's3cret' });
    const good = engineWith({ ALL_PROXY: `${scheme}://haul:s3cret@127.0.0.1:${socks.port}` });
    const [a] = good.engine.add({ url: server.url('/plain.bin') });
    expect(sha256(readDownloaded(await good.waitFor(a!.id, 'completed')))).toBe(sha256(data));
    expect(socks.connections()).toBeGreaterThan(0);
    const bad = engineWith({ ALL_PROXY: `${scheme}://haul:wrong@127.0.0.1:${socks.port}` });
    const [b] = bad.engine.add({ url: server.url('/plain.bin') });
    const failed = await bad.waitFor(b!.id, 'failed');
    expect(failed.error?.code).toBe('PROXY_ERROR');
    expect(failed.error?.message).toMatch(/SOCKS5/u);
    expect(failed.error?.message).not.toMatch(/retried \d+ times/u);
  });

  it.each(['http', 'socks5', 'socks5h'])('fails at once, naming the %s proxy, when nothing answers at its address', async (scheme) => {
    const server = await httpServer(testBytes(10 * KiB, 409));
    const dead = await freePort();
    const h = engineWith({ ALL_PROXY: `${scheme}://127.0.0.1:${dead}`, HTTP_PROXY: scheme === 'http' ? `http://127.0.0.1:${dead}` : '' });
    const [d] = h.engine.add({ url: server.url('/plain.bin') });
    const failed = await h.waitFor(d!.id, 'failed');
    expect(failed.error?.code).toBe('PROXY_ERROR');
    // socks5h is kept as socks5: both resolve names on the proxy (see docs/api.md).
    const shown = scheme === 'socks5h' ? 'socks5' : scheme;
    expect(failed.error?.message).toBe(`The proxy ${shown}://127.0.0.1:${dead} is not answering (ECONNREFUSED). Start it, or fix or unset the proxy setting (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY).`);
    expect(server.requests).toHaveLength(0);
  });

  it('goes direct for hosts NO_PROXY names by CIDR, never touching the proxy', async () => {
    const data = testBytes(20 * KiB, 408);
    const server = await httpServer(data);
    // Nothing listens there: any attempt to use the proxy would fail.
    const dead = await freePort();
    const h = engineWith({ HTTP_PROXY: `http://127.0.0.1:${dead}`, NO_PROXY: 'example.test, 127.0.0.0/8' });
    const [d] = h.engine.add({ url: server.url('/plain.bin') });
    expect(sha256(readDownloaded(await h.waitFor(d!.id, 'completed')))).toBe(sha256(data));
  });

  it.each([
    ['socks4://127.0.0.1:1080', /"socks4" proxies/u],
    ['http://', /not a proxy address|names no proxy host/u],
  ])('fails at once with a clear message for HTTP_PROXY=%s', async (value, message) => {
    const server = await httpServer(testBytes(10));
    const h = engineWith({ HTTP_PROXY: value });
    const [d] = h.engine.add({ url: server.url('/plain.bin') });
    const failed = await h.waitFor(d!.id, 'failed');
    expect(failed.error?.code).toBe('PROXY_ERROR');
    expect(failed.error?.message).toMatch(/HTTP_PROXY/u);
    expect(failed.error?.message).toMatch(message);
  });
});
