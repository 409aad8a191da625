import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PORT } from '../../../shared/ports.ts';
import { request } from '../../helpers/haul-harness.ts';
import { runHaul } from '../../helpers/run-cli.ts';
import { startServe } from '../../helpers/serve-process.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { fakeXdgOpen } from '../../helpers/fake-opener.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { eventually, waitUntil } from '../../helpers/wait.ts';

let files: TestServer | undefined;
afterEach(async () => {
  await files?.close();
  files = undefined;
});

describe('haul serve', () => {
  it('prints its URL and the token link, writes server.json 0600, and cleans up on SIGTERM', async () => {
    const dataDir = tempDir();
    const serve = await startServe({ HAUL_DATA_DIR: dataDir, HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: 'fixed-token-for-test' });
    expect(serve.lines[0]).toMatch(/^Haul listening on http:\/\/127\.0\.0\.1:\d+\/$/u);
    const base = serve.lines[0]!.replace('Haul listening on ', '');
    expect(serve.lines[1]).toBe(`Open ${base}#token=fixed-token-for-test`);
    const infoPath = path.join(dataDir, 'server.json');
    expect(fs.statSync(infoPath).mode & 0o777).toBe(0o600);
    const info = JSON.parse(fs.readFileSync(infoPath, 'utf8'));
    expect(info).toEqual({ url: base, port: Number(new URL(base).port), token: 'fixed-token-for-test', pid: serve.child.pid });
    expect((await request(base, '/api/settings', { token: 'fixed-token-for-test' })).status).toBe(200);
    serve.child.kill('SIGTERM');
    const result = await serve.done;
    expect(result.code).toBe(0);
    expect(fs.existsSync(infoPath)).toBe(false);
  });

  it('brings every download back after a restart and resumes the running one', async () => {
    const data = testBytes(800 * 1024, 61);
    files = await startTestServer({ '/r.bin': serveBytes(data, { etag: '"r"', rate: 256 * 1024 }), '/p.bin': serveBytes(testBytes(10)) });
    const env = { HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: 't0k3n' };
    const first = await startServe(env);
    const base = first.lines[0]!.replace('Haul listening on ', '');
    const added = await request(base, '/api/downloads', { method: 'POST', token: 't0k3n', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: files.url('/r.bin') }) });
    const running = added.json().downloads[0];
    const paused = (
      await request(base, '/api/downloads', { method: 'POST', token: 't0k3n', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: files.url('/p.bin'), paused: true }) })
    ).json().downloads[0];
    // Stop it once some bytes are on disk, so the restart has something to resume.
    await eventually(async () => ((await request(base, `/api/downloads/${running.id}`, { token: 't0k3n' })).json().received ?? 0) >= 100 * 1024, 10_000, '100 KiB on disk');
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(0);

    files.route('/r.bin', serveBytes(data, { etag: '"r"' }));
    const second = await startServe(env);
    const base2 = second.lines[0]!.replace('Haul listening on ', '');
    let list: Array<{ id: string; status: string; filename: string; dir: string }> = [];
    await eventually(
      async () => {
        list = (await request(base2, '/api/downloads', { token: 't0k3n' })).json().downloads;
        return list.find((d) => d.id === running.id)?.status === 'completed';
      },
      10_000,
      'the resumed download completing',
    );
    const done = list.find((d) => d.id === running.id)!;
    expect(done.status).toBe('completed');
    expect(list.find((d) => d.id === paused.id)?.status).toBe('paused');
    expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    expect(files.requestsTo('/r.bin').at(-1)?.headers.range).toMatch(/^bytes=[1-9]\d*-$/u);
    second.child.kill('SIGTERM');
    await second.done;
  });
});

