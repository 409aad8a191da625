import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/accounts-api.ts';
import type { Opener } from '../../../electron/server/opener.ts';
import { SqliteStore } from '../../../electron/engine/store/sqlite-store.ts';
import { addTestUsers, request, startTestHaul } from '../../helpers/haul-harness.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { eventually } from '../../helpers/wait.ts';

const TOKEN = 'test-token-0123456789';
const json = { 'content-type': 'application/json' };

let files: TestServer | undefined;
afterEach(async () => {
  await files?.close();
  files = undefined;
});

/** An opener that records what Haul asked the OS to open, instead of opening it. */
function recordingOpener(): Opener & { calls: string[] } {
  const calls: string[] = [];
  return { calls, open: async (file) => void calls.push(`open ${file}`), reveal: async (file) => void calls.push(`reveal ${file}`) };
}

async function withUsers(users: Array<[string, Role]>, opener = recordingOpener(), dataDir: string | undefined = undefined) {
  const haul = await startTestHaul({ opener, ...(dataDir === undefined ? {} : { dataDir }) });
  await addTestUsers(haul.dataDir, users);
  const cookies: Record<string, string> = {};
  for (const [name] of users) {
    const res = await request(haul.url, '/api/login', { method: 'POST', headers: json, body: JSON.stringify({ name, password: `${name}-password` }) });
    cookies[name] = String(res.headers['set-cookie']?.[0]).split(';')[0] ?? '';
  }
  const call = (who: string, route: string, method = 'GET', body?: unknown) =>
    request(haul.url, route, { method, headers: { cookie: cookies[who] ?? '', ...(body === undefined ? {} : json) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { haul, opener, call };
}

async function completedDownload(call: (who: string, route: string, method?: string, body?: unknown) => ReturnType<typeof request>, who: string, file: string) {
  const added = await call(who, '/api/downloads', 'POST', { url: files!.url(file) });
  expect(added.status, added.body).toBe(201);
  const id: string = added.json().downloads[0].id;
  await eventually(async () => (await call(who, `/api/downloads/${id}`)).json().status === 'completed', 10_000, `${file} completing`);
  return id;
}

describe('with accounts on, what reaches the machine Haul runs on', () => {
  it('lets only admins open or reveal a file on the host, whatever a user confirms; a user saves it to their device instead', async () => {
    files = await startTestServer({ '/payload.exe': serveBytes(testBytes(64)), '/a.bin': serveBytes(testBytes(64, 2)) });
    const { haul, opener, call } = await withUsers([
      ['bob', 'user'],
      ['root', 'admin'],
    ]);
    const id = await completedDownload(call, 'bob', '/payload.exe');
    const open = await call('bob', `/api/downloads/${id}/open`, 'POST', { confirmRisky: true });
    expect(open.status).toBe(403);
    expect(open.json().error.code).toBe('FORBIDDEN');
    expect((await call('bob', `/api/downloads/${id}/reveal`, 'POST')).status).toBe(403);
    expect(opener.calls).toEqual([]);
    // The user's own file comes to their device.
    const saved = await call('bob', `/api/downloads/${id}/file`);
    expect(saved.status).toBe(200);
    expect(saved.headers['content-length']).toBe('64');
    // An admin (and the machine's owner, with the data folder's token) may.
    expect((await call('root', `/api/downloads/${id}/reveal`, 'POST')).status).toBe(200);
    expect((await request(haul.url, `/api/downloads/${id}/open`, { method: 'POST', token: TOKEN, headers: json, body: JSON.stringify({ confirmRisky: true }) })).status).toBe(200);
    expect(opener.calls).toHaveLength(2);
  });

  it('shows viewers the list but not file contents, and each user only the hosts of downloads they can see', async () => {
    files = await startTestServer({ '/a.bin': serveBytes(testBytes(64, 3)) });
    const dataDir = tempDir();
    const earlier = new SqliteStore(path.join(dataDir, 'haul.sqlite'));
    earlier.saveHostLimit(new URL(files.url('/')).host, 2, '2026-01-01T00:00:00.000Z');
    earlier.saveHostLimit('elsewhere.example:443', 2, '2026-01-01T00:00:00.000Z');
    earlier.close();
    const { haul, call } = await withUsers(
      [
        ['bob', 'user'],
        ['carol', 'user'],
        ['vic', 'viewer'],
      ],
      recordingOpener(),
      dataDir,
    );
    const id = await completedDownload(call, 'bob', '/a.bin');
    expect((await call('vic', '/api/downloads')).json().downloads.map((d: { id: string }) => d.id)).toEqual([id]);
    const read = await call('vic', `/api/downloads/${id}/file`);
    expect(read.status).toBe(403);
    expect((await call('carol', `/api/downloads/${id}/file`)).status).toBe(404);
    // Ceilings learnt from bob's host and another: bob and admins see his host's; carol, nothing.
    const hosts = (await call('bob', '/api/hosts')).json().hosts.map((h: { host: string }) => h.host);
    expect(hosts).toEqual([new URL(files.url('/')).host]);
    expect((await call('carol', '/api/hosts')).json().hosts).toEqual([]);
    expect((await request(haul.url, '/api/hosts', { token: TOKEN })).json().hosts).toHaveLength(2);
  });
});

describe('folders a request names', () => {
  it('check-links tells nothing about folders outside the caller’s own: not /etc, not the data folder, not another user’s', async () => {
    const { haul, call } = await withUsers([
      ['bob', 'user'],
      ['carol', 'user'],
    ]);
    const carolDir = path.join(haul.downloadDir, 'carol');
    fs.mkdirSync(carolDir, { recursive: true });
    fs.writeFileSync(path.join(carolDir, 'secret.pdf'), 'x');
    for (const [dir, url] of [
      ['/etc', 'https://example.test/shadow'],
      [haul.dataDir, 'https://example.test/token'],
      [carolDir, 'https://example.test/secret.pdf'],
    ] as const) {
      const res = await call('bob', '/api/actions/check-links', 'POST', { urls: [url], dir });
      expect(res.status, `${dir}: ${res.body}`).toBe(400);
      expect(res.json().error.message).toContain('outside your download folder');
    }
    // The machine's owner too is held to the download folder and the folders picked on this machine.
    const owner = await request(haul.url, '/api/actions/check-links', { method: 'POST', token: TOKEN, headers: json, body: JSON.stringify({ urls: ['https://example.test/shadow'], dir: '/etc' }) });
    expect(owner.status).toBe(400);
    expect(owner.json().error.message).toMatch(/"dir": \/etc is outside the download folder/u);
  });

  it('does not follow a symbolic link in the download folder out of it', async () => {
    files = await startTestServer({ '/evil.sh': serveBytes(testBytes(16)) });
    const { haul, call } = await withUsers([['bob', 'user']]);
    const outside = tempDir('haul-outside-');
    const bobDir = path.join(haul.downloadDir, 'bob');
    fs.mkdirSync(bobDir, { recursive: true });
    fs.symlinkSync(outside, path.join(bobDir, 'escape'));
    for (const dir of [path.join(bobDir, 'escape'), path.join(bobDir, 'escape', 'deeper')]) {
      const res = await call('bob', '/api/downloads', 'POST', { url: files.url('/evil.sh'), dir });
      expect(res.status, res.body).toBe(400);
    }
    // The owner's token: the same link out of the download folder is refused.
    fs.symlinkSync(outside, path.join(haul.downloadDir, 'out'));
    const owner = await request(haul.url, '/api/downloads', {
      method: 'POST',
      token: TOKEN,
      headers: json,
      body: JSON.stringify({ url: files.url('/evil.sh'), dir: path.join(haul.downloadDir, 'out') }),
    });
    expect(owner.status).toBe(400);
    expect(fs.readdirSync(outside)).toEqual([]);
    // A real folder inside still works.
    expect((await call('bob', '/api/downloads', 'POST', { url: files.url('/evil.sh'), dir: path.join(bobDir, 'sub') })).status).toBe(201);
  });
});

describe('the download folder setting', () => {
  it('refuses system folders and the data folder, by real path, and keeps the rest as before', async () => {
    const haul = await startTestHaul();
    const link = path.join(tempDir(), 'looks-harmless');
    fs.symlinkSync('/etc', link);
    const patch = (downloadDir: string) => request(haul.url, '/api/settings', { method: 'PATCH', token: TOKEN, headers: json, body: JSON.stringify({ downloadDir }) });
    for (const dir of ['/', '/etc', '/etc/cron.d', '/proc', '/proc/self/cwd', '/usr/local/bin', '/sys/kernel', haul.dataDir, path.join(haul.dataDir, 'sub'), link]) {
      const res = await patch(dir);
      expect(res.status, `${dir}: ${res.body}`).toBe(400);
      expect(res.json().error.message).toMatch(/system folder|data folder/u);
    }
    expect(fs.existsSync(path.join(haul.dataDir, 'sub'))).toBe(false);
    const mine = path.join(tempDir(), 'Downloads');
    const ok = await patch(mine);
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json().downloadDir).toBe(mine);
  });
});
