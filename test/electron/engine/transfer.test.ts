import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDownloaded, startEngine } from '../../helpers/engine-harness.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';

let server: TestServer;
afterEach(async () => server?.close());

describe('a plain transfer', () => {
  it('downloads a file byte for byte, then moves it into place', async () => {
    const data = testBytes(3 * 1024 * 1024 + 17);
    server = await startTestServer({ '/files/data.bin': serveBytes(data, { etag: '"v1"' }) });
    const h = startEngine();
    const [added] = h.engine.add({ url: server.url('/files/data.bin') });
    const done = await h.waitFor(added!.id, 'completed');
    expect(done.filename).toBe('data.bin');
    expect(done.received).toBe(data.length);
    expect(done.total).toBe(data.length);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(fs.readdirSync(h.downloadDir)).toEqual(['data.bin']);
    expect(server.requests[0]?.headers['accept-encoding']).toBe('identity');
  });

  it('handles a chunked body of unknown length', async () => {
    const data = testBytes(500_000, 7);
    server = await startTestServer({ '/stream': serveBytes(data, { chunked: true }) });
    const h = startEngine();
    const [added] = h.engine.add({ url: server.url('/stream') });
    expect(added!.total).toBeNull();
    const done = await h.waitFor(added!.id, 'completed');
    expect(done.total).toBe(data.length);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
  });

  it('never overwrites an existing file', async () => {
    const data = testBytes(10_000);
    server = await startTestServer({ '/report.pdf': serveBytes(data) });
    const h = startEngine();
    fs.writeFileSync(path.join(h.downloadDir, 'report.pdf'), 'mine');
    const [a] = h.engine.add({ url: server.url('/report.pdf') });
    const done = await h.waitFor(a!.id, 'completed');
    expect(done.filename).toBe('report (1).pdf');
    expect(fs.readFileSync(path.join(h.downloadDir, 'report.pdf'), 'utf8')).toBe('mine');
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
  });
});
