import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { partName } from '../../../electron/engine/records/record.ts';
import { readDownloaded, startEngine } from '../../helpers/engine-harness.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { waitUntil } from '../../helpers/wait.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('names of the full 255 bytes', () => {
  it('are kept whole: the partial file’s name fits beside them and is unique to each', async () => {
    // Two names of exactly 255 bytes (multi-byte characters included) that differ only at the end.
    const stem = `${'文件'.repeat(40)}${'x'.repeat(255 - 240 - 6)}`;
    const one = `${stem}-1.mkv`;
    const two = `${stem}-2.mkv`;
    expect(Buffer.byteLength(one)).toBe(255);
    const a = testBytes(2 * 1024 * 1024, 61);
    const b = testBytes(2 * 1024 * 1024, 62);
    const disposition = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
    server = await startTestServer({
      '/one': serveBytes(a, { contentDisposition: disposition(one), rate: 2 * 1024 * 1024 }),
      '/two': serveBytes(b, { contentDisposition: disposition(two), rate: 2 * 1024 * 1024 }),
    });
    const h = startEngine();
    const [d1, d2] = h.engine.add({ urls: [server.url('/one'), server.url('/two')] });
    // While they run, each has its own partial file, within the limit.
    await waitUntil(() => fs.readdirSync(h.downloadDir).filter((n) => n.endsWith('.haul-part')).length === 2, 10_000, 'both partial files');
    const parts = fs.readdirSync(h.downloadDir).filter((n) => n.endsWith('.haul-part'));
    expect(parts.sort()).toEqual([partName(one), partName(two)].sort());
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(255);
    const done1 = await h.waitFor(d1!.id, 'completed');
    const done2 = await h.waitFor(d2!.id, 'completed');
    expect(done1.filename).toBe(one);
    expect(done2.filename).toBe(two);
    expect(sha256(readDownloaded(done1))).toBe(sha256(a));
    expect(sha256(readDownloaded(done2))).toBe(sha256(b));
    expect(fs.readdirSync(h.downloadDir).sort()).toEqual([one, two].sort());
  });
});
