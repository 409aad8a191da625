// Haul driven by aria2 clients no one here wrote: aria2.js (HTTP and WebSocket) and maria2.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Aria2 from 'aria2';
import { aria2 as m2, close as m2close, createWebSocket, open as m2open, system as m2system } from 'maria2/dist/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { request, startTestHaul } from '../../../helpers/haul-harness.ts';
import { freePort, startTinyproxy } from '../../../helpers/proxies.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../../helpers/test-server.ts';
import { eventually, waitUntil } from '../../../helpers/wait.ts';

const TOKEN = 'test-token-0123456789';
let files: TestServer | undefined;
const clients: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  await files?.close();
  files = undefined;
});

function aria2js(port: number): Aria2 {
  const client = new Aria2({ host: '127.0.0.1', port, secure: false, secret: TOKEN, path: '/jsonrpc' });
  // Its close() waits for a close event, which a socket never opened or already closed never sends.
  clients.push({ close: () => (client.socket?.readyState === 1 ? client.close() : Promise.resolve()) });
  return client;
}

describe('aria2.js over HTTP', () => {
  it('adds a download with options, reports it as aria2 does, and the file is exact', async () => {
    const data = testBytes(3 * 1024 * 1024 + 17, 3);
    files = await startTestServer({ '/a.bin': serveBytes(data) });
    const haul = await startTestHaul();
    const client = aria2js(haul.port);
    const gid: string = await client.call('addUri', [files.url('/a.bin')], { dir: 'sub', out: 'named.bin', header: ['X-Test: 1'], 'max-connection-per-server': '2' });
    expect(gid).toMatch(/^[0-9a-f]{16}$/u);
    await eventually(async () => (await client.call('tellStatus', gid, ['status'])).status === 'complete', 15_000, 'the download completing');
    const status = await client.call('tellStatus', gid);
    const file = path.join(haul.downloadDir, 'sub', 'named.bin');
    expect(status).toMatchObject({ gid, status: 'complete', totalLength: String(data.length), completedLength: String(data.length), dir: path.join(haul.downloadDir, 'sub') });
    expect(status.files).toEqual([expect.objectContaining({ index: '1', path: file, length: String(data.length), selected: 'true', uris: [{ uri: files.url('/a.bin'), status: 'used' }] })]);
    expect(sha256(fs.readFileSync(file))).toBe(sha256(data));
    // The header went to the server; the download is an ordinary one, in Haul's own list.
    expect(files.requests.some((r) => r.headers['x-test'] === '1')).toBe(true);
    expect(haul.engine.list().map((d) => d.filename)).toEqual(['named.bin']);
    expect(await client.call('tellStopped', 0, 10, ['gid', 'status'])).toEqual([{ gid, status: 'complete' }]);
    const options = await client.call('getOption', gid);
    expect(options).toMatchObject({ dir: path.join(haul.downloadDir, 'sub'), out: 'named.bin', split: '2', 'max-connection-per-server': '2' });
  });

  it('sends a download through the proxy its all-proxy names (a real tinyproxy), and refuses one that is not a proxy address', async () => {
    const data = testBytes(512 * 1024, 11);
    files = await startTestServer({ '/p.bin': serveBytes(data) });
    const proxy = await startTinyproxy();
    const haul = await startTestHaul();
    const client = aria2js(haul.port);
    const gid: string = await client.call('addUri', [files.url('/p.bin')], { 'all-proxy': `127.0.0.1:${proxy.port}` });
    await eventually(async () => (await client.call('tellStatus', gid, ['status'])).status === 'complete', 15_000, 'the download through the proxy');
    expect(proxy.connections()).toBeGreaterThan(0);
    expect(sha256(fs.readFileSync(path.join(haul.downloadDir, 'p.bin')))).toBe(sha256(data));
    await expect(client.call('addUri', [files.url('/p.bin')], { 'all-proxy': 'ftp://127.0.0.1:21' })).rejects.toThrow(/"proxy" must be a proxy address/u);
  });

  it('pauses and unpauses, lists with keys, moves in the queue, and multicalls', async () => {
    const data = testBytes(2 * 1024 * 1024, 4);
    files = await startTestServer({ '/slow.bin': serveBytes(data, { rate: 256 * 1024 }), '/b.bin': serveBytes(data) });
    const haul = await startTestHaul();
    await haul.engine.updateSettings({ maxConcurrent: 1 });
    const client = aria2js(haul.port);
    const first: string = await client.call('addUri', [files.url('/slow.bin')], { out: 'one.bin' });
    const second: string = await client.call('addUri', [files.url('/b.bin')], { out: 'two.bin', pause: 'true' });
    const third: string = await client.call('addUri', [files.url('/b.bin')], { out: 'three.bin', pause: 'true' });
    await eventually(async () => (await client.call('tellActive', ['gid'])).length === 1, 10_000, 'one active');
    expect(await client.call('tellActive', ['gid', 'status'])).toEqual([{ gid: first, status: 'active' }]);
    expect(await client.call('tellWaiting', 0, 10, ['gid'])).toEqual([{ gid: second }, { gid: third }]);
    // Newest first with a negative offset, as aria2 pages.
    expect(await client.call('tellWaiting', -1, 10, ['gid'])).toEqual([{ gid: third }, { gid: second }]);
    expect(await client.call('changePosition', third, 0, 'POS_SET')).toBe(0);
    expect(await client.call('tellWaiting', 0, 10, ['gid'])).toEqual([{ gid: third }, { gid: second }]);
    expect(await client.call('pause', first)).toBe(first);
    await eventually(async () => (await client.call('tellStatus', first, ['status'])).status === 'paused', 10_000, 'paused');
    await expect(client.call('pause', first)).rejects.toThrow(`GID#${first} cannot be paused now`);
    const [version, stat] = await client.multicall([['getVersion'], ['getGlobalStat']]);
    expect(version[0] ?? version).toHaveProperty('version');
    expect(stat[0] ?? stat).toMatchObject({ numActive: '0', numWaiting: '3' });
    expect(await client.call('unpause', first)).toBe(first);
    await client.call('unpauseAll');
    await eventually(async () => (await client.call('tellStopped', 0, 10, ['gid'])).length === 3, 30_000, 'all three complete');
    for (const name of ['one.bin', 'two.bin', 'three.bin']) expect(sha256(fs.readFileSync(path.join(haul.downloadDir, name)))).toBe(sha256(data));
  });

  it('removes a download (its result stays until purged) and says so for a gid it does not know', async () => {
    files = await startTestServer({ '/slow.bin': serveBytes(testBytes(4 * 1024 * 1024, 5), { rate: 128 * 1024 }) });
    const haul = await startTestHaul();
    const client = aria2js(haul.port);
    const gid: string = await client.call('addUri', [files.url('/slow.bin')]);
    expect(await client.call('remove', gid)).toBe(gid);
    expect(haul.engine.list()).toEqual([]);
    expect(await client.call('tellStatus', gid, ['gid', 'status'])).toEqual({ gid, status: 'removed' });
    expect(await client.call('tellStopped', -1, 5, ['gid', 'status'])).toEqual([{ gid, status: 'removed' }]);
    expect(await client.call('purgeDownloadResult')).toBe('OK');
    await expect(client.call('tellStatus', gid)).rejects.toThrow(`GID ${gid} is not found`);
  });
});

