import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pauseOnceWriting, startEngine } from '../../../helpers/engine-harness.ts';
import { countingConcurrency, serveBytes, startTestServer, testBytes, type TestServer } from '../../../helpers/test-server.ts';
import { canMount, fillDisk, tinyDisk } from '../../../helpers/tiny-disk.ts';
import { waitUntil } from '../../../helpers/wait.ts';

let server: TestServer;
afterEach(async () => server?.close());

const MiB = 1024 * 1024;

describe('PartFile checkpoints', () => {
  it('records durable progress as the bytes are written, without waiting for the timer', async () => {
    const data = testBytes(80 * MiB, 91);
    const sent = 70 * MiB;
    // Sends 70 of 80 MiB at full speed, then goes silent with the connection open.
    server = await startTestServer({
      '/stall.bin': (_req, res) => {
        res.writeHead(200, { 'content-length': String(data.length), 'content-type': 'application/octet-stream' });
        res.write(data.subarray(0, sent));
      },
    });
    const h = startEngine({ checkpointIntervalMs: 3_600_000 });
    const [d] = h.engine.add({ url: server.url('/stall.bin'), connections: 1 });
    const durable = (): number => h.store.loadDownloads().find((r) => r.id === d!.id)?.received ?? 0;
    // A checkpoint starts each time a quarter of what the file holds (8 MiB at least) is written
    // since the last, so all but less than a quarter of the 70 MiB is durable without the timer.
    const least = sent - sent / 4;
    await waitUntil(() => durable() >= least, 10_000, 'the early checkpoints recording all but a quarter as durable').catch((error: Error) => {
      throw new Error(`${error.message}: ${durable()} bytes durable`);
    });
    const received = durable();
    expect(received).toBeGreaterThanOrEqual(least);
    expect(received).toBeLessThanOrEqual(sent);
    // What the store calls durable is on disk, byte for byte.
    const rec = h.store.loadDownloads().find((r) => r.id === d!.id)!;
    const part = fs.readFileSync(path.join(rec.dir, `${rec.filename}.haul-part`));
    expect(part.subarray(0, received).equals(data.subarray(0, received))).toBe(true);
    await h.engine.remove(d!.id, { deleteFile: true });
  });
});

describe('flushing', () => {
  it('fails the download when the disk refuses to flush, instead of finishing it', async () => {
    const data = testBytes(300 * 1024, 92);
    const slow = countingConcurrency(serveBytes(data, { rate: 30 * 1024 }));
    server = await startTestServer({ '/f.bin': slow.handler });
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/f.bin'), filename: 'f.bin' });
    const part = await pauseOnceWriting(h, d!.id, slow.current);
    // The part file now lives on /dev/null: writes succeed, fdatasync fails (EINVAL), as on
    // a disk that cannot guarantee what it wrote.
    fs.rmSync(part);
    fs.symlinkSync('/dev/null', part);
    server.route('/f.bin', serveBytes(data));
    h.engine.resume(d!.id);
    const failed = await h.waitFor(d!.id, 'failed');
    expect(failed.error?.code).toBe('FILE_ERROR');
    expect(failed.error?.message).toMatch(/flush the download to disk/u);
    expect(fs.existsSync(path.join(h.downloadDir, 'f.bin'))).toBe(false);
  });
});

describe.runIf(canMount)('a store that cannot save', () => {
  it('refuses an add whose record could not be written, keeping nothing to download later', async () => {
    const dataDir = tinyDisk(256)!;
    const h = startEngine({ dataDir });
    server = await startTestServer({ '/never': serveBytes(testBytes(10)) });
    fillDisk(dataDir);
    expect(() => h.engine.add({ url: server!.url('/never') })).toThrow(/could not save the new download/u);
    expect(h.engine.list()).toEqual([]);
    expect(server.requestsTo('/never')).toHaveLength(0);
  });
});
