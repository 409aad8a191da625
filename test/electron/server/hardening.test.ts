import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { request, startTestHaul } from '../../helpers/haul-harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const TOKEN = 'test-token-0123456789';

/** Sends exactly `head` (a request a browser would never send) and returns the status code and body. */
function rawRequest(port: number, head: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/u.exec(text)?.[1] ?? 0), text }));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer')));
  });
}

describe('requests no browser sends', () => {
  it.each(['//', '/\\\\', '//@', '//evil.example/x'])('answers GET %s with 400 or 404, never 500, and logs nothing', async (target) => {
    const lines: string[] = [];
    const haul = await startTestHaul({ log: (line) => lines.push(line) });
    const res = await rawRequest(haul.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${haul.port}\r\nConnection: close\r\n\r\n`);
    expect([400, 404]).toContain(res.status);
    expect(lines).toEqual([]);
  });

  it('answers a malformed escape in an id with 400 naming it', async () => {
    const lines: string[] = [];
    const haul = await startTestHaul({ log: (line) => lines.push(line) });
    const res = await request(haul.url, '/api/downloads/%E0%A4%A', { token: TOKEN });
    expect(res.status).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('id') });
    expect(lines).toEqual([]);
  });

  it('refuses an absolute-form target and a duplicate Host header', async () => {
    const haul = await startTestHaul();
    const host = `127.0.0.1:${haul.port}`;
    const absolute = await rawRequest(haul.port, `GET http://${host}/api/downloads HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`);
    expect(absolute.status).toBe(400);
    const twice = await rawRequest(haul.port, `GET /api/downloads HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`);
    expect(twice.status).toBe(400);
  });

  it('keeps serving when its log cannot be written', async () => {
    let attempts = 0;
    const haul = await startTestHaul({
      log: () => {
        attempts += 1;
        throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      },
    });
    // An internal error is what gets logged: an engine already shut down makes one.
    await haul.engine.shutdown();
    const failed = await request(haul.url, '/api/downloads', { method: 'POST', token: TOKEN, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'http://127.0.0.1:9/x' }) });
    expect(failed.status).toBe(500);
    expect(attempts).toBe(1);
    expect((await request(haul.url, '/api/settings', { token: TOKEN })).status).toBe(200);
  });
});

