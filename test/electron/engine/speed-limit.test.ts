import { afterEach, describe, expect, it } from 'vitest';
import { readDownloaded, startEngine } from '../../helpers/engine-harness.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';

let server: TestServer;
afterEach(async () => server?.close());

const KiB = 1024;

// Only upper bounds on what arrived by each moment: a slow machine can never fail them, a
// limit that does not hold always does.
describe.each(['auto', 'undici'] as const)('%s transport: the speed limit', (mode) => {
  it.each([
    ['a sized body', false],
    ['a chunked body of many small chunks', true],
  ])('holds for %s', async (_label, chunked) => {
    const rate = 512 * KiB;
    const data = testBytes(1536 * KiB, 501);
    // Many chunks arrive in one read: each must count, not only the first.
    server = await startTestServer({ '/l': serveBytes(data, { chunked, pieces: 4 * KiB }) });
    const h = startEngine({ transportOptions: { mode }, progressIntervalMs: 20 });
    const started = Date.now();
    const [d] = h.engine.add({ url: server.url('/l'), speedLimit: rate });
    // Allowed at any moment: the bucket's burst (250 ms), plus what one read and one writer
    // batch may hold before the pause takes effect.
    const slack = rate / 4 + 512 * KiB;
    let worst = 0;
    h.engine.on('progress', (items) => {
      const item = items.find((i) => i.id === d!.id);
      if (item !== undefined) worst = Math.max(worst, item.received - ((Date.now() - started) / 1000) * rate);
    });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(worst).toBeLessThanOrEqual(slack);
    expect(Date.now() - started).toBeGreaterThanOrEqual(((data.length - slack) / rate) * 1000);
  });
});