describe('haul serve beyond loopback', () => {
  it('says in one line that the network reaches it, without TLS or accounts, and lists the addresses that work', async () => {
    const serve = await startServe({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: 'net-token' }, ['--host', '0.0.0.0', '--port', '0']);
    await waitUntil(() => serve.stdout().split('\n').length > 3, 5_000, 'the exposure line');
    const line = serve.stdout().split('\n')[2] ?? '';
    const port = Number(new URL(serve.lines[0]!.replace('Haul listening on ', '')).port);
    const own = Object.values(os.networkInterfaces())
      .flatMap((list) => list ?? [])
      .filter((a) => a.family === 'IPv4' && !a.internal)
      .map((a) => `http://${a.address}:${port}/`);
    expect(line).toMatch(/^The API is reachable from the network \(bound to 0\.0\.0\.0\), over plain HTTP .*, accounts off .*\. Addresses: /u);
    for (const url of own) expect(line).toContain(url);
    // Those addresses are answered (asked over loopback, naming the address as a browser on the network would).
    for (const url of own) expect((await request(`http://127.0.0.1:${port}/`, '/api/settings', { token: 'net-token', headers: { host: new URL(url).host } })).status).toBe(200);
    expect((await request(`http://127.0.0.1:${port}/`, '/api/settings', { token: 'net-token', headers: { host: 'rebound.example:80' } })).status).toBe(403);
    serve.child.kill('SIGTERM');
    await serve.done;
  });

  it('says nothing more on loopback', async () => {
    const serve = await startServe({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir() }, ['--port', '0']);
    serve.child.kill('SIGTERM');
    const result = await serve.done;
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
  });
});

describe('haul serve across restarts', () => {
  it('keeps its token in the data folder, so the printed address works again after a restart', async () => {
    const dataDir = tempDir();
    const env = { HAUL_DATA_DIR: dataDir, HAUL_DOWNLOAD_DIR: tempDir() };
    const first = await startServe(env);
    const token = /#token=(\S+)$/u.exec(first.lines[1] ?? '')?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{32,}$/u);
    expect(fs.statSync(path.join(dataDir, 'token')).mode & 0o777).toBe(0o600);
    first.child.kill('SIGTERM');
    await first.done;
    const second = await startServe(env);
    expect(second.lines[1]).toMatch(new RegExp(`#token=${token}$`, 'u'));
    second.child.kill('SIGTERM');
    await second.done;
  });

  it('listens on the default port, or the next free one saying so in one line', async () => {
    // Hold the default port (unless another test already does): Haul must move one up.
    const holder = net.createServer();
    await new Promise<void>((resolve) => {
      holder.once('error', () => resolve());
      holder.listen(DEFAULT_PORT, '127.0.0.1', resolve);
    });
    try {
      const run = await startServe({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir() });
      const port = Number(new URL(run.lines[0]!.replace('Haul listening on ', '')).port);
      expect(port).toBeGreaterThan(DEFAULT_PORT);
      expect(port).toBeLessThan(DEFAULT_PORT + 20);
      run.child.kill('SIGTERM');
      const result = await run.done;
      expect(result.stderr).toBe(`Port ${DEFAULT_PORT} is in use; Haul listens on ${port} instead.\n`);
    } finally {
      holder.close();
    }
  });
});

describe('haul serve refusals', () => {
  it('refuses a second serve on the same data folder, naming where the first listens, and leaves the first one alone', async () => {
    const dataDir = tempDir();
    const env = { HAUL_DATA_DIR: dataDir, HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: 'first-token' };
    const first = await startServe(env);
    const base = first.lines[0]!.replace('Haul listening on ', '');
    const second = await runHaul(['serve'], env);
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toContain(`listening on ${base}`);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'server.json'), 'utf8')).pid).toBe(first.child.pid);
    expect((await request(base, '/api/downloads', { token: 'first-token' })).status).toBe(200);
    first.child.kill('SIGTERM');
    await first.done;
  });

  it('says in one line that the port is taken, and exits non-zero', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const result = await runHaul(['serve', '--port', String(port)], { HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir() });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`haul serve: port ${port} on 127.0.0.1 is already in use by another program. Choose another with --port, or --port 0 for any free one.`);
    } finally {
      taken.close();
    }
  });
});