describe('the token', () => {
  it('is taken from the URL only by the event stream', async () => {
    const haul = await startTestHaul();
    const inUrl = await request(haul.url, `/api/downloads?token=${TOKEN}`);
    expect(inUrl.status).toBe(401);
    expect(inUrl.json().error.message).toMatch(/only by GET \/api\/events/u);
    const events = await new Promise<number>((resolve, reject) => {
      const req = net.connect(haul.port, '127.0.0.1', () => req.write(`GET /api/events?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${haul.port}\r\n\r\n`));
      req.once('data', (chunk: Buffer) => {
        resolve(Number(/^HTTP\/1\.1 (\d{3})/u.exec(chunk.toString())?.[1]));
        req.destroy();
      });
      req.on('error', reject);
    });
    expect(events).toBe(200);
  });

  it('accepts the Bearer scheme in any case', async () => {
    const haul = await startTestHaul();
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      expect((await request(haul.url, '/api/downloads', { headers: { authorization: `${scheme} ${TOKEN}` } })).status, scheme).toBe(200);
    }
    expect((await request(haul.url, '/api/downloads', { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
  });
});

describe('timeouts', () => {
  it('closes a connection whose request head never completes after about 10 s, not 40', async () => {
    const haul = await startTestHaul();
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const socket = net.connect(haul.port, '127.0.0.1', () => socket.write(`GET /api/downloads HTTP/1.1\r\nHost: 127.0.0.1:${haul.port}\r\n`));
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', () => undefined);
      socket.resume();
    });
    expect(closedAfter).toBeGreaterThanOrEqual(9_500);
    expect(closedAfter).toBeLessThan(13_000);
  }, 20_000);
});

describe('secrets on disk', () => {
  it('keeps the data folder 0700 and the store 0600', async () => {
    const haul = await startTestHaul();
    haul.engine.add({ url: 'http://127.0.0.1:9/x', headers: { Cookie: 'session=secret' }, paused: true });
    expect(fs.statSync(haul.dataDir).mode & 0o777).toBe(0o700);
    for (const name of fs.readdirSync(haul.dataDir).filter((n) => n.startsWith('haul.sqlite'))) {
      expect(fs.statSync(path.join(haul.dataDir, name)).mode & 0o777, name).toBe(0o600);
    }
    expect(fs.readdirSync(haul.dataDir)).toEqual(expect.arrayContaining(['haul.sqlite', 'haul.sqlite-wal']));
  });
});

describe('one Haul per data folder', () => {
  it.runIf(fs.existsSync('/proc/self/stat'))('takes over a lock whose pid the OS gave to another process since', async () => {
    const dataDir = tempDir();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      // The pid is alive, but it started at another time than the Haul that wrote the lock.
      fs.writeFileSync(path.join(dataDir, 'haul.lock'), `${other.pid} 1\n`);
      const haul = await startTestHaul({ dataDir });
      expect(fs.readFileSync(path.join(dataDir, 'haul.lock'), 'utf8').split(' ')[0]).toBe(String(process.pid));
      await haul.close();
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('refuses a second Haul on the same folder, saying where the first listens, and frees the folder on close', async () => {
    const first = await startTestHaul();
    await expect(startTestHaul({ dataDir: first.dataDir })).rejects.toThrow(new RegExp(`already using the data folder .*listening on ${first.url.replace(/[.]/gu, '\\.')}`, 'u'));
    await first.close();
    const next = await startTestHaul({ dataDir: first.dataDir });
    expect((await request(next.url, '/api/downloads', { token: TOKEN })).status).toBe(200);
  });
});

describe('where the API may write', () => {
  const json = { 'content-type': 'application/json' };
  const add = (base: string, body: unknown) => request(base, '/api/downloads', { method: 'POST', token: TOKEN, headers: json, body: JSON.stringify(body) });

  it('refuses a dir outside the download folder and the picked folders, creating nothing', async () => {
    const haul = await startTestHaul();
    const outside = path.join(tempDir(), 'cron.d');
    for (const dir of [outside, '/root/.ssh', path.join(haul.downloadDir, '..', 'elsewhere')]) {
      const res = await add(haul.url, { url: 'http://127.0.0.1:9/authorized_keys', dir, filename: 'authorized_keys', paused: true });
      expect(res.status, dir).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'INVALID_FIELD', message: expect.stringContaining('outside the download folder') });
    }
    expect(fs.existsSync(outside)).toBe(false);
    expect(haul.engine.list()).toEqual([]);
  });

  it('accepts a folder inside the download folder, and one the user picked', async () => {
    const haul = await startTestHaul();
    const inside = await add(haul.url, { url: 'http://127.0.0.1:9/a', dir: path.join(haul.downloadDir, 'isos'), paused: true });
    expect(inside.status).toBe(201);
    const picked = tempDir();
    haul.engine.approveFolder(picked);
    const there = await add(haul.url, { url: 'http://127.0.0.1:9/b', dir: path.join(picked, 'sub'), paused: true });
    expect(there.status).toBe(201);
    expect(there.json().downloads[0].dir).toBe(path.join(picked, 'sub'));
  });

  it('takes a download folder in Settings only when it exists or can be created, and Haul can write to it', async () => {
    const haul = await startTestHaul();
    const patch = (downloadDir: string) => request(haul.url, '/api/settings', { method: 'PATCH', token: TOKEN, headers: json, body: JSON.stringify({ downloadDir }) });
    const missing = path.join(tempDir(), 'not-there', 'yet');
    expect((await patch(missing)).json()).toMatchObject({ downloadDir: missing });
    expect(fs.statSync(missing).isDirectory()).toBe(true);
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, 'x');
    const underFile = await patch(path.join(file, 'sub'));
    expect(underFile.status).toBe(400);
    expect(underFile.json().error.message).toMatch(/a-file is a file, not a folder/u);
    const proc = await patch('/proc/haul-cannot-be-here');
    expect(proc.json().error.message).toMatch(/is a system folder/u);
    // A folder that cannot be created says so (a file's place under /dev/null).
    const unmakeable = await patch(path.join(tempDir(), 'no', 'x'.repeat(300)));
    expect(unmakeable.status).toBe(400);
    expect(unmakeable.json().error.message).toMatch(/could not create the folder/u);
    const good = tempDir();
    expect((await patch(good)).json()).toMatchObject({ downloadDir: good });
    // Downloads may now go there, and the old folder is no longer a root.
    expect((await add(haul.url, { url: 'http://127.0.0.1:9/c', dir: path.join(good, 'x'), paused: true })).status).toBe(201);
  });
});
