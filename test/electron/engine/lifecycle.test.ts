import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pauseOnceWriting, readDownloaded, startEngine, waitForStatus } from '../../helpers/engine-harness.ts';
import { countingConcurrency, serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { waitUntil } from '../../helpers/wait.ts';

let server: TestServer;
afterEach(async () => server?.close());

const KiB = 1024;

describe('pause, resume and remove', () => {
  it('pauses mid-transfer keeping a partial file, and resumes with Range to an exact file', async () => {
    const data = testBytes(400 * KiB, 21);
    server = await startTestServer({ '/slow.bin': serveBytes(data, { etag: '"s"', rate: 400 * KiB }) });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/slow.bin') });
    await waitUntil(() => (h.engine.get(d!.id)?.received ?? 0) > 50 * KiB);
    const paused = h.engine.pause(d!.id);
    expect(paused.status).toBe('paused');
    await waitUntil(() => h.engine.get(d!.id)?.connections === 0);
    expect(fs.existsSync(path.join(h.downloadDir, 'slow.bin'))).toBe(false);
    expect(fs.existsSync(path.join(h.downloadDir, 'slow.bin.haul-part'))).toBe(true);
    server.route('/slow.bin', serveBytes(data, { etag: '"s"' }));
    h.engine.resume(d!.id);
    const done = await h.waitFor(d!.id, 'completed');
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(server.requestsTo('/slow.bin').at(-1)?.headers.range).toMatch(/^bytes=[1-9]\d*-$/u);
    expect(() => h.engine.pause(d!.id)).toThrow(/complete/u);
  });

  it('adds a download paused when asked, and pausing twice is harmless', async () => {
    server = await startTestServer({ '/p': serveBytes(testBytes(10)) });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/p'), paused: true });
    expect(d!.status).toBe('paused');
    expect(h.engine.pause(d!.id).status).toBe('paused');
    expect(server.requests).toHaveLength(0);
  });

  it('removes a running download and its partial file', async () => {
    const data = testBytes(300 * KiB, 22);
    server = await startTestServer({ '/r.bin': serveBytes(data, { rate: 100 * KiB }) });
    const h = startEngine();
    const removed: string[] = [];
    h.engine.on('removed', ({ id }) => removed.push(id));
    const [d] = h.engine.add({ url: server.url('/r.bin') });
    await waitUntil(() => (h.engine.get(d!.id)?.received ?? 0) > 10 * KiB);
    await h.engine.remove(d!.id);
    expect(removed).toEqual([d!.id]);
    expect(h.engine.get(d!.id)).toBeUndefined();
    expect(fs.readdirSync(h.downloadDir)).toEqual([]);
  });

  it('keeps a finished file on remove unless deleteFile is set', async () => {
    server = await startTestServer({ '/a.txt': serveBytes(Buffer.from('aaa')), '/b.txt': serveBytes(Buffer.from('bbb')) });
    const h = startEngine();
    const [a, b] = h.engine.add({ urls: [server.url('/a.txt'), server.url('/b.txt')] });
    await h.waitFor(a!.id, 'completed');
    await h.waitFor(b!.id, 'completed');
    await h.engine.remove(a!.id);
    await h.engine.remove(b!.id, { deleteFile: true });
    expect(fs.readdirSync(h.downloadDir)).toEqual(['a.txt']);
  });
});

describe('checksums and headers', () => {
  it('verifies a matching sha256 and rejects a mismatch without leaving a file', async () => {
    const data = testBytes(50 * KiB, 23);
    server = await startTestServer({ '/ok.bin': serveBytes(data), '/bad.bin': serveBytes(data) });
    const h = startEngine();
    const good = createHash('sha256').update(data).digest('hex');
    const [ok] = h.engine.add({ url: server.url('/ok.bin'), checksum: `sha256=${good.toUpperCase()}` });
    const [bad] = h.engine.add({ url: server.url('/bad.bin'), checksum: `md5=${'0'.repeat(32)}` });
    const done = await h.waitFor(ok!.id, 'completed');
    expect(done.checksum).toEqual({ algorithm: 'sha256', expected: good, verified: true });
    const failed = await h.waitFor(bad!.id, 'failed');
    expect(failed.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(fs.readdirSync(h.downloadDir)).toEqual(['ok.bin']);
  });

  it('sends custom User-Agent, Referer and Cookie headers', async () => {
    server = await startTestServer({ '/h': serveBytes(Buffer.from('x')) });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/h'), headers: { 'User-Agent': 'TestAgent/1', Referer: 'https://ref.test/', Cookie: 'a=b' } });
    await h.waitFor(d!.id, 'completed');
    expect(server.requests[0]?.headers).toMatchObject({ 'user-agent': 'TestAgent/1', referer: 'https://ref.test/', cookie: 'a=b' });
  });
});

describe('the queue', () => {
  it('runs at most maxConcurrent downloads, first in first out', async () => {
    const data = testBytes(60 * KiB, 24);
    server = await startTestServer({ '/1': serveBytes(data, { rate: 300 * KiB }), '/2': serveBytes(data, { rate: 300 * KiB }), '/3': serveBytes(data, { rate: 300 * KiB }) });
    const h = startEngine();
    h.engine.updateSettings({ maxConcurrent: 1 });
    let maxRunning = 0;
    h.engine.on('updated', () => {
      maxRunning = Math.max(maxRunning, h.engine.list().filter((x) => x.status === 'downloading').length);
    });
    const completions: string[] = [];
    const ids = h.engine.add({ urls: [server.url('/1'), server.url('/2'), server.url('/3')] }).map((x) => x.id);
    await Promise.all(ids.map((id) => h.waitFor(id, 'completed').then((x) => completions.push(x.url))));
    expect(maxRunning).toBe(1);
    expect(completions).toEqual([server.url('/1'), server.url('/2'), server.url('/3')]);
  });
});

describe('environment and disk', () => {
  it('goes through the proxy named by HTTP_PROXY', async () => {
    const data = testBytes(20 * KiB, 25);
    server = await startTestServer({ '/via-proxy': serveBytes(data) });
    const seen: string[] = [];
    const proxy = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      const target = new URL(req.url ?? '');
      const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.end();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const saved = { HTTP_PROXY: process.env['HTTP_PROXY'], NO_PROXY: process.env['NO_PROXY'] };
    process.env['HTTP_PROXY'] = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    delete process.env['NO_PROXY'];
    try {
      const h = startEngine();
      const [d] = h.engine.add({ url: server.url('/via-proxy') });
      const done = await h.waitFor(d!.id, 'completed');
      expect(sha256(readDownloaded(done))).toBe(sha256(data));
      expect(seen).toEqual([server.url('/via-proxy')]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  it('stops with DISK_FULL when the disk is full, and can resume later', async () => {
    const data = testBytes(200 * KiB, 26);
    const slow = countingConcurrency(serveBytes(data, { rate: 20 * KiB }));
    server = await startTestServer({ '/big.iso': slow.handler });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/big.iso'), filename: 'big.iso' });
    const part = await pauseOnceWriting(h, d!.id, slow.current);
    // The download's own part file now sits on /dev/full, a real device whose writes fail with ENOSPC.
    fs.rmSync(part);
    fs.symlinkSync('/dev/full', part);
    server.route('/big.iso', serveBytes(data));
    h.engine.resume(d!.id);
    const failed = await h.waitFor(d!.id, 'failed');
    expect(failed.error?.code).toBe('DISK_FULL');
    expect(failed.error?.message).toMatch(/full/u);
    fs.unlinkSync(path.join(h.downloadDir, 'big.iso.haul-part'));
    h.engine.resume(d!.id);
    const done = await h.waitFor(d!.id, 'completed');
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
  });
});

describe('long names', () => {
  it.each([246, 250, 255])('saves a file whose suggested name is %i bytes under that whole name', async (bytes) => {
    const name = `${'n'.repeat(bytes - 4)}.bin`;
    const data = testBytes(10 * KiB, bytes);
    server = await startTestServer({ '/long': serveBytes(data, { contentDisposition: `attachment; filename="${name}"` }) });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/long') });
    const done = await h.waitFor(d!.id, 'completed');
    expect(done.filename).toBe(name);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
  });
});

describe('permissions', () => {
  // sysfs refuses new entries even to root: a real permission error, no mock.
  it.runIf(fs.existsSync('/sys/kernel'))('fails clearly when the folder cannot be written, naming it', async () => {
    server = await startTestServer({ '/p.bin': serveBytes(testBytes(1000)) });
    const h = startEngine();
    // As if the user had picked it in the folder dialog: the API alone may not name it.
    h.engine.approveFolder('/sys/kernel/haul-downloads');
    const [d] = h.engine.add({ url: server.url('/p.bin'), dir: '/sys/kernel/haul-downloads' });
    const failed = await h.waitFor(d!.id, 'failed');
    expect(failed.error?.code).toBe('PERMISSION_DENIED');
    expect(failed.error?.message).toContain('/sys/kernel/haul-downloads');
    expect(failed.error?.message).toMatch(/Choose a folder you can write to/u);
  });
});

describe('restart', () => {
  it('resumes a running download after the engine restarts, with a Range request', async () => {
    const data = testBytes(500 * KiB, 27);
    server = await startTestServer({ '/restart.bin': serveBytes(data, { etag: '"r"', rate: 500 * KiB }) });
    const first = startEngine();
    const [d] = first.engine.add({ url: server.url('/restart.bin') });
    await waitUntil(() => (first.engine.get(d!.id)?.received ?? 0) > 100 * KiB);
    await first.engine.shutdown();
    first.store.close();
    server.route('/restart.bin', serveBytes(data, { etag: '"r"' }));
    const second = startEngine({ dataDir: first.dataDir, downloadDir: first.downloadDir });
    expect(second.engine.get(d!.id)?.status).toBe('downloading');
    const done = await waitForStatus(second.engine, d!.id, 'completed');
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    const resumed = server.requestsTo('/restart.bin').at(-1);
    expect(resumed?.headers.range).toMatch(/^bytes=[1-9]\d*-$/u);
  });
});
