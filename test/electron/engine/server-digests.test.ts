// A digest the server announces (Repr-Digest, Digest, Content-MD5) is checked unasked: a wrong
// one keeps the bytes aside, never in place. Against a real server that sends each.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../../electron/engine/http/digest-headers.ts';
import { startEngine } from '../../helpers/engine-harness.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const MiB = 1024 * 1024;
const b64 = (algorithm: string, data: Buffer): string => createHash(algorithm).update(data).digest('base64');

describe('digestOf (the headers as servers write them)', () => {
  const data = Buffer.from('hello');
  it('reads Repr-Digest byte sequences, Digest base64 values and Content-MD5, the strongest first', () => {
    expect(digestOf({ 'repr-digest': `sha-256=:${b64('sha256', data)}:, sha-512=:${b64('sha512', data)}:` }, 206)).toEqual({
      algorithm: 'sha512',
      expected: createHash('sha512').update(data).digest('hex'),
      from: 'Repr-Digest',
    });
    expect(digestOf({ digest: `MD5=${b64('md5', data)},SHA-256=${b64('sha256', data)}` }, 200)).toMatchObject({ algorithm: 'sha256', from: 'Digest' });
    expect(digestOf({ 'content-md5': b64('md5', data) }, 200)).toMatchObject({ algorithm: 'md5', from: 'Content-MD5' });
  });

  it('ignores what it cannot check: Content-MD5 of a part, unknown algorithms, values of the wrong length', () => {
    expect(digestOf({ 'content-md5': b64('md5', data) }, 206)).toBeUndefined();
    expect(digestOf({ 'repr-digest': `crc32c=:AAAAAA==:` }, 200)).toBeUndefined();
    expect(digestOf({ 'repr-digest': 'sha-256=:AAAA:' }, 200)).toBeUndefined();
    expect(digestOf({ digest: 'SHA-256=not base64 at all!' }, 200)).toBeUndefined();
  });
});

describe('a download whose server announces a digest', () => {
  it('is verified against a right Repr-Digest, segmented, and says which header it checked', async () => {
    const data = testBytes(3 * MiB, 21);
    server = await startTestServer({ '/f.bin': serveBytes(data, { extraHeaders: { 'repr-digest': `sha-256=:${b64('sha256', data)}:` } }) });
    const h = startEngine({ segments: { minSegmentedSize: MiB, initialConnections: 3 } });
    const [d] = h.engine.add({ url: server.url('/f.bin'), connections: 3 });
    const done = await h.waitFor(d?.id ?? '', 'completed');
    expect(done.checksum).toEqual({ algorithm: 'sha256', expected: sha256(data), verified: true, from: 'Repr-Digest' });
    expect(sha256(fs.readFileSync(path.join(h.downloadDir, 'f.bin')))).toBe(sha256(data));
  });

  it('keeps the bytes aside, never in place, when they do not match the Digest the server sent', async () => {
    const data = testBytes(MiB, 22);
    const other = testBytes(MiB, 23);
    server = await startTestServer({ '/f.bin': serveBytes(data, { extraHeaders: { digest: `SHA-256=${b64('sha256', other)}` } }) });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/f.bin') });
    const failed = await h.waitFor(d?.id ?? '', 'failed');
    expect(failed.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(failed.error?.message).toMatch(/^The server said \(Digest\) the file's sha256 is [0-9a-f]{64}, but the bytes received hash to [0-9a-f]{64}: they were kept aside as f\.bin\.haul-mismatch/u);
    expect(fs.existsSync(path.join(h.downloadDir, 'f.bin'))).toBe(false);
    expect(sha256(fs.readFileSync(path.join(h.downloadDir, 'f.bin.haul-mismatch')))).toBe(sha256(data));
  });

  it('checks Content-MD5 on a whole answer; the user’s own checksum wins over the server’s word', async () => {
    const data = testBytes(MiB, 24);
    server = await startTestServer({
      '/wrong-md5.bin': serveBytes(data, { ignoreRange: true, extraHeaders: { 'content-md5': b64('md5', Buffer.from('something else')) } }),
      '/user.bin': serveBytes(data, { extraHeaders: { 'repr-digest': `sha-256=:${b64('sha256', Buffer.from('not it'))}:` } }),
    });
    const h = startEngine();
    const [md5] = h.engine.add({ url: server.url('/wrong-md5.bin') });
    expect((await h.waitFor(md5?.id ?? '', 'failed')).error?.message).toMatch(/\(Content-MD5\) the file's md5/u);
    const [mine] = h.engine.add({ url: server.url('/user.bin'), checksum: `sha256=${sha256(data)}` });
    const done = await h.waitFor(mine?.id ?? '', 'completed');
    expect(done.checksum).toEqual({ algorithm: 'sha256', expected: sha256(data), verified: true });
  });
});
