import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine } from '../../../helpers/engine-harness.ts';
import { startTestServer, testBytes, type TestServer } from '../../../helpers/test-server.ts';

let server: TestServer;
afterEach(async () => server?.close());

const MiB = 1024 * 1024;

describe('PartFile checkpoints', () => {
  it('records durable progress once 64 MiB are written, without waiting for the timer', async () => {
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
    for (let i = 0; i < 200 && durable() < 64 * MiB; i++) await new Promise((r) => setTimeout(r, 50));
    const received = durable();
    expect(received).toBeGreaterThanOrEqual(64 * MiB);
    expect(received).toBeLessThanOrEqual(sent);
    // What the store calls durable is on disk, byte for byte.
    const rec = h.store.loadDownloads().find((r) => r.id === d!.id)!;
    const part = fs.readFileSync(path.join(rec.dir, `${rec.filename}.haul-part`));
    expect(part.subarray(0, received).equals(data.subarray(0, received))).toBe(true);
    await h.engine.remove(d!.id, { deleteFile: true });
  });
});
