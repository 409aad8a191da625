import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readDownloaded, startEngine as startWith } from '../../../helpers/engine-harness.ts';
import { firstThen, requestedRange, serveBytes, sha256, startTestServer, testBytes, type Handler, type TestServer } from '../../../helpers/test-server.ts';

let server: TestServer;
afterEach(async () => server?.close());

const KiB = 1024;
const MiB = 1024 * KiB;

// Every rule runs against both transports: the raw fast path and undici (https, proxies).
describe.each(['auto', 'undici'] as const)('%s transport: only parts of one representation are combined', (mode) => {
  const startEngine = (opts: Parameters<typeof startWith>[0] = {}) => startWith({ transportOptions: { mode }, ...opts });

  it.each([
    ['ETag', { etag: '"v1"' }, { etag: '"v2"' }],
    ['Last-Modified', { lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' }, { lastModified: 'Thu, 22 Oct 2015 09:00:00 GMT' }],
  ])('starts over when a server that ignores If-Range sends a 206 with another %s', async (_name, first, second) => {
    // Same size, another file: only the validator tells them apart.
    const v1 = testBytes(MiB, 201);
    const v2 = testBytes(MiB, 202);
    server = await startTestServer({
      '/f.bin': firstThen(serveBytes(v1, { ...first, dropAfter: 300 * KiB }), serveBytes(v2, { ...second, ignoreIfRange: true })),
    });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/f.bin') });
    const done = await h.waitFor(d!.id, 'completed');
    expect(sha256(readDownloaded(done))).toBe(sha256(v2));
    const requests = server.requestsTo('/f.bin');
    // The resume asked from 300 KiB, got the other version's bytes, and started over without Range.
    expect(requests[1]?.headers.range).toMatch(/^bytes=307200-/u);
    expect(requests[2]?.headers.range).toBeUndefined();
  });

  it('learns the new representation from scratch after starting over, even on a large segmented file', async () => {
    // Larger than one bounded request: after starting over, the first request must not be
    // another ranged If-Range request that this server would again answer with 206.
    const v1 = testBytes(6 * MiB, 211);
    const v2 = testBytes(6 * MiB, 212);
    server = await startTestServer({
      '/big.bin': firstThen(serveBytes(v1, { etag: '"v1"', dropAfter: 2 * MiB }), serveBytes(v2, { etag: '"v2"', ignoreIfRange: true })),
    });
    const h = startEngine({ segments: { minSegmentedSize: MiB } });
    const [d] = h.engine.add({ url: server.url('/big.bin') });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(v2));
  });

  it('starts over when a 206 starts at another offset than asked, and completes exact', async () => {
    const data = testBytes(MiB, 203);
    let lied = false;
    const wrongOffset: Handler = (req, res, hit) => {
      if (req.headers.range !== undefined && !lied) {
        lied = true;
        const body = data.subarray(0, 100 * KiB);
        res.writeHead(206, { 'content-range': `bytes 0-${body.length - 1}/${data.length}`, 'content-length': String(body.length), etag: '"w"' }).end(body);
        return;
      }
      serveBytes(data, { etag: '"w"', ...(hit === 1 ? { dropAfter: 200 * KiB } : {}) })(req, res, hit);
    };
    server = await startTestServer({ '/w.bin': wrongOffset });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/w.bin') });
    const done = await h.waitFor(d!.id, 'completed');
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(server.requestsTo('/w.bin')[2]?.headers.range).toBeUndefined();
  });

  it('takes a 206 of the whole file, sent to every range request, as the file itself and finishes', async () => {
    const data = testBytes(2 * MiB, 205);
    // Every ranged answer is `206 bytes 0-N/N+1` with the same validator; the first try is cut short.
    const wholeRanges: Handler = (req, res, hit) => {
      const head = { 'content-range': `bytes 0-${data.length - 1}/${data.length}`, 'content-length': String(data.length), etag: '"whole"', 'accept-ranges': 'bytes' };
      if (req.headers.range === undefined) {
        serveBytes(data, { etag: '"whole"', dropAfter: 700 * KiB })(req, res, hit);
        return;
      }
      res.writeHead(206, head).end(data);
    };
    server = await startTestServer({ '/whole.bin': wholeRanges });
    const h = startEngine({ segments: { minSegmentedSize: 64 * MiB } });
    const [d] = h.engine.add({ url: server.url('/whole.bin') });
    const done = await h.waitFor(d!.id, 'completed');
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(server.requestsTo('/whole.bin')[1]?.headers.range).toMatch(/^bytes=[1-9]\d*-/u);
    // A bounded range request may take part of it; the next, on one connection now, takes the whole.
    expect(server.requestsTo('/whole.bin').length).toBeLessThanOrEqual(3);
  });

  it('fails after a bounded number of start-overs, saying why, when every resume is another version', async () => {
    let version = 0;
    const changing: Handler = (req, res, hit) => serveBytes(testBytes(MiB, 300 + version++), { etag: `"x${hit}"`, ignoreIfRange: true, dropAfter: 200 * KiB })(req, res, hit);
    server = await startTestServer({ '/x.bin': changing });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/x.bin') });
    const failed = await h.waitFor(d!.id, 'failed');
    expect(failed.error?.code).toBe('HTTP_ERROR');
    expect(failed.error?.message).toMatch(/another version of the file .* times in a row/u);
    expect(server.requestsTo('/x.bin').length).toBeLessThan(20);
  });

  it('drops to one connection when an extra connection gets the whole file, without learning a host ceiling', async () => {
    const data = testBytes(8 * MiB, 204);
    // Honours no Range at all, yet claims Accept-Ranges: bytes, as some misconfigured servers do.
    server = await startTestServer({ '/all.bin': serveBytes(data, { ignoreRange: true, advertiseRanges: true, rate: 8 * MiB }) });
    const h = startEngine({ segments: { minSegmentedSize: MiB, initialConnections: 4, growIntervalMs: 20 } });
    const [d] = h.engine.add({ url: server.url('/all.bin'), connections: 4 });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(server.requestsTo('/all.bin').some((r) => r.headers.range !== undefined)).toBe(true);
    expect(h.engine.hostLimits()).toEqual([]);
  });
});

describe.each(['auto', 'undici'] as const)('%s transport: a download that cannot get further ends', (mode) => {
  const startEngine = (opts: Parameters<typeof startWith>[0] = {}) => startWith({ transportOptions: { mode }, retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 }, ...opts });

  it('fails with a clear error when the body is always cut short at the same point', async () => {
    server = await startTestServer({ '/cut.bin': serveBytes(testBytes(MiB, 205), { ignoreRange: true, dropAfter: 300 * KiB }) });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/cut.bin') });
    const failed = await h.waitFor(d!.id, 'failed');
    expect(failed.error?.code).toBe('NETWORK_ERROR');
    expect(failed.error?.message).toMatch(/retried \d+ times without getting further/u);
    expect(server.requestsTo('/cut.bin').length).toBeLessThanOrEqual(5);
  });

  it('fails with a clear error when a chunked body is always truncated', async () => {
    server = await startTestServer({ '/chunks': serveBytes(testBytes(MiB, 206), { chunked: true, ignoreRange: true, dropAfter: 300 * KiB }) });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/chunks') });
    const failed = await h.waitFor(d!.id, 'failed');
    expect(failed.error?.message).toMatch(/retried \d+ times without getting further/u);
    expect(server.requestsTo('/chunks').length).toBeLessThanOrEqual(5);
    expect(fs.readdirSync(h.downloadDir).filter((name) => !name.endsWith('.haul-part'))).toEqual([]);
  });

  it('fails at once on a Content-Length that is not a safe number', async () => {
    const huge: Handler = (_req, res) => {
      // Written to the socket by hand: node:http would refuse to send this header.
      res.socket?.end('HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\nAccept-Ranges: bytes\r\n\r\nsome bytes');
    };
    server = await startTestServer({ '/huge': huge });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/huge') });
    const failed = await h.waitFor(d!.id, 'failed');
    expect(failed.error?.code).toBe('HTTP_ERROR');
    expect(failed.error?.message).toMatch(/content-length/iu);
    expect(server.requestsTo('/huge')).toHaveLength(1);
  });

  it('keeps going while each try gets further, even past the retry count', async () => {
    const data = testBytes(2 * MiB, 207);
    // Every response is cut after 200 KiB, but ranges work: each try adds 200 KiB.
    const stingy: Handler = (req, res, hit) => {
      const range = requestedRange(req.headers.range, data.length);
      const left = data.length - (range?.[0] ?? 0);
      serveBytes(data, { etag: '"s"', ...(left > 200 * KiB ? { dropAfter: 200 * KiB } : {}) })(req, res, hit);
    };
    server = await startTestServer({ '/stingy': stingy });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/stingy') });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
  });
});
