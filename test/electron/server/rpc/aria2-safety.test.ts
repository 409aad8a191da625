// aria2's RPC from outside: bad input, floods, wrong tokens, other sites, other users, escapes.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../../../electron/server/accounts/account-store.ts';
import { ARIA2_METHODS } from '../../../../electron/server/rpc/aria2-methods.ts';
import { addTestUsers, request, startTestHaul } from '../../../helpers/haul-harness.ts';
import { ManualClock } from '../../../helpers/manual-clock.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../../helpers/test-server.ts';
import { waitUntil } from '../../../helpers/wait.ts';

const TOKEN = 'test-token-0123456789';
const json = { 'content-type': 'application/json' };
let files: TestServer | undefined;
afterEach(async () => {
  await files?.close();
  files = undefined;
});

async function rpc(base: string, body: unknown, headers: Record<string, string> = {}) {
  return request(base, '/jsonrpc', { method: 'POST', headers: { ...json, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

const call = (method: string, params: unknown[], id: unknown = 'q') => ({ jsonrpc: '2.0', id, method, params });

describe('malformed and oversized calls', () => {
  it('answers JSON-RPC’s and aria2’s errors, and keeps answering', async () => {
    const haul = await startTestHaul();
    expect((await rpc(haul.url, '{"jsonrpc":')).json()).toEqual({ id: null, jsonrpc: '2.0', error: { code: -32700, message: 'Parse error.' } });
    expect((await rpc(haul.url, { id: 1 })).json()).toMatchObject({ id: 1, error: { code: -32600 } });
    expect((await rpc(haul.url, '42')).json()).toMatchObject({ id: null, error: { code: -32600 } });
    expect((await rpc(haul.url, call('aria2.nope', [`token:${TOKEN}`]))).json()).toMatchObject({ id: 'q', error: { code: -32601, message: 'Method not found: aria2.nope.' } });
    expect((await rpc(haul.url, { jsonrpc: '2.0', id: 'p', method: 'aria2.getVersion', params: { a: 1 } })).json()).toMatchObject({ id: 'p', error: { code: -32602 } });
    const wrongType = (await rpc(haul.url, call('aria2.tellStatus', [`token:${TOKEN}`, 5]))).json();
    expect(wrongType.error).toEqual({ code: 1, message: expect.stringMatching(/^The parameter at 0 has wrong type/u) });
    expect((await rpc(haul.url, call('aria2.tellStatus', [`token:${TOKEN}`, 'zz']))).json().error.message).toMatch(/Bad GID zz/u);
    expect((await rpc(haul.url, call('aria2.tellWaiting', [`token:${TOKEN}`, '0', 10]))).json().error.message).toMatch(/parameter at 0/u);
    const huge = await rpc(haul.url, JSON.stringify(call('aria2.addUri', [`token:${TOKEN}`, ['http://x.invalid/'], { out: 'x'.repeat(10 * 1024 * 1024) }])));
    expect(huge.status).toBe(413);
    expect(huge.json()).toMatchObject({ error: { code: -32600, message: expect.stringMatching(/over 2 MiB/u) } });
    expect(haul.engine.list()).toEqual([]);
    expect((await rpc(haul.url, call('aria2.getVersion', [`token:${TOKEN}`]))).json().result.version).toMatch(/^1\./u);
  });

  it('bounds a batch and a multicall at 1,000 calls', async () => {
    const haul = await startTestHaul();
    const batch = Array.from({ length: 1000 }, (_, i) => call('aria2.getGlobalStat', [`token:${TOKEN}`], i));
    const answered = (await rpc(haul.url, batch)).json();
    expect(answered).toHaveLength(1000);
    expect(answered[999]).toMatchObject({ id: 999, result: { numActive: '0' } });
    expect((await rpc(haul.url, [...batch, call('aria2.getVersion', [])])).json()).toMatchObject({ error: { code: -32600, message: expect.stringMatching(/at most 1000 calls, not 1001/u) } });
    const inner = Array.from({ length: 1000 }, () => ({ methodName: 'aria2.getVersion', params: [`token:${TOKEN}`] }));
    expect((await rpc(haul.url, call('system.multicall', [inner]))).json().result).toHaveLength(1000);
    const over = (await rpc(haul.url, call('system.multicall', [[...inner, inner[0]]]))).json();
    expect(over.error).toEqual({ code: 1, message: 'system.multicall takes at most 1000 calls, not 1001.' });
    const nested = (
      await rpc(
        haul.url,
        call('system.multicall', [
          [
            { methodName: 'system.multicall', params: [[]] },
            { methodName: 'aria2.getVersion', params: ['token:wrong'] },
          ],
        ]),
      )
    ).json();
    expect(nested.result).toEqual([
      { code: 1, message: 'Recursive system.multicall forbidden.' },
      { code: 1, message: 'Unauthorized' },
    ]);
  });

  it('closes a WebSocket that floods it, and answers the next one', async () => {
    const haul = await startTestHaul();
    const ws = new WebSocket(`ws://127.0.0.1:${haul.port}/jsonrpc`);
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve, { once: true });
      ws.addEventListener('error', reject, { once: true });
    });
    const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code), { once: true }));
    // Sent at once, they arrive many to a read: far more waiting than one socket may have.
    const message = JSON.stringify(call('aria2.tellActive', [`token:${TOKEN}`]));
    for (let i = 0; i < 5000; i++) ws.send(message);
    expect(await closed).toBe(1008);
    const next = new WebSocket(`ws://127.0.0.1:${haul.port}/jsonrpc`);
    const answer = await new Promise<string>((resolve, reject) => {
      next.addEventListener('open', () => next.send(JSON.stringify(call('aria2.getVersion', [`token:${TOKEN}`]))), { once: true });
      next.addEventListener('message', (e) => resolve(String(e.data)), { once: true });
      next.addEventListener('error', reject, { once: true });
    });
    next.close();
    expect(JSON.parse(answer).result.version).toMatch(/^1\./u);
  });
});

