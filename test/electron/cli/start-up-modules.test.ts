// What a plain `haul get` loads: only what a file download needs. The archive readers, the
// torrent client, the playlist parsers, the media toolkit, the WebSocket server and Redis's
// client are each loaded when their feature is used; a static import of one of them makes every
// short command pay for it (tar and yauzl once did, with zlib; m3u8-parser and mpd-parser with
// its XML reader too). Run from the sources: their import graph is what the bundle splits by, and
// inside the bundle a package is no longer a file of its own to see.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO } from '../../helpers/run-cli.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let server: TestServer;
afterEach(async () => server?.close());

// bencode is not among them: taking a link reads a .torrent at once (adding is synchronous), and it is small.
const LATER = ['tar', 'yauzl', 'webtorrent', 'parse-torrent', 'mediabunny', 'm3u8-parser', 'mpd-parser', '@xmldom/xmldom', 'ws', 'ioredis', 'undici'];

describe('haul get start-up', () => {
  it('loads none of the packages or Node modules that only other kinds of download use', async () => {
    server = await startTestServer({ '/f.bin': serveBytes(testBytes(100_000, 7)) });
    const record = path.join(tempDir(), 'modules.json');
    const dir = tempDir();
    await promisify(execFile)(
      process.execPath,
      [`--import=${path.join(REPO, 'test', 'helpers', 'record-modules.mjs')}`, path.join(REPO, 'electron', 'cli', 'main.ts'), 'get', server.url('/f.bin'), '-d', dir, '-q'],
      {
        env: { ...process.env, HAUL_DATA_DIR: tempDir(), HAUL_TEST_MODULES_FILE: record },
      },
    );
    expect(fs.statSync(path.join(dir, 'f.bin')).size).toBe(100_000);
    const loaded = JSON.parse(fs.readFileSync(record, 'utf8')) as { urls: string[]; builtins: string[] };
    const packages = new Set(loaded.urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//u.exec(url)?.[1] ?? []));
    expect(LATER.filter((name) => packages.has(name))).toEqual([]);
    expect(loaded.builtins.filter((b) => /^NativeModule (zlib|tls|http2|dns)$/u.test(b))).toEqual([]);
  });
});
