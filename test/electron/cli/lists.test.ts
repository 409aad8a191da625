// haul import / haul export against a real haul serve: aria2 input files, plain links and
// Haul's own JSON, with their options and states.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Download } from '../../../shared/api.ts';
import { request } from '../../helpers/haul-harness.ts';
import { runHaul } from '../../helpers/run-cli.ts';
import { startServe } from '../../helpers/serve-process.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { waitUntil } from '../../helpers/wait.ts';

let files: TestServer | undefined;
afterEach(async () => {
  await files?.close();
  files = undefined;
});

async function serve() {
  const dataDir = tempDir();
  const downloadDir = tempDir();
  const s = await startServe({ HAUL_DATA_DIR: dataDir, HAUL_DOWNLOAD_DIR: downloadDir, HAUL_TOKEN: 'lists-token' });
  const list = async (): Promise<Download[]> => (await request(s.base, '/api/downloads', { token: 'lists-token' })).json().downloads;
  return { ...s, dataDir, downloadDir, list };
}

describe('haul import and haul export', () => {
  it('imports an aria2 input file with its options, naming each line it could not take', async () => {
    files = await startTestServer({ '/a.bin': serveBytes(testBytes(2048, 81)), '/b.bin': serveBytes(testBytes(2048, 82)) });
    const haul = await serve();
    const list = path.join(tempDir(), 'input.txt');
    fs.writeFileSync(
      list,
      [
        '# from aria2',
        files.url('/a.bin'),
        '  dir=sub',
        '  out=renamed.bin',
        '  header=X-From: aria2',
        '  pause=true',
        `  checksum=sha-512=${crypto.createHash('sha512').update(testBytes(2048, 81)).digest('hex')}`,
        'ftp://old.example/file',
        files.url('/b.bin'),
        '  on-download-complete=/bin/sh',
        '',
      ].join('\n'),
    );
    const result = await runHaul(['import', list], { HAUL_DATA_DIR: haul.dataDir });
    expect(result.stdout).toBe('Imported 1 download.\n');
    expect(result.stderr).toMatch(/^Not imported \(line 8\): ftp:\/\/old\.example\/file: .*"ftp:" URLs cannot be downloaded/mu);
    expect(result.stderr).toMatch(/^Not imported \(line 9\): \S+\/b\.bin: The option "on-download-complete" is refused/mu);
    expect(result.code).toBe(1);
    const [d] = await haul.list();
    expect(d).toMatchObject({ status: 'paused', filename: 'renamed.bin', dir: path.join(haul.downloadDir, 'sub'), checksum: { algorithm: 'sha512' } });
  });

  it('exports Haul’s JSON and imports it elsewhere, states kept and finished downloads left out', async () => {
    files = await startTestServer({ '/done.bin': serveBytes(testBytes(2048, 83)), '/later.bin': serveBytes(testBytes(2048, 84)) });
    const first = await serve();
    const json = { 'content-type': 'application/json' };
    await request(first.base, '/api/downloads', { method: 'POST', token: 'lists-token', headers: json, body: JSON.stringify({ url: files.url('/done.bin') }) });
    await request(first.base, '/api/downloads', {
      method: 'POST',
      token: 'lists-token',
      headers: json,
      body: JSON.stringify({ url: files.url('/later.bin'), paused: true, connections: 3, speedLimit: 65536 }),
    });
    await waitUntil(() => fs.existsSync(path.join(first.downloadDir, 'done.bin')), 10_000, 'the first one finished');
    const exported = await runHaul(['export'], { HAUL_DATA_DIR: first.dataDir });
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({
      haul: 1,
      downloads: [
        { url: files.url('/done.bin'), status: 'completed' },
        { url: files.url('/later.bin'), status: 'paused', maxConnections: 3, speedLimit: 65536 },
      ],
    });
    const aria2 = await runHaul(['export', '--format', 'aria2'], { HAUL_DATA_DIR: first.dataDir });
    expect(aria2.stdout).toContain(`${files.url('/later.bin')}\n dir=${first.downloadDir}\n out=later.bin\n split=3\n max-connection-per-server=3\n max-download-limit=65536\n pause=true\n`);
    expect((await runHaul(['export', '--format', 'text'], { HAUL_DATA_DIR: first.dataDir })).stdout).toBe(`${files.url('/done.bin')}\n${files.url('/later.bin')}\n`);
    const file = path.join(tempDir(), 'haul.json');
    fs.writeFileSync(file, exported.stdout);
    const second = await serve();
    const imported = await runHaul(['import', file], { HAUL_DATA_DIR: second.dataDir });
    expect(imported.stdout).toBe('Imported 1 download; left out 1 already finished.\n');
    // Its folder is the first machine's, outside this one's: it goes to this one's download folder.
    expect(await second.list()).toEqual([expect.objectContaining({ url: files.url('/later.bin'), status: 'paused', maxConnections: 3, speedLimit: 65536, dir: second.downloadDir })]);
  });
});