describe('over a WebSocket', () => {
  it('aria2.js gets the notifications of a download it added, in order', async () => {
    const data = testBytes(1024 * 1024, 6);
    files = await startTestServer({ '/c.bin': serveBytes(data, { rate: 512 * 1024 }) });
    const haul = await startTestHaul();
    const client = aria2js(haul.port);
    await client.open();
    const seen: string[] = [];
    for (const name of ['onDownloadStart', 'onDownloadPause', 'onDownloadComplete', 'onDownloadStop', 'onDownloadError'])
      client.on(name, ([event]: Array<{ gid: string }>) => seen.push(`${name} ${event?.gid}`));
    const gid: string = await client.call('addUri', [files.url('/c.bin')]);
    await waitUntil(() => seen.includes(`onDownloadStart ${gid}`), 10_000, 'onDownloadStart');
    await client.call('pause', gid);
    await waitUntil(() => seen.includes(`onDownloadPause ${gid}`), 10_000, 'onDownloadPause');
    await client.call('unpause', gid);
    await waitUntil(() => seen.includes(`onDownloadComplete ${gid}`), 15_000, 'onDownloadComplete');
    await client.call('removeDownloadResult', gid);
    await waitUntil(() => seen.includes(`onDownloadStop ${gid}`), 10_000, 'onDownloadStop');
    expect(seen.filter((s) => s.endsWith(gid))).toEqual([`onDownloadStart ${gid}`, `onDownloadPause ${gid}`, `onDownloadStart ${gid}`, `onDownloadComplete ${gid}`, `onDownloadStop ${gid}`]);
  });

  it('maria2 adds, reads and multicalls, and a failed link is an error with aria2’s code', async () => {
    files = await startTestServer({ '/d.bin': serveBytes(testBytes(64 * 1024, 7)) });
    const haul = await startTestHaul();
    const conn = await m2open(createWebSocket(`ws://127.0.0.1:${haul.port}/jsonrpc`), { secret: TOKEN });
    clients.push({ close: async () => m2close(conn) });
    const errors: string[] = [];
    m2.when(conn, 'aria2.onDownloadError', (event) => errors.push(event.gid));
    const gid = await m2.addUri(conn, [files.url('/missing.bin')], { out: 'gone.bin' });
    await eventually(async () => (await m2.tellStatus(conn, gid, ['status'])).status === 'error', 15_000, 'the missing file failing');
    const status = await m2.tellStatus(conn, gid, ['errorCode', 'errorMessage']);
    expect(status.errorCode).toBe('3');
    expect(status.errorMessage).toMatch(/404/u);
    await waitUntil(() => errors.includes(gid), 5_000, 'onDownloadError');
    const [files1, version] = await m2system.multicall(conn, { methodName: 'aria2.getFiles', params: [gid] }, { methodName: 'aria2.getVersion', params: [] });
    expect(files1).toEqual([[expect.objectContaining({ index: '1', path: path.join(haul.downloadDir, 'gone.bin') })]]);
    expect(version).toEqual([expect.objectContaining({ version: expect.stringMatching(/^1\.\d+\.\d+$/u) })]);
  });
});

