import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Download, DownloadDetails, LinkCheck } from '../../../shared/api.ts';
import type { Opener } from '../../../electron/server/opener.ts';
import { request, startTestHaul } from '../../helpers/haul-harness.ts';
import { serveBytes, sha256, startTestServer, status, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { eventually, waitUntil } from '../../helpers/wait.ts';

const TOKEN = 'test-token-0123456789';
const json = { 'content-type': 'application/json' };
let files: TestServer | undefined;
afterEach(async () => {
  await files?.close();
  files = undefined;
});

async function post(base: string, route: string, body?: unknown) {
  return request(base, route, { method: 'POST', token: TOKEN, ...(body === undefined ? {} : { headers: json, body: JSON.stringify(body) }) });
}

async function addOne(base: string, body: Record<string, unknown>): Promise<Download> {
  const res = await post(base, '/api/downloads', body);
  expect(res.status, res.body).toBe(201);
  return res.json().downloads[0];
}

/** Records what the server asked the OS to open: the OS itself is the one boundary replaced here. */
function recordingOpener(): Opener & { calls: string[] } {
  const calls: string[] = [];
  return { calls, open: async (f) => void calls.push(`open ${f}`), reveal: async (f) => void calls.push(`reveal ${f}`) };
}

describe('the detail panel’s data', () => {
  it('shows ranges on disk, each connection, speeds, validators, hidden secrets and a log', async () => {
    const data = testBytes(6 * 1024 * 1024, 5);
    files = await startTestServer({ '/big.bin': serveBytes(data, { rate: 1024 * 1024, etag: '"v1"' }) });
    const haul = await startTestHaul({ engine: { segments: { minSegmentedSize: 1024 * 1024, initialConnections: 3 } } });
    const d = await addOne(haul.url, { url: files.url('/big.bin'), connections: 3, headers: { Cookie: 'session=secret', 'X-Trace': 'abc' } });
    const details = async (): Promise<DownloadDetails> => (await request(haul.url, `/api/downloads/${d.id}/details`, { token: TOKEN })).json();
    await waitUntil(() => haul.engine.require(d.id).received > 512 * 1024, 15_000, 'bytes on disk');
    let seen: DownloadDetails | undefined;
    await eventually(
      async () => {
        seen = await details();
        return seen.connections.length >= 2 && seen.speeds.length >= 2;
      },
      10_000,
      'two connections and two speed samples in the details',
    );
    expect(seen?.connections.length).toBeGreaterThanOrEqual(2);
    for (const c of seen?.connections ?? []) expect(c.position).toBeGreaterThanOrEqual(c.start);
    expect(seen?.ranges.reduce((n, [a, b]) => n + (b - a), 0)).toBeGreaterThan(0);
    expect(seen?.speeds.length).toBeGreaterThanOrEqual(2);
    expect(seen?.etag).toBe('"v1"');
    expect(seen?.requestHeaders).toEqual({ Cookie: '(hidden, 14 characters)', 'X-Trace': 'abc' });
    expect(seen?.path).toBe(path.join(haul.downloadDir, 'big.bin'));
    await waitUntil(() => haul.engine.require(d.id).status === 'completed', 20_000, 'completion');
    const done = await details();
    expect(done.ranges).toEqual([[0, data.length]]);
    expect(done.connections).toEqual([]);
    expect(done.log.map((e) => e.kind)).toEqual(expect.arrayContaining(['added', 'started', 'response', 'named', 'completed']));
    expect(done.log.find((e) => e.kind === 'response')?.detail).toMatch(/6.0 MiB, ranges work, ETag "v1"/u);
  });

  it('logs each retry with its reason', async () => {
    files = await startTestServer({ '/gone': status(503) });
    const haul = await startTestHaul();
    const d = await addOne(haul.url, { url: files.url('/gone') });
    await waitUntil(() => haul.engine.require(d.id).status === 'failed', 10_000, 'failure');
    const log = haul.engine.details(d.id).log;
    expect(log.filter((e) => e.kind === 'retrying').map((e) => e.detail)).toEqual([expect.stringMatching(/^1 of 2: .*503/u), expect.stringMatching(/^2 of 2: .*503/u)]);
    expect(log.at(-1)?.kind).toBe('failed');
    // The specifics travel with the error, so the interface can say it in the user's language.
    expect(haul.engine.require(d.id).error?.params).toEqual({ host: new URL(files.url('/')).host, status: 503, tries: 2 });
  });
});

describe('a download’s own connections and speed limit', () => {
  it('are changed with PATCH and hold at once (the limit as an upper bound)', async () => {
    files = await startTestServer({ '/f.bin': serveBytes(testBytes(8 * 1024 * 1024, 9)) });
    const haul = await startTestHaul();
    const d = await addOne(haul.url, { url: files.url('/f.bin'), paused: true });
    const patched = await request(haul.url, `/api/downloads/${d.id}`, { method: 'PATCH', token: TOKEN, headers: json, body: JSON.stringify({ maxConnections: 2, speedLimit: 256 * 1024 }) });
    expect(patched.json()).toMatchObject({ maxConnections: 2, speedLimit: 256 * 1024 });
    // An upper bound on what arrived by each moment (a slow machine cannot fail it): the
    // bucket's burst, plus one read and one writer batch per connection.
    const rate = 256 * 1024;
    const slack = rate / 4 + 2 * 512 * 1024;
    const started = Date.now();
    let worst = Number.NEGATIVE_INFINITY;
    let most = 0;
    haul.engine.on('progress', (items) => {
      const item = items.find((i) => i.id === d.id);
      if (item === undefined) return;
      worst = Math.max(worst, item.received - ((Date.now() - started) / 1000) * rate);
      most = Math.max(most, item.connections);
    });
    await post(haul.url, `/api/downloads/${d.id}/resume`);
    await waitUntil(() => haul.engine.require(d.id).received > 2 * slack, 20_000, 'bytes past the slack');
    expect(worst).toBeLessThanOrEqual(slack);
    expect(most).toBeLessThanOrEqual(2);
    const bad = await request(haul.url, `/api/downloads/${d.id}`, { method: 'PATCH', token: TOKEN, headers: json, body: JSON.stringify({ maxConnections: 99 }) });
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toMatch(/"maxConnections" must be a whole number from 0 to 32/u);
    const unknown = await request(haul.url, `/api/downloads/${d.id}`, { method: 'PATCH', token: TOKEN, headers: json, body: JSON.stringify({ filename: 'x' }) });
    expect(unknown.json().error.message).toMatch(/"filename" cannot be changed/u);
    expect(haul.engine.details(d.id).log.find((e) => e.kind === 'options')?.detail).toBe('connections 2, limit 256 KiB/s');
  });
});

describe('the queue and bulk actions', () => {
  it('moves a download up, down, to the top and the bottom; queued ones start in that order', async () => {
    const haul = await startTestHaul();
    const [a, b, c] = [
      await addOne(haul.url, { url: 'http://127.0.0.1:9/a', paused: true }),
      await addOne(haul.url, { url: 'http://127.0.0.1:9/b', paused: true }),
      await addOne(haul.url, { url: 'http://127.0.0.1:9/c', paused: true }),
    ];
    const order = () => [...haul.engine.list()].sort((x, y) => x.order - y.order).map((d) => d.filename);
    expect(order()).toEqual(['a', 'b', 'c']);
    expect((await post(haul.url, `/api/downloads/${c?.id}/move`, { to: 'top' })).json().filename).toBe('c');
    expect(order()).toEqual(['c', 'a', 'b']);
    await post(haul.url, `/api/downloads/${c?.id}/move`, { to: 'down' });
    expect(order()).toEqual(['a', 'c', 'b']);
    await post(haul.url, `/api/downloads/${a?.id}/move`, { to: 'bottom' });
    expect(order()).toEqual(['c', 'b', 'a']);
    await post(haul.url, `/api/downloads/${b?.id}/move`, { to: 'up' });
    expect(order()).toEqual(['b', 'c', 'a']);
    const bad = await post(haul.url, `/api/downloads/${b?.id}/move`, { to: 'sideways' });
    expect(bad.json().error).toEqual({ code: 'INVALID_FIELD', message: '"to" must be one of up, down, top, bottom.' });
  });

  it('retries every failed download, or removes them all, in one request', async () => {
    let up = false;
    files = await startTestServer({
      '/flaky.txt': (req, res, hit) => (up ? serveBytes(Buffer.from('now here'))(req, res, hit) : status(404)(req, res, hit)),
      '/ok.txt': serveBytes(Buffer.from('ok')),
    });
    const haul = await startTestHaul();
    const failing = [await addOne(haul.url, { url: files.url('/flaky.txt') }), await addOne(haul.url, { url: files.url('/flaky.txt?2') })];
    const ok = await addOne(haul.url, { url: files.url('/ok.txt') });
    await waitUntil(() => failing.every((d) => haul.engine.require(d.id).status === 'failed') && haul.engine.require(ok.id).status === 'completed', 10_000, 'failures');
    up = true;
    expect((await post(haul.url, '/api/actions/retry-failed')).json()).toEqual({ count: 2 });
    await waitUntil(() => failing.every((d) => haul.engine.require(d.id).status === 'completed'), 10_000, 'retried');
    up = false;
    const again = await addOne(haul.url, { url: files.url('/flaky.txt?3') });
    await waitUntil(() => haul.engine.require(again.id).status === 'failed', 10_000, 'another failure');
    expect((await post(haul.url, '/api/actions/remove-failed')).json()).toEqual({ count: 1 });
    expect(haul.engine.list().map((d) => d.status)).toEqual(['completed', 'completed', 'completed']);
  });
});

describe('checking links before adding them', () => {
  it('names links already in the list and files already in the folder', async () => {
    const haul = await startTestHaul();
    const listed = await addOne(haul.url, { url: 'http://127.0.0.1:9/listed.iso', paused: true });
    fs.writeFileSync(path.join(haul.downloadDir, 'saved.zip'), 'x');
    const res = await post(haul.url, '/api/actions/check-links', { urls: ['http://127.0.0.1:9/listed.iso', 'http://127.0.0.1:9/saved.zip', 'http://127.0.0.1:9/new.bin'] });
    expect(res.json().items satisfies LinkCheck[]).toEqual([
      { url: 'http://127.0.0.1:9/listed.iso', conflict: { kind: 'in-list', id: listed.id, status: 'paused', path: path.join(haul.downloadDir, 'listed.iso') } },
      { url: 'http://127.0.0.1:9/saved.zip', conflict: { kind: 'file-exists', path: path.join(haul.downloadDir, 'saved.zip') } },
      { url: 'http://127.0.0.1:9/new.bin', conflict: null },
    ]);
    const bad = await post(haul.url, '/api/actions/check-links', { urls: ['ftp://x/y'] });
    expect(bad.json().error.message).toMatch(/^urls\[0\]: "ftp:" URLs cannot be downloaded/u);
    expect(haul.engine.list()).toHaveLength(1);
  });
});

describe('opening and fetching a finished file', () => {
  async function finished(name: string, body: Buffer, opener?: Opener) {
    files = await startTestServer({ '/get': serveBytes(body, { contentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(name)}` }) });
    const haul = await startTestHaul(opener === undefined ? {} : { opener });
    const d = await addOne(haul.url, { url: files.url('/get') });
    await waitUntil(() => haul.engine.require(d.id).status === 'completed', 10_000, 'completion');
    return { haul, d, file: path.join(haul.downloadDir, name) };
  }

  it('opens and reveals a completed file through the OS; a program only once confirmed', async () => {
    const opener = recordingOpener();
    const { haul, d, file } = await finished('setup.sh', Buffer.from('#!/bin/sh\necho hi\n'), opener);
    expect(haul.engine.require(d.id).risky).toBe(true);
    const unconfirmed = await post(haul.url, `/api/downloads/${d.id}/open`);
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.json().error).toMatchObject({ code: 'CONFIRMATION_REQUIRED', message: expect.stringMatching(/"setup.sh" is a program or script/u) });
    expect(opener.calls).toEqual([]);
    expect((await post(haul.url, `/api/downloads/${d.id}/open`, { confirmRisky: true })).status).toBe(200);
    expect((await post(haul.url, `/api/downloads/${d.id}/reveal`)).status).toBe(200);
    expect(opener.calls).toEqual([`open ${file}`, `reveal ${file}`]);
    fs.rmSync(file);
    const gone = await post(haul.url, `/api/downloads/${d.id}/reveal`);
    expect(gone.json().error).toEqual({ code: 'NOT_FOUND', message: `The file is no longer at ${file}: it was moved or deleted. Download it again to get it back.` });
  });

  it('refuses to open a download that has not finished', async () => {
    const opener = recordingOpener();
    const haul = await startTestHaul({ opener });
    const d = await addOne(haul.url, { url: 'http://127.0.0.1:9/later.txt', paused: true });
    const res = await post(haul.url, `/api/downloads/${d.id}/open`);
    expect(res.json().error).toEqual({ code: 'INVALID_STATE', message: '"later.txt" is paused; only a completed download has a file to open.' });
    expect(opener.calls).toEqual([]);
  });

  it('serves the file whole, by one range, by a suffix, and says 416 past the end; If-Range guards ranges', async () => {
    const body = testBytes(100_000, 3);
    const { haul, d } = await finished('report 2026 ü.pdf', body);
    const route = `/api/downloads/${d.id}/file`;
    const whole = await fetch(new URL(`${route}?token=${TOKEN}`, haul.url));
    expect(whole.status).toBe(200);
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(body));
    // The library writes ISO-8859-1 names plainly and adds filename* only beyond it.
    expect(whole.headers.get('content-disposition')).toBe('attachment; filename="report 2026 ü.pdf"');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const etag = whole.headers.get('etag') ?? '';
    const part = await fetch(new URL(route, haul.url), { headers: { authorization: `Bearer ${TOKEN}`, range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${body.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(1000, 2000))).toBe(true);
    const suffix = await fetch(new URL(route, haul.url), { headers: { authorization: `Bearer ${TOKEN}`, range: 'bytes=-10', 'if-range': etag } });
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(body.subarray(body.length - 10))).toBe(true);
    const stale = await fetch(new URL(route, haul.url), { headers: { authorization: `Bearer ${TOKEN}`, range: 'bytes=0-9', 'if-range': '"other"' } });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(body.length);
    const past = await fetch(new URL(route, haul.url), { headers: { authorization: `Bearer ${TOKEN}`, range: `bytes=${body.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${body.length}`);
    expect((await fetch(new URL(route, haul.url))).status).toBe(401);
    expect((await fetch(new URL(`${route}?token=wrong`, haul.url))).status).toBe(401);
  });
});
