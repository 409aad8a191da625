import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureDir } from '../../../../electron/engine/disk/ensure-dir.ts';
import { startEngine } from '../../../helpers/engine-harness.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../../helpers/test-server.ts';

let server: TestServer | undefined;
afterEach(async () => server?.close());

describe('ensureDir', () => {
  it('creates missing parents and accepts an existing folder', async () => {
    const root = tempDir();
    const deep = path.join(root, 'a', 'b', 'c');
    await ensureDir(deep);
    expect(fs.statSync(deep).isDirectory()).toBe(true);
    await ensureDir(deep);
  });

  it('refuses a path through a file, naming it', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'file'), 'x');
    await expect(ensureDir(path.join(root, 'file', 'sub'))).rejects.toThrow(/is a file, not a folder/u);
  });

  // The kernel answers ENOENT for a new folder in /proc although /proc exists: Node's
  // recursive mkdir spins on that for ever, synchronously. This must fail, at once.
  it.runIf(fs.existsSync('/proc/self'))('fails on a folder the system refuses to create (/proc/x) instead of spinning', async () => {
    const started = performance.now();
    const error = await ensureDir('/proc/haul-x/y').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toBe('FILE_ERROR');
    expect((error as Error).message).toContain('/proc/haul-x');
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe.runIf(fs.existsSync('/proc/self'))('a download into a folder that cannot be created', () => {
  it('fails with FILE_ERROR while the engine keeps serving, and fails again on a restart rather than hanging', async () => {
    server = await startTestServer({ '/f': serveBytes(testBytes(1000)) });
    const h = startEngine();
    h.engine.approveFolder('/proc/haul-downloads');
    const [d] = h.engine.add({ url: server.url('/f'), dir: '/proc/haul-downloads' });
    // The event loop stays free meanwhile: a timer set now fires while the download fails.
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const failed = await h.waitFor(d!.id, 'failed');
    clearInterval(timer);
    expect(failed.error?.code).toBe('FILE_ERROR');
    expect(failed.error?.message).toContain('/proc/haul-downloads');
    expect(ticks).toBeGreaterThan(0);
    h.engine.resume(d!.id);
    expect((await h.waitFor(d!.id, 'failed')).error?.code).toBe('FILE_ERROR');
  });
});