describe('on a port of its own (Settings’ rpcPort, haul serve --rpc-port)', () => {
  it('answers /jsonrpc there over HTTP and WebSocket and nothing else, moves with the setting, and refuses a port in use', async () => {
    const [port, next] = [await freePort(), await freePort()];
    const haul = await startTestHaul({ rpcPort: port });
    expect(haul.engine.settings.rpcPort).toBe(port);
    const client = aria2js(port);
    expect(await client.call('getGlobalStat')).toMatchObject({ numActive: '0' });
    await client.open();
    expect(await client.call('getVersion')).toHaveProperty('version');
    await client.close();
    const other = await fetch(`http://127.0.0.1:${port}/api/downloads`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(other.status).toBe(404);
    expect(await other.text()).toMatch(/aria2 JSON-RPC at \/jsonrpc only/u);
    // Moved from Settings: the old port closes, the new one answers.
    const moved = await request(haul.url, '/api/settings', { method: 'PATCH', token: TOKEN, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rpcPort: next }) });
    expect(moved.json()).toMatchObject({ rpcPort: next });
    expect(await aria2js(next).call('getGlobalStat')).toMatchObject({ numActive: '0' });
    await expect(fetch(`http://127.0.0.1:${port}/jsonrpc`, { method: 'POST', body: '{}' })).rejects.toThrow();
    // A port another program holds is refused by name, and the one in use stays.
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const refused = await request(haul.url, '/api/settings', { method: 'PATCH', token: TOKEN, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rpcPort: port }) });
      expect(refused.status).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'INVALID_FIELD', message: expect.stringMatching(/"rpcPort": port \d+ on 127\.0\.0\.1 is in use by another program/u) });
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
    expect(haul.engine.settings.rpcPort).toBe(next);
    expect(await aria2js(next).call('getGlobalStat')).toMatchObject({ numActive: '0' });
  });
});
