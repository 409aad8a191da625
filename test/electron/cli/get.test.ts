import fs from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runHaul, spawnHaul } from '../../helpers/run-cli.ts';
import { firstThen, serveBytes, sha256, startTestServer, status, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { makeTestCa } from '../../helpers/test-ca.ts';
import { startMicrosocks } from '../../helpers/proxies.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitForFile } from '../../helpers/wait.ts';

let server: TestServer;
afterEach(async () => server?.close());

const KiB = 1024;

describe('haul get', () => {
  it('downloads a file, prints its path and exits 0', async () => {
    const data = testBytes(300 * KiB, 31);
    server = await startTestServer({ '/dl/name.bin': serveBytes(data, { contentDisposition: `attachment; filename*=UTF-8''%E6%96%87%E4%BB%B6.bin` }) });
    const dir = tempDir();
    const result = await runHaul(['get', server.url('/dl/name.bin'), '-d', dir], { HAUL_DATA_DIR: tempDir() });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(path.join(dir, '文件.bin'));
    expect(sha256(fs.readFileSync(path.join(dir, '文件.bin')))).toBe(sha256(data));
    expect(result.stderr).toMatch(/100%/u);
  });

  it('saves under -o and sends -H headers', async () => {
    server = await startTestServer({ '/h': serveBytes(Buffer.from('hello')) });
    const dir = tempDir();
    const result = await runHaul(['get', server.url('/h'), '-o', path.join(dir, 'out.txt'), '-H', 'Referer: https://r.test/', '-q'], { HAUL_DATA_DIR: tempDir() });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe('hello');
    expect(server.requests[0]?.headers.referer).toBe('https://r.test/');
  });

  it.each([
    [['get', 'ftp://example.com/x'], 2, /http:\/\/, https:\/\/ and magnet: links/u],
    [['get'], 2, /^haul get: give the URL to download\./u],
    [['get', 'http://127.0.0.1:1/x', '-x', '0'], 2, /-x must be/u],
    [['get', 'http://127.0.0.1:1/x', '--limit', 'fast'], 2, /--limit "fast"/u],
    [['fetch'], 2, /not a command/u],
  ])('rejects %j with exit %i and one clear sentence', async (args, code, message) => {
    const dir = tempDir();
    const full = args[0] === 'get' ? [...args, '-d', dir] : args;
    const result = await runHaul(full, { HAUL_DATA_DIR: tempDir() });
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('exits non-zero with the HTTP status when the server says 404', async () => {
    server = await startTestServer({});
    const dir = tempDir();
    const result = await runHaul(['get', server.url('/gone.zip'), '-d', dir], { HAUL_DATA_DIR: tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/HTTP 404/u);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('resumes with a Range request after kill -9, producing an exact file', async () => {
    const data = testBytes(1024 * KiB, 32);
    server = await startTestServer({ '/big.bin': serveBytes(data, { etag: '"big"', rate: 256 * KiB }) });
    const dir = tempDir();
    const env = { HAUL_DATA_DIR: tempDir() };
    const first = spawnHaul(['get', server.url('/big.bin'), '-d', dir], env);
    await waitForFile(path.join(dir, 'big.bin.haul-part'), 400 * KiB);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.existsSync(path.join(dir, 'big.bin'))).toBe(false);

    server.route('/big.bin', serveBytes(data, { etag: '"big"' }));
    const second = await runHaul(['get', server.url('/big.bin'), '-d', dir], env);
    expect(second.code).toBe(0);
    expect(sha256(fs.readFileSync(path.join(dir, 'big.bin')))).toBe(sha256(data));
    expect(fs.readdirSync(dir)).toEqual(['big.bin']);
    const resumed = server.requestsTo('/big.bin').at(-1);
    expect(resumed?.headers.range).toMatch(/^bytes=[1-9]\d*-$/u);
    expect(resumed?.headers['if-range']).toBe('"big"');
  });

  it('resumes after Ctrl-C (SIGINT) and says how', async () => {
    const data = testBytes(600 * KiB, 33);
    server = await startTestServer({ '/int.bin': serveBytes(data, { rate: 200 * KiB }) });
    const dir = tempDir();
    const env = { HAUL_DATA_DIR: tempDir() };
    const first = spawnHaul(['get', server.url('/int.bin'), '-d', dir], env);
    await waitForFile(path.join(dir, 'int.bin.haul-part'), 200 * KiB);
    first.child.kill('SIGINT');
    const interrupted = await first.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/same command again to resume/u);
    server.route('/int.bin', serveBytes(data));
    const second = await runHaul(['get', server.url('/int.bin'), '-d', dir], env);
    expect(second.code).toBe(0);
    expect(sha256(fs.readFileSync(path.join(dir, 'int.bin')))).toBe(sha256(data));
    expect(server.requestsTo('/int.bin').at(-1)?.headers.range).toMatch(/^bytes=[1-9]\d*-$/u);
  });

  it('holds --limit on a chunked body of many chunks, and stops at once on SIGINT during it', async () => {
    const data = testBytes(24 * 1024 * KiB, 35);
    server = await startTestServer({ '/cgi': serveBytes(data, { chunked: true, pieces: 8 * KiB }) });
    const dir = tempDir();
    const run = spawnHaul(['get', server.url('/cgi'), '-d', dir, '-o', 'cgi.bin', '--limit', '1M'], { HAUL_DATA_DIR: tempDir() });
    const started = Date.now();
    await waitForFile(path.join(dir, 'cgi.bin.haul-part'), 3 * 1024 * KiB);
    // An upper bound on the rate, not a timing target: at 1 MiB/s, 3 MiB take nearly 3 s (less the burst and one read).
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_400);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/same command again to resume/u);
    expect(fs.statSync(path.join(dir, 'cgi.bin.haul-part')).size).toBeLessThan(data.length);
  });

  it('trusts a CA given with --ca-cert, or NODE_EXTRA_CA_CERTS, or none with --insecure; without them fails at once saying so', async () => {
    const ca = makeTestCa();
    const data = testBytes(100 * KiB, 34);
    server = await startTestServer({ '/s.bin': serveBytes(data) }, { tls: { key: ca.key, cert: ca.cert } });
    const untrusted = await runHaul(['get', server.url('/s.bin'), '-d', tempDir()], { HAUL_DATA_DIR: tempDir() });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/not trusted.*--ca-cert FILE/su);
    for (const [args, env] of [
      [['--ca-cert', ca.caFile], {}],
      [[], { NODE_EXTRA_CA_CERTS: ca.caFile }],
      [['--insecure'], {}],
    ] as const) {
      const dir = tempDir();
      const result = await runHaul(['get', server.url('/s.bin'), '-d', dir, '-q', ...args], { HAUL_DATA_DIR: tempDir(), ...env });
      expect(result.code, result.stderr).toBe(0);
      expect(sha256(fs.readFileSync(path.join(dir, 's.bin')))).toBe(sha256(data));
    }
    const missing = await runHaul(['get', server.url('/s.bin'), '--ca-cert', '/nonexistent/ca.pem'], { HAUL_DATA_DIR: tempDir() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--ca-cert: cannot read \/nonexistent\/ca.pem/u);
  });

  it('continues the same -o FILE from a refreshed URL, when the server proves it is the same file', async () => {
    const data = testBytes(1024 * KiB, 35);
    server = await startTestServer({ '/old': serveBytes(data, { etag: '"obj"', rate: 256 * KiB }) });
    const dir = tempDir();
    const out = path.join(dir, 'object.bin');
    const env = { HAUL_DATA_DIR: tempDir() };
    const first = spawnHaul(['get', server.url('/old'), '-o', out], env);
    await waitForFile(`${out}.haul-part`, 300 * KiB);
    first.child.kill('SIGKILL');
    await first.done;
    server.route('/old', status(403));
    server.route('/new', serveBytes(data, { etag: '"obj"' }));
    const second = await runHaul(['get', server.url('/new'), '-o', out, '-q'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(sha256(fs.readFileSync(out))).toBe(sha256(data));
    expect(fs.readdirSync(dir)).toEqual(['object.bin']);
    const fromNew = server.requestsTo('/new');
    expect(fromNew[0]?.headers.range).toMatch(/^bytes=[1-9]\d*-/u);
    expect(fromNew[0]?.headers['if-range']).toBe('"obj"');
  });

  it('says where the file is when run again after it finished, instead of fetching it twice', async () => {
    server = await startTestServer({ '/once.bin': serveBytes(testBytes(50 * KiB, 36)) });
    const dir = tempDir();
    const env = { HAUL_DATA_DIR: tempDir() };
    expect((await runHaul(['get', server.url('/once.bin'), '-d', dir], env)).code).toBe(0);
    const again = await runHaul(['get', server.url('/once.bin'), '-d', dir], env);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`Already downloaded: ${path.join(dir, 'once.bin')}\n`);
    expect(again.stdout.trim()).toBe(path.join(dir, 'once.bin'));
    expect(server.requestsTo('/once.bin')).toHaveLength(1);
    expect(fs.readdirSync(dir)).toEqual(['once.bin']);
    // Deleted since: downloaded again, under the same name.
    fs.rmSync(path.join(dir, 'once.bin'));
    expect((await runHaul(['get', server.url('/once.bin'), '-d', dir, '-q'], env)).code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['once.bin']);
  });

  it('says where it resumes, and counts only this run in its summary', async () => {
    const data = testBytes(1024 * KiB, 37);
    server = await startTestServer({ '/half.bin': serveBytes(data, { etag: '"h"', rate: 256 * KiB }) });
    const dir = tempDir();
    const env = { HAUL_DATA_DIR: tempDir() };
    const first = spawnHaul(['get', server.url('/half.bin'), '-d', dir], env);
    await waitForFile(path.join(dir, 'half.bin.haul-part'), 400 * KiB);
    first.child.kill('SIGINT');
    await first.done;
    server.route('/half.bin', serveBytes(data, { etag: '"h"' }));
    const second = await runHaul(['get', server.url('/half.bin'), '-d', dir], env);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^Resuming at \d+% \(\d+(\.\d)? KiB\)\.$/mu);
    expect(second.stderr).toMatch(/Saved 1\.0 MiB \(\d+(\.\d)? KiB this run\) in /u);
  });
});

describe('haul help and versions', () => {
  it.each(['get', 'serve', 'add'])("haul %s --help prints that command's usage and exits 0", async (command) => {
    const result = await runHaul([command, '--help'], { HAUL_DATA_DIR: tempDir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: haul ${command}`, 'u'));
    expect(result.stderr).toBe('');
  });

  it('haul help get prints only get; haul --version prints the version', async () => {
    const help = await runHaul(['help', 'get'], { HAUL_DATA_DIR: tempDir() });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: haul get/u);
    expect(help.stdout).not.toMatch(/haul serve|haul add <url>/u);
    const version = await runHaul(['--version'], { HAUL_DATA_DIR: tempDir() });
    expect(version).toMatchObject({ code: 0, stdout: `haul ${JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version}\n` });
    expect((await runHaul(['help', 'nope'], { HAUL_DATA_DIR: tempDir() })).code).toBe(2);
  });
});

describe('haul get tells what really happens', () => {
  it('says the partial file is gone rather than claiming a resume, and counts this run’s bytes', async () => {
    const data = testBytes(900 * KiB, 41);
    server = await startTestServer({ '/gone.bin': serveBytes(data, { rate: 200 * KiB, etag: '"g"' }) });
    const dir = tempDir();
    const env = { HAUL_DATA_DIR: tempDir() };
    const first = spawnHaul(['get', server.url('/gone.bin'), '-d', dir], env);
    await waitForFile(path.join(dir, 'gone.bin.haul-part'), 300 * KiB);
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
    fs.rmSync(path.join(dir, 'gone.bin.haul-part'));
    server.route('/gone.bin', serveBytes(data, { etag: '"g"' }));
    const second = await runHaul(['get', server.url('/gone.bin'), '-d', dir], env);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('The partial file of an earlier run is gone: downloading again from the start.');
    expect(second.stderr).not.toMatch(/Resuming|this run/u);
    expect(second.stderr).toMatch(/^Saved 900 KiB in /mu);
    expect(sha256(fs.readFileSync(path.join(dir, 'gone.bin')))).toBe(sha256(data));
  });

  it('takes this run’s --limit over an earlier run’s, and says where it saved a name already taken', async () => {
    const data = testBytes(600 * KiB, 42);
    server = await startTestServer({ '/lim.bin': serveBytes(data, { etag: '"l"' }) });
    const dir = tempDir();
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dir, 'out.bin'), 'already here');
    const first = spawnHaul(['get', server.url('/lim.bin'), '-o', path.join(dir, 'out.bin'), '--limit', '100K'], { HAUL_DATA_DIR: dataDir });
    await waitForFile(path.join(dir, 'out (1).bin.haul-part'), 100 * KiB);
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
    const second = await runHaul(['get', server.url('/lim.bin'), '-o', path.join(dir, 'out.bin')], { HAUL_DATA_DIR: dataDir });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('out.bin already exists; saved as out (1).bin beside it.');
    expect(second.stdout.trim()).toBe(path.join(dir, 'out (1).bin'));
    expect(fs.readFileSync(path.join(dir, 'out.bin'), 'utf8')).toBe('already here');
    // What the second run ran with, as its own store keeps it: no limit.
    const store = fs.readdirSync(path.join(dataDir, 'get')).find((n) => n.endsWith('.sqlite'))!;
    const db = new DatabaseSync(path.join(dataDir, 'get', store), { readOnly: true });
    const rec = JSON.parse(String((db.prepare('SELECT data FROM downloads').get() as { data: string }).data));
    db.close();
    expect(rec.speedLimit).toBe(0);
  });

  it('shows a retry with its reason, its count and when the next try is, and ends on the average speed', async () => {
    const data = testBytes(200 * KiB, 43);
    server = await startTestServer({ '/busy.bin': firstThen(status(503, { 'retry-after': '1' }), serveBytes(data)) });
    const result = await runHaul(['get', server.url('/busy.bin'), '-d', tempDir()], { HAUL_DATA_DIR: tempDir() });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^busy\.bin: waiting 1s to retry \(1 of 5\): 127\.0\.0\.1:\d+ answered HTTP 503/mu);
    expect(result.stderr).toMatch(/^busy\.bin 100% 200 KiB in \d+s at [\d.]+ [KMG]?i?B\/s on average$/mu);
    expect(result.stderr).not.toMatch(/ 0 B\/s/u);
  });
});

describe('haul get -q through a SOCKS5 proxy', () => {
  it('prints nothing but the path: no warning about SOCKS5 being experimental', async () => {
    const data = testBytes(64 * KiB, 44);
    server = await startTestServer({ '/s.bin': serveBytes(data) });
    const socks = await startMicrosocks();
    const dir = tempDir();
    const result = await runHaul(['get', server.url('/s.bin'), '-d', dir, '-q'], { HAUL_DATA_DIR: tempDir(), ALL_PROXY: `socks5://127.0.0.1:${socks.port}` });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${path.join(dir, 's.bin')}\n`);
    expect(socks.connections()).toBeGreaterThan(0);
  });
});
