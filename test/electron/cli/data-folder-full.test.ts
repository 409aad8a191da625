import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../../helpers/haul-harness.ts';
import { startServe } from '../../helpers/serve-process.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { canMount, fillDisk, tinyDisk } from '../../helpers/tiny-disk.ts';
import { eventually } from '../../helpers/wait.ts';

let files: TestServer | undefined;
afterEach(async () => {
  await files?.close();
  files = undefined;
});

const TOKEN = 'full-disk-token';
const json = { 'content-type': 'application/json' };

describe.runIf(canMount)('a data folder that fills up while Haul runs', () => {
  it('stops the download with a FILE_ERROR naming the folder, keeps serving, refuses adds, and resumes exact once space returns', async () => {
    const data = testBytes(6 * 1024 * 1024, 77);
    files = await startTestServer({ '/big.bin': serveBytes(data, { etag: '"big"', rate: 512 * 1024 }), '/next.bin': serveBytes(testBytes(10)) });
    const dataDir = tinyDisk(1024)!;
    const run = await startServe({ HAUL_DATA_DIR: dataDir, HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN }, ['--port', '0']);
    let exited = false;
    run.child.once('exit', () => (exited = true));
    const base = run.base;
    const added = await request(base, '/api/downloads', { method: 'POST', token: TOKEN, headers: json, body: JSON.stringify({ url: files.url('/big.bin'), connections: 1 }) });
    const id: string = added.json().downloads[0].id;
    const get = async () => (await request(base, `/api/downloads/${id}`, { token: TOKEN })).json();
    await eventually(async () => (await get()).received > 256 * 1024, 20_000, 'some bytes durable');

    fillDisk(dataDir);
    await eventually(async () => exited || (await get()).status === 'failed', 20_000, 'the download stopping on the full data folder');
    if (exited) expect.fail(`haul serve died: ${(await run.done).stderr}`);
    const failed = await get();
    expect(failed.error.code).toBe('FILE_ERROR');
    expect(failed.error.message).toContain(dataDir);
    expect(failed.error.message).toMatch(/full/u);

    // The server is still up and answers, and an add is refused with the same reason.
    expect(exited).toBe(false);
    expect((await request(base, '/api/downloads', { token: TOKEN })).status).toBe(200);
    const refused = await request(base, '/api/downloads', { method: 'POST', token: TOKEN, headers: json, body: JSON.stringify({ url: files.url('/next.bin') }) });
    expect(refused.status).toBe(500);
    expect(refused.json().error.code).toBe('FILE_ERROR');
    expect(refused.json().error.message).toContain(dataDir);

    fs.rmSync(path.join(dataDir, 'filler'));
    files.route('/big.bin', serveBytes(data, { etag: '"big"' }));
    expect((await request(base, `/api/downloads/${id}/resume`, { method: 'POST', token: TOKEN })).status).toBe(200);
    await eventually(async () => (await get()).status === 'completed', 30_000, 'the resumed download completing');
    const done = await get();
    expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    expect(exited).toBe(false);
    run.child.kill('SIGTERM');
    expect((await run.done).code).toBe(0);
  });
});
