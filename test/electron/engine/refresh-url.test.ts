import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readDownloaded, startEngine } from '../../helpers/engine-harness.ts';
import { requestedRange, serveBytes, sha256, startTestServer, status, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { waitUntil } from '../../helpers/wait.ts';

let server: TestServer;
afterEach(async () => server?.close());

const KiB = 1024;

describe('a refreshed link for the same file', () => {
  it('continues the partial file when the new link serves the same representation', async () => {
    const data = testBytes(600 * KiB, 601);
    server = await startTestServer({ '/old': serveBytes(data, { etag: '"same"', rate: 200 * KiB }), '/new': serveBytes(data, { etag: '"same"' }) });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/old') });
    await waitUntil(() => (h.engine.get(d!.id)?.received ?? 0) >= 100 * KiB, 10_000, 'some bytes from the old link');
    // The old link expires, as presigned links do.
    server.route('/old', status(403));
    const refreshed = await h.engine.refreshUrl(d!.id, server.url('/new'));
    expect(refreshed.url).toBe(server.url('/new'));
    const done = await h.waitFor(d!.id, 'completed');
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(done.filename).toBe('old');
    const asked = server.requestsTo('/new');
    expect(asked.length).toBeGreaterThan(0);
    for (const request of asked) {
      expect(requestedRange(request.headers.range, data.length)?.[0]).toBeGreaterThan(0);
      expect(request.headers['if-range']).toBe('"same"');
    }
    expect(fs.readdirSync(h.downloadDir)).toEqual(['old']);
  });

  it('starts over from zero when the new link serves another file, keeping one file', async () => {
    const before = testBytes(400 * KiB, 602);
    const after = testBytes(500 * KiB, 603);
    server = await startTestServer({ '/old': serveBytes(before, { etag: '"a"', rate: 200 * KiB }), '/new': serveBytes(after, { etag: '"b"' }) });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/old') });
    await waitUntil(() => (h.engine.get(d!.id)?.received ?? 0) >= 100 * KiB, 10_000, 'some bytes from the old link');
    await h.engine.refreshUrl(d!.id, server.url('/new'));
    const done = await h.waitFor(d!.id, 'completed');
    expect(sha256(readDownloaded(done))).toBe(sha256(after));
    expect(fs.readdirSync(h.downloadDir)).toEqual(['old']);
  });

  it('continues a download that failed because its link expired', async () => {
    const data = testBytes(300 * KiB, 604);
    server = await startTestServer({ '/old': serveBytes(data, { etag: '"e"', dropAfter: 100 * KiB }), '/new': serveBytes(data, { etag: '"e"' }) });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/old') });
    await waitUntil(() => server.requestsTo('/old').length > 0, 10_000, 'the first request');
    server.route('/old', status(403));
    expect((await h.waitFor(d!.id, 'failed')).error?.message).toContain('403');
    await h.engine.refreshUrl(d!.id, server.url('/new'));
    expect(sha256(readDownloaded(await h.waitFor(d!.id, 'completed')))).toBe(sha256(data));
  });

  it('refuses a link that is not http(s), changing nothing', async () => {
    server = await startTestServer({ '/x': serveBytes(testBytes(10)) });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/x'), paused: true });
    await expect(h.engine.refreshUrl(d!.id, 'ftp://elsewhere/x')).rejects.toMatchObject({ code: 'UNSUPPORTED_PROTOCOL' });
    expect(h.engine.get(d!.id)?.url).toBe(server.url('/x'));
  });
});
