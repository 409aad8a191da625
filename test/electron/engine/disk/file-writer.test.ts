import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../../../electron/engine/disk/buffer-pool.ts';
import { FileWriter } from '../../../../electron/engine/disk/file-writer.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import { waitUntil } from '../../../helpers/wait.ts';
import { sha256, testBytes } from '../../../helpers/test-server.ts';

describe('FileWriter', () => {
  it('copies chunks, so the caller may reuse its buffer at once, and writes them in order at the offset', async () => {
    const file = path.join(tempDir(), 'out.bin');
    fs.writeFileSync(file, Buffer.alloc(100, 0x2a));
    const fd = fs.openSync(file, 'r+');
    const data = testBytes(3 * 1024 * 1024 + 123, 41);
    let written = 0;
    const writer = new FileWriter(fd, 100, { pool: new BufferPool(64 * 1024, 3), buffers: 3, onWritten: (n) => (written += n) });
    const scratch = Buffer.alloc(10_000);
    let paused = 0;
    for (let offset = 0; offset < data.length; offset += scratch.length) {
      const n = data.copy(scratch, 0, offset, offset + scratch.length);
      if (!writer.write(scratch.subarray(0, n))) {
        paused += 1;
        await new Promise<void>((resolve) => {
          const stop = writer.onDrained(() => {
            stop();
            resolve();
          });
        });
      }
      scratch.fill(0xff); // reuse: must not corrupt what was accepted
    }
    await writer.idle();
    fs.closeSync(fd);
    const out = fs.readFileSync(file);
    expect(out.subarray(0, 100).every((b) => b === 0x2a)).toBe(true);
    expect(sha256(out.subarray(100))).toBe(sha256(data));
    expect(written).toBe(data.length);
    expect(paused).toBeGreaterThan(0);
  });

  it('writes nothing once its fence says another node took the download over, not even bytes it had already accepted', async () => {
    const file = path.join(tempDir(), 'fenced.bin');
    fs.writeFileSync(file, Buffer.alloc(0));
    const fd = fs.openSync(file, 'r+');
    let state: 'held' | 'fenced' = 'held';
    const writer = new FileWriter(fd, 0, { pool: new BufferPool(64 * 1024, 4), buffers: 4, fence: { check: () => state } });
    writer.write(Buffer.alloc(64 * 1024, 1));
    // Accepted while held and waiting behind the write in flight when the lease lapses (a frozen node waking up).
    writer.write(Buffer.alloc(1000, 2));
    state = 'fenced';
    writer.write(Buffer.alloc(1000, 3));
    await writer.idle();
    fs.closeSync(fd);
    const out = fs.readFileSync(file);
    expect(out.length).toBe(64 * 1024);
    expect(out.every((b) => b === 1)).toBe(true);
  });

  it('stays ordered when the drain listener writes again synchronously (as undici does on resume)', async () => {
    const file = path.join(tempDir(), 'reentrant.bin');
    const fd = fs.openSync(file, 'w');
    const data = testBytes(4 * 1024 * 1024, 42);
    const writer = new FileWriter(fd, 0, { pool: new BufferPool(64 * 1024, 2), buffers: 2 });
    let offset = 0;
    const pump = (): void => {
      // Keep feeding until told to pause; resumed from inside the drain listener, like a parser's buffered chunks.
      while (offset < data.length) {
        const chunk = data.subarray(offset, offset + 48 * 1024);
        offset += chunk.length;
        if (!writer.write(chunk)) return;
      }
    };
    writer.onDrained(pump);
    pump();
    await waitUntil(() => offset >= data.length, 10_000, 'every chunk handed to the writer');
    await writer.idle();
    fs.closeSync(fd);
    expect(sha256(fs.readFileSync(file))).toBe(sha256(data));
  });

  it('takes its buffers from a shared pool and gives them back, so the next writer allocates none', async () => {
    const file = path.join(tempDir(), 'pooled.bin');
    const fd = fs.openSync(file, 'w');
    const pool = new BufferPool(64 * 1024, 8);
    const data = testBytes(2 * 1024 * 1024, 43);
    const first = new FileWriter(fd, 0, { pool, buffers: 4 });
    first.write(data.subarray(0, 1024 * 1024));
    await first.idle();
    // Sixteen buffers went to the disk; the pool keeps eight of them for the next writers.
    const kept = pool.idle;
    expect(kept).toBe(8);
    // The next request's writer reuses them: the pool never holds more than the first left.
    const second = new FileWriter(fd, 1024 * 1024, { pool, buffers: 4 });
    second.write(data.subarray(1024 * 1024, 1024 * 1024 + 64 * 1024));
    expect(pool.idle).toBe(kept - 1);
    second.write(data.subarray(1024 * 1024 + 64 * 1024));
    await second.idle();
    expect(pool.idle).toBe(kept);
    fs.closeSync(fd);
    expect(sha256(fs.readFileSync(file))).toBe(sha256(data));
  });

  it('reports a write error once and rejects idle()', async () => {
    const fd = fs.openSync('/dev/full', 'w');
    const errors: string[] = [];
    const writer = new FileWriter(fd, 0, { onError: (e) => errors.push(e.code) });
    writer.write(Buffer.alloc(1000));
    await expect(writer.idle()).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(errors).toEqual(['DISK_FULL']);
    expect(writer.write(Buffer.alloc(10))).toBe(false);
    fs.closeSync(fd);
  });
});
