import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readDownloaded, startEngine as startWith } from '../../helpers/engine-harness.ts';
import { firstThen, serveBytes, sha256, startTestServer, status, testBytes, type TestServer } from '../../helpers/test-server.ts';

let server: TestServer;
let other: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  await other?.close();
  other = undefined;
});

const MiB = 1024 * 1024;

// Every fault runs against both transports: the raw fast path and undici (https, proxies).
describe.each(['auto', 'undici'] as const)('%s transport', (mode) => {
  const startEngine = (opts: Parameters<typeof startWith>[0] = {}) => startWith({ transportOptions: { mode }, ...opts });

  describe('transient failures are retried from the bytes on disk', () => {
    it('resumes with Range and If-Range after the connection drops mid-body', async () => {
      const data = testBytes(2 * MiB + 5);
      server = await startTestServer({
        '/f.bin': firstThen(serveBytes(data, { etag: '"e1"', dropAfter: 700_000 }), serveBytes(data, { etag: '"e1"' })),
      });
      const h = startEngine();
      const [d] = h.engine.add({ url: server.url('/f.bin') });
      const done = await h.waitFor(d!.id, 'completed');
      expect(sha256(readDownloaded(done))).toBe(sha256(data));
      const [first, ...rest] = server.requestsTo('/f.bin');
      expect(first?.headers.range).toBeUndefined();
      // The rest comes in bounded ranges, each starting where the previous one ended.
      let next = 700_000;
      for (const request of rest) {
        const [, from, to] = /^bytes=(\d+)-(\d*)$/u.exec(request.headers.range ?? '') ?? [];
        expect(Number(from)).toBe(next);
        expect(request.headers['if-range']).toBe('"e1"');
        next = to === '' ? data.length : Number(to) + 1;
      }
      expect(next).toBe(data.length);
      expect(rest.length).toBeGreaterThan(0);
    });

    it('resumes after a body shorter than its Content-Length (clean close)', async () => {
      const data = testBytes(MiB, 3);
      server = await startTestServer({
        '/short': firstThen(
          serveBytes(data, { lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT', dropAfter: 300_000, endCleanly: true }),
          serveBytes(data, { lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' }),
        ),
      });
      const h = startEngine();
      const [d] = h.engine.add({ url: server.url('/short') });
      const done = await h.waitFor(d!.id, 'completed');
      expect(sha256(readDownloaded(done))).toBe(sha256(data));
      expect(server.requestsTo('/short')[1]?.headers['if-range']).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
    });

    it('starts over from zero, never splicing, when the server ignores Range', async () => {
      const data = testBytes(MiB, 4);
      server = await startTestServer({
        '/norange': firstThen(serveBytes(data, { ignoreRange: true, dropAfter: 400_000 }), serveBytes(data, { ignoreRange: true })),
      });
      const h = startEngine();
      const [d] = h.engine.add({ url: server.url('/norange') });
      const done = await h.waitFor(d!.id, 'completed');
      expect(done.received).toBe(data.length);
      expect(sha256(readDownloaded(done))).toBe(sha256(data));
    });

    it('takes the new version whole when the file changed between requests', async () => {
      const v1 = testBytes(MiB, 10);
      const v2 = testBytes(MiB + 1000, 11);
      server = await startTestServer({
        '/changing': firstThen(serveBytes(v1, { etag: '"v1"', dropAfter: 500_000 }), serveBytes(v2, { etag: '"v2"' })),
      });
      const h = startEngine();
      const [d] = h.engine.add({ url: server.url('/changing') });
      const done = await h.waitFor(d!.id, 'completed');
      expect(server.requestsTo('/changing')[1]?.headers['if-range']).toBe('"v1"');
      expect(sha256(readDownloaded(done))).toBe(sha256(v2));
    });

    it('retries a 503 once, honouring Retry-After', async () => {
      const data = testBytes(100_000, 5);
      server = await startTestServer({ '/busy': firstThen(status(503, { 'retry-after': '0' }), serveBytes(data)) });
      const h = startEngine();
      const [d] = h.engine.add({ url: server.url('/busy') });
      const done = await h.waitFor(d!.id, 'completed');
      expect(server.requestsTo('/busy')).toHaveLength(2);
      expect(sha256(readDownloaded(done))).toBe(sha256(data));
    });

    it('shows why and when it will retry while it waits', async () => {
      const data = testBytes(1000, 6);
      server = await startTestServer({ '/later': firstThen(status(503, { 'retry-after': '1' }), serveBytes(data)) });
      const h = startEngine({ retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 5_000 } });
      const [d] = h.engine.add({ url: server.url('/later') });
      const waiting = await new Promise<NonNullable<ReturnType<typeof h.engine.get>>>((resolve) => {
        const check = (): void => {
          const now = h.engine.get(d!.id);
          if (now?.retry !== undefined) resolve(now);
        };
        h.engine.on('updated', check);
        check();
      });
      expect(waiting.retry).toMatchObject({ attempt: 1, error: { code: 'HTTP_ERROR' } });
      expect(waiting.retry?.error.message).toContain('503');
      expect(Date.parse(waiting.retry!.at)).toBeGreaterThan(Date.now() + 500);
      const done = await h.waitFor(d!.id, 'completed');
      expect(done.retry).toBeUndefined();
    });

    it('fails with the cause after the last retry, keeping nothing under the final name', async () => {
      server = await startTestServer({ '/down': status(503) });
      const h = startEngine({ retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 10 } });
      const [d] = h.engine.add({ url: server.url('/down') });
      const failed = await h.waitFor(d!.id, 'failed');
      expect(failed.error?.code).toBe('HTTP_ERROR');
      expect(failed.error?.message).toContain('503');
      expect(server.requestsTo('/down')).toHaveLength(3);
      expect(fs.existsSync(`${h.downloadDir}/down`)).toBe(false);
    });
  });

  describe('permanent failures end at once', () => {
    it('fails a 404 after one request with the status in the message', async () => {
      server = await startTestServer({});
      const h = startEngine();
      const [d] = h.engine.add({ url: server.url('/missing.zip') });
      const failed = await h.waitFor(d!.id, 'failed');
      expect(failed.error).toMatchObject({ code: 'HTTP_ERROR' });
      expect(failed.error?.message).toContain('404');
      expect(server.requestsTo('/missing.zip')).toHaveLength(1);
      expect(fs.readdirSync(h.downloadDir)).toEqual([]);
    });

    it('stops a redirect loop after 20 hops', async () => {
      server = await startTestServer({ '/a': status(302, { location: '/b' }), '/b': status(302, { location: '/a' }) });
      const h = startEngine();
      const [d] = h.engine.add({ url: server.url('/a') });
      const failed = await h.waitFor(d!.id, 'failed');
      expect(failed.error?.code).toBe('TOO_MANY_REDIRECTS');
      expect(server.requests).toHaveLength(21);
    });

    it('refuses a redirect to file:', async () => {
      server = await startTestServer({ '/evil': status(302, { location: 'file:///etc/passwd' }) });
      const h = startEngine();
      const [d] = h.engine.add({ url: server.url('/evil') });
      const failed = await h.waitFor(d!.id, 'failed');
      expect(failed.error?.code).toBe('REDIRECT_NOT_ALLOWED');
      expect(fs.readdirSync(h.downloadDir)).toEqual([]);
    });
  });

  describe('redirects', () => {
    it('keeps credentials on the same origin and drops them for another host', async () => {
      const data = testBytes(1000);
      other = await startTestServer({ '/elsewhere': serveBytes(data) });
      const port = new URL(other.url('/')).port;
      server = await startTestServer({
        '/start': status(301, { location: '/same' }),
        // Same machine, different origin: "localhost" is a different host name than 127.0.0.1.
        '/same': status(307, { location: `http://localhost:${port}/elsewhere` }),
      });
      const h = startEngine();
      const [d] = h.engine.add({ url: server.url('/start'), headers: { Cookie: 'session=secret', Authorization: 'Bearer t0ken', Referer: 'https://example.test/' } });
      const done = await h.waitFor(d!.id, 'completed');
      expect(server.requestsTo('/same')[0]?.headers.cookie).toBe('session=secret');
      const final = other.requestsTo('/elsewhere')[0];
      expect(final?.headers.cookie).toBeUndefined();
      expect(final?.headers.authorization).toBeUndefined();
      expect(final?.headers.referer).toBe('https://example.test/');
      expect(done.finalUrl).toBe(`http://localhost:${port}/elsewhere`);
      expect(done.filename).toBe('elsewhere');
    });
  });
});