describe('haul serve --redis refusals', () => {
  it('refuses a bad Redis address, a stray --node-name or --lease-ms, and a bad name, with exit 2 and the reason', async () => {
    const env = { HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir() };
    const cases: Array<[string[], RegExp]> = [
      [['--redis', 'http://127.0.0.1:6379'], /--redis: the address must start with redis:\/\//u],
      [['--redis', 'redis://127.0.0.1/zero'], /--redis: the database must be a number/u],
      [['--node-name', 'a'], /--node-name names this node among others sharing Redis: it goes with --redis URL/u],
      [['--lease-ms', '5000'], /--lease-ms is how long a node sharing Redis keeps a download .*: it goes with --redis URL/u],
      [['--redis', 'redis://127.0.0.1:1/0', '--node-name', 'two words'], /--node-name must be 1 to 63 letters/u],
      [['--redis', 'redis://127.0.0.1:1/0', '--lease-ms', '10'], /--lease-ms must be a whole number of milliseconds from 1000/u],
    ];
    for (const [args, message] of cases) {
      const result = await runHaul(['serve', '--port', '0', ...args], env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it('says in one line that Redis cannot be reached, and where, and exits 1', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runHaul(['serve', '--port', '0', '--redis', `redis://127.0.0.1:${port}/3`], { HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `haul serve: Haul could not reach Redis at redis://127.0.0.1:${port}/3 (connect ECONNREFUSED 127.0.0.1:${port}). Start Redis there, or give the right address with --redis.`,
    );
  });
});

describe('haul add', () => {
  it('hands URLs to the running instance', async () => {
    files = await startTestServer({ '/a.txt': serveBytes(Buffer.from('a')), '/b.txt': serveBytes(Buffer.from('b')) });
    const dataDir = tempDir();
    const downloadDir = tempDir();
    const serve = await startServe({ HAUL_DATA_DIR: dataDir, HAUL_DOWNLOAD_DIR: downloadDir });
    const result = await runHaul(['add', files.url('/a.txt'), files.url('/b.txt')], { HAUL_DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Added .*a\.txt/u);
    expect(result.stdout).toMatch(/Added .*b\.txt/u);
    // Done means both files in place and no partial file left (a `.haul-part` may show up first);
    // a text file goes to the Documents category's folder.
    const documents = path.join(downloadDir, 'Documents');
    const finished = (): boolean => fs.existsSync(documents) && fs.readdirSync(documents).sort().join() === 'a.txt,b.txt';
    await waitUntil(finished, 5_000, 'both files in place');
    expect(fs.readdirSync(documents).sort()).toEqual(['a.txt', 'b.txt']);
    serve.child.kill('SIGTERM');
    await serve.done;
  });

  it('prints the path the file really gets: the server\'s name, and "name (1)" beside an existing file', async () => {
    files = await startTestServer({ '/get': serveBytes(Buffer.from('report'), { contentDisposition: 'attachment; filename="report.pdf"' }) });
    const dataDir = tempDir();
    const downloadDir = tempDir();
    fs.mkdirSync(path.join(downloadDir, 'Documents'));
    fs.writeFileSync(path.join(downloadDir, 'Documents', 'report.pdf'), 'older');
    const serve = await startServe({ HAUL_DATA_DIR: dataDir, HAUL_DOWNLOAD_DIR: downloadDir });
    const result = await runHaul(['add', files.url('/get')], { HAUL_DATA_DIR: dataDir });
    expect(result.stdout).toMatch(new RegExp(`^Added \\S+ → ${path.join(downloadDir, 'Documents', 'report (1).pdf').replace(/[()]/gu, '\\$&')} \\([0-9a-f-]+\\)\\n$`, 'u'));
    serve.child.kill('SIGTERM');
    await serve.done;
  });

  it('opens the browser with serve --open where a desktop session exists, and says so where none does', async () => {
    const { bin, record: calls } = fakeXdgOpen();
    const env = { HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: 'open-token-1234', PATH: `${bin}:${process.env['PATH'] ?? ''}` };
    const desktop = await startServe({ ...env, DISPLAY: ':0' }, ['--open', '--port', '0']);
    await waitUntil(() => fs.existsSync(calls), 5_000, 'the stand-in xdg-open being called');
    expect(fs.readFileSync(calls, 'utf8')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=open-token-1234\n$/u);
    desktop.child.kill('SIGTERM');
    await desktop.done;
    fs.rmSync(calls);
    const headless = await startServe({ ...env, DISPLAY: '', WAYLAND_DISPLAY: '' }, ['--open', '--port', '0']);
    let said = '';
    await new Promise<void>((resolve) => {
      headless.child.stderr?.on('data', (c: Buffer) => {
        said += c.toString();
        if (said.includes('\n')) resolve();
      });
    });
    headless.child.kill('SIGTERM');
    const ended = await headless.done;
    expect(ended.stderr).toContain('No desktop session here to open a browser in');
    expect(fs.existsSync(calls)).toBe(false);
  });

  it('says clearly when no instance is running, and rejects bad URLs through the server', async () => {
    const none = await runHaul(['add', 'http://example.com/x'], { HAUL_DATA_DIR: tempDir() });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No running Haul was found/u);
    const dataDir = tempDir();
    const serve = await startServe({ HAUL_DATA_DIR: dataDir, HAUL_DOWNLOAD_DIR: tempDir() });
    const bad = await runHaul(['add', 'ftp://example.com/x'], { HAUL_DATA_DIR: dataDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^haul add: "ftp:" URLs cannot be downloaded: Haul supports http:\/\/, https:\/\/ and magnet: links\./u);
    // Every bad link of a batch is named, and nothing is added.
    const batch = await runHaul(['add', 'http://127.0.0.1:9/ok', 'nope', 'ftp://example.com/y'], { HAUL_DATA_DIR: dataDir });
    expect(batch.code).toBe(2);
    expect(batch.stderr).toMatch(/2 links cannot be added \(nothing was\):\n {2}"nope" is not a valid URL.*\n {2}"ftp:" URLs cannot be downloaded/u);
    const listed = await request(serve.base, '/api/downloads', { token: JSON.parse(fs.readFileSync(path.join(dataDir, 'server.json'), 'utf8')).token });
    expect(listed.json().downloads).toEqual([]);
    serve.child.kill('SIGTERM');
    await serve.done;
  });

  it('reports each link by its URL: one that failed at once is said so, and the exit is 1', async () => {
    files = await startTestServer({ '/there.txt': serveBytes(Buffer.from('here')) });
    const dataDir = tempDir();
    const serve = await startServe({ HAUL_DATA_DIR: dataDir, HAUL_DOWNLOAD_DIR: tempDir() });
    const result = await runHaul(['add', files.url('/there.txt'), files.url('/missing.txt')], { HAUL_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^Added ${files.url('/there.txt').replace(/[.]/gu, '\\.')} → .*there\\.txt`, 'mu'));
    expect(result.stderr).toMatch(new RegExp(`^Failed ${files.url('/missing.txt').replace(/[.]/gu, '\\.')}: .*HTTP 404`, 'mu'));
    expect(result.stdout).not.toContain('missing.txt');
    serve.child.kill('SIGTERM');
    await serve.done;
  });
});

describe('haul with nothing asked', () => {
  it('prints the short usage and exits 2', async () => {
    const result = await runHaul([], { HAUL_DATA_DIR: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n').length).toBeLessThan(15);
    expect(result.stderr).toMatch(/^Haul, a careful download manager\./u);
    expect(result.stderr).toContain('Run "haul help" for every option.');
  });
});
