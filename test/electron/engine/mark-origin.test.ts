// A finished file carries where it came from, as browsers mark theirs; read back with getfattr.
import { execFileSync, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { markOrigin } from '../../../electron/engine/disk/mark-origin.ts';
import type { RunProgram } from '../../../electron/engine/run-program.ts';
import { startEngine } from '../../helpers/engine-harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const attribute = (file: string, name: string): string => execFileSync('getfattr', ['--only-values', '-n', name, file], { encoding: 'utf8' });

const realRun: RunProgram = (program, args) => new Promise((resolve, reject) => execFile(program, [...args], (error) => (error === null ? resolve() : reject(error))));
const missing = (program: string): Error => Object.assign(new Error(`spawn ${program} ENOENT`), { code: 'ENOENT' });

describe('marking where a finished file came from', () => {
  it('writes the final link and the referrer, without credentials, and says so in the log', async () => {
    server = await startTestServer({ '/f.bin': serveBytes(testBytes(64 * 1024, 31)) });
    const h = startEngine();
    const link = server.url('/f.bin').replace('http://', 'http://ann:secret@');
    const [d] = h.engine.add({ url: link, headers: { Referer: 'https://shop.example/page?item=1' } });
    await h.waitFor(d?.id ?? '', 'completed');
    const file = path.join(h.downloadDir, 'f.bin');
    expect(attribute(file, 'user.xdg.origin.url')).toBe(server.url('/f.bin'));
    expect(attribute(file, 'user.xdg.referrer.url')).toBe('https://shop.example/page?item=1');
    expect(h.engine.details(d?.id ?? '').log.map((e) => `${e.kind} ${e.detail ?? ''}`)).toContain('origin-marked setfattr');
  });

  it('falls back to Python when setfattr is not installed, and leaves a name like $(x) as one literal value', async () => {
    const file = path.join(tempDir('haul-mark-'), '$(touch pwned).bin');
    fs.writeFileSync(file, 'x');
    const run: RunProgram = (program, args) => (program === 'setfattr' ? Promise.reject(missing(program)) : realRun(program, args));
    expect(await markOrigin(file, { url: 'https://example.com/a;$(id)' }, 'linux', run)).toEqual({ kind: 'marked', how: 'python3' });
    expect(attribute(file, 'user.xdg.origin.url')).toBe('https://example.com/a;$(id)');
    expect(fs.existsSync(path.join(path.dirname(file), 'pwned'))).toBe(false);
  });

  it('says why when nothing can mark the file, and never fails the download for it', async () => {
    const file = path.join(tempDir('haul-mark-'), 'a.bin');
    fs.writeFileSync(file, 'x');
    expect(await markOrigin(file, { url: 'https://example.com/a' }, 'linux', (program) => Promise.reject(missing(program)))).toEqual({
      kind: 'unmarked',
      why: 'neither setfattr (the attr package) nor python3 is installed',
    });
  });

  it('writes the Mark of the Web on Windows and the quarantine attribute on macOS', async () => {
    const file = path.join(tempDir('haul-mark-'), 'setup.exe');
    fs.writeFileSync(file, 'x');
    // On Linux the stream name is an ordinary file beside it: what Windows would put in the stream is read back from there.
    expect(await markOrigin(file, { url: 'https://u:p@example.com/setup.exe', referrer: 'https://example.com/' }, 'win32')).toEqual({ kind: 'marked', how: 'Zone.Identifier' });
    expect(fs.readFileSync(`${file}:Zone.Identifier`, 'utf8')).toBe('[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://example.com/\r\nHostUrl=https://example.com/setup.exe\r\n');
    const calls: string[][] = [];
    const recording: RunProgram = async (program, args) => void calls.push([program, ...args]);
    expect(await markOrigin(file, { url: 'https://example.com/a' }, 'darwin', recording, Date.UTC(2026, 11, 7))).toEqual({ kind: 'marked', how: 'com.apple.quarantine' });
    expect(calls).toEqual([['xattr', '-w', 'com.apple.quarantine', `0081;${Math.floor(Date.UTC(2026, 11, 7) / 1000).toString(16)};Haul;`, file]]);
  });
});