describe('who may call', () => {
  it('takes only the token, slows wrong guesses, and lets system.* answer anyone', async () => {
    const clock = new ManualClock(Date.parse('2026-12-01T00:00:00Z'));
    const haul = await startTestHaul({ clock });
    const unauthorized = { code: 1, message: 'Unauthorized' };
    expect((await rpc(haul.url, call('aria2.getGlobalStat', []))).json().error).toEqual(unauthorized);
    expect((await rpc(haul.url, call('aria2.getGlobalStat', ['token:nope']))).json().error).toEqual(unauthorized);
    expect((await rpc(haul.url, call('aria2.shutdown', ['token:nope']))).json().error).toEqual(unauthorized);
    expect((await rpc(haul.url, call('system.listNotifications', []))).json().result).toContain('aria2.onDownloadComplete');
    for (let i = 0; i < 5; i++) await rpc(haul.url, call('aria2.getGlobalStat', [`token:guess-${i}`]));
    // While the wait is due, no token is even compared: the right one is refused too.
    expect((await rpc(haul.url, call('aria2.getGlobalStat', [`token:${TOKEN}`]))).json().error.message).toMatch(/^Unauthorized \(Too many failed sign-ins\. Wait \d+ s/u);
    clock.advance(60_000);
    expect((await rpc(haul.url, call('aria2.getGlobalStat', [`token:${TOKEN}`]))).json().result).toMatchObject({ numActive: '0' });
  });

  it('answers any origin on /jsonrpc only, never with credentials, and never from a cookie', async () => {
    const haul = await startTestHaul();
    const origin = { origin: 'https://ariang.example' };
    const preflight = await request(haul.url, '/jsonrpc', { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://ariang.example');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const answered = await rpc(haul.url, call('aria2.getVersion', [`token:${TOKEN}`]), origin);
    expect(answered.headers['access-control-allow-origin']).toBe('https://ariang.example');
    expect(answered.json().result).toHaveProperty('version');
    // The rest of the API still answers only Haul's own pages.
    expect((await request(haul.url, '/api/downloads', { token: TOKEN, headers: origin })).status).toBe(403);
    await addTestUsers(haul.dataDir, [['ann', 'admin']]);
    const login = await request(haul.url, '/api/login', { method: 'POST', headers: json, body: JSON.stringify({ name: 'ann', password: 'ann-password' }) });
    const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    expect(cookie).toMatch(/^haul_session=/u);
    expect((await rpc(haul.url, call('aria2.getGlobalStat', []), { cookie })).json().error).toEqual({ code: 1, message: 'Unauthorized' });
  });

  it('acts as the user whose API token it is: their folder, their downloads, no settings', async () => {
    files = await startTestServer({ '/f.bin': serveBytes(testBytes(64 * 1024, 9)) });
    const haul = await startTestHaul();
    await addTestUsers(haul.dataDir, [
      ['ann', 'admin'],
      ['bob', 'user'],
    ]);
    const tokenOf = async (name: string): Promise<string> => {
      const login = await request(haul.url, '/api/login', { method: 'POST', headers: json, body: JSON.stringify({ name, password: `${name}-password` }) });
      const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0] ?? '';
      return (await request(haul.url, '/api/tokens', { method: 'POST', headers: { ...json, cookie }, body: '{"label":"ariang"}' })).json().token;
    };
    const bob = `token:${await tokenOf('bob')}`;
    const ann = `token:${await tokenOf('ann')}`;
    const annGid = (await rpc(haul.url, call('aria2.addUri', [ann, [files.url('/f.bin')], { out: 'ann.bin', pause: 'true' }]))).json().result;
    const bobGid = (await rpc(haul.url, call('aria2.addUri', [bob, [files.url('/f.bin')], { out: 'bob.bin', dir: 'music' }]))).json().result;
    await waitUntil(() => haul.engine.list().some((d) => d.owner === 'bob' && d.status === 'completed'), 15_000, "bob's download completing");
    expect(fs.existsSync(path.join(haul.downloadDir, 'bob', 'music', 'bob.bin'))).toBe(true);
    const bobSees = (await rpc(haul.url, call('aria2.tellStopped', [bob, 0, 100, ['gid']]))).json().result;
    expect(bobSees).toEqual([{ gid: bobGid }]);
    expect((await rpc(haul.url, call('aria2.tellWaiting', [bob, 0, 100, ['gid']]))).json().result).toEqual([]);
    expect((await rpc(haul.url, call('aria2.tellStatus', [bob, annGid]))).json().error).toEqual({ code: 1, message: `GID ${annGid} is not found` });
    expect((await rpc(haul.url, call('aria2.remove', [bob, annGid]))).json().error.code).toBe(1);
    expect((await rpc(haul.url, call('aria2.changeGlobalOption', [bob, { 'max-concurrent-downloads': '9' }]))).json().error.message).toBe('Only an admin can do this.');
    const escaping = (await rpc(haul.url, call('aria2.addUri', [bob, [files.url('/f.bin')], { dir: path.join(haul.downloadDir, 'ann') }]))).json();
    expect(escaping.error.message).toMatch(/outside your download folder/u);
    expect((await rpc(haul.url, call('aria2.changeGlobalOption', [ann, { 'max-concurrent-downloads': '9', 'max-overall-download-limit': '2M' }]))).json().result).toBe('OK');
    expect(haul.engine.settings).toMatchObject({ maxConcurrent: 9, speedLimit: 2 * 1024 * 1024 });
    expect(haul.engine.list().find((d) => d.owner === 'ann')?.status).toBe('paused');
  });
});

describe('every method is checked for who may call it', () => {
  it('a viewer reads but changes nothing, and only an admin changes settings', async () => {
    const haul = await startTestHaul();
    await addTestUsers(haul.dataDir, [
      ['vic', 'viewer'],
      ['bob', 'user'],
    ]);
    // Tokens as `POST /api/tokens` makes them (a viewer cannot make one there: the admin hands it over).
    const store = new AccountStore(path.join(haul.dataDir, 'haul.sqlite'));
    store.addToken('hu_viewer-token', 'vic', 'ariang', new Date().toISOString());
    store.addToken('hu_user-token', 'bob', 'ariang', new Date().toISOString());
    store.close();
    const asViewer = async (method: string) => (await rpc(haul.url, call(method, ['token:hu_viewer-token']))).json().error?.message as string | undefined;
    const writes = Object.entries(ARIA2_METHODS).filter(([, m]) => m.access !== 'read');
    expect(writes.length).toBeGreaterThan(10);
    for (const [method] of writes) expect(String(await asViewer(method)), method).toMatch(/can watch downloads but not change them/u);
    for (const [method] of Object.entries(ARIA2_METHODS).filter(([, m]) => m.access === 'read')) expect(String(await asViewer(method)), method).not.toMatch(/can watch downloads/u);
    for (const [method] of Object.entries(ARIA2_METHODS).filter(([, m]) => m.access === 'admin')) {
      const answer = (await rpc(haul.url, call(method, ['token:hu_user-token', { 'max-concurrent-downloads': '5' }]))).json();
      expect(answer.error?.message, method).toBe('Only an admin can do this.');
    }
    expect(haul.engine.settings.maxConcurrent).toBe(3);
  });
});

describe('what an add may ask for', () => {
  it('refuses options that run programs or touch files, and unknown ones, by name', async () => {
    const haul = await startTestHaul();
    for (const option of ['on-download-complete', 'on-bt-download-complete', 'rpc-secret', 'input-file', 'save-session', 'log', 'load-cookies', 'save-cookies', 'conf-path', 'gid', 'bogus-option']) {
      const answer = (await rpc(haul.url, call('aria2.addUri', [`token:${TOKEN}`, ['http://127.0.0.1:9/x'], { [option]: '/tmp/x' }]))).json();
      expect(answer.error, option).toEqual({ code: 1, message: expect.stringContaining(`The option "${option}" is refused`) });
    }
    expect(haul.engine.list()).toEqual([]);
    const shutdown = (await rpc(haul.url, call('aria2.shutdown', [`token:${TOKEN}`]))).json();
    expect(shutdown.error.message).toMatch(/not stopped/u);
    expect((await rpc(haul.url, call('aria2.addTorrent', [`token:${TOKEN}`, 'AAAA']))).json().error.message).toMatch(/^The torrent cannot be used: it is not bencoded data/u);
    expect((await rpc(haul.url, call('aria2.addTorrent', [`token:${TOKEN}`, 'AAAA', [], { 'on-bt-download-complete': '/bin/sh' }]))).json().error.message).toMatch(
      /The option "on-bt-download-complete" is refused/u,
    );
    expect((await rpc(haul.url, call('aria2.getVersion', [`token:${TOKEN}`]))).json().result).toBeDefined();
  });

  it('keeps dir and out inside the download folder: no "..", no absolute escape, no link out', async () => {
    const haul = await startTestHaul();
    const outside = tempDir('haul-outside-');
    fs.symlinkSync(outside, path.join(haul.downloadDir, 'link-out'));
    const add = async (options: Record<string, string>) => (await rpc(haul.url, call('aria2.addUri', [`token:${TOKEN}`, ['http://127.0.0.1:9/x.bin'], { pause: 'true', ...options }]))).json();
    expect((await add({ dir: '../..' })).error.message).toMatch(/outside the download folder/u);
    expect((await add({ dir: '/etc' })).error.message).toMatch(/outside the download folder/u);
    expect((await add({ dir: 'link-out' })).error.message).toMatch(/outside the download folder/u);
    expect((await add({ out: '../x.bin' })).error.message).toMatch(/The option "out" is refused/u);
    expect((await add({ out: '/etc/x.bin' })).error.message).toMatch(/The option "out" is refused/u);
    expect((await add({ out: 'link-out/x.bin' })).error.message).toMatch(/outside the download folder/u);
    expect(haul.engine.list()).toEqual([]);
    expect((await add({ out: 'videos/kept.bin' })).result).toMatch(/^[0-9a-f]{16}$/u);
    expect(haul.engine.list()[0]).toMatchObject({ dir: path.join(haul.downloadDir, 'videos'), filename: 'kept.bin' });
    expect(fs.readdirSync(outside)).toEqual([]);
  });
});
