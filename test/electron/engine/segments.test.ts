import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { readDownloaded, startEngine } from '../../helpers/engine-harness.ts';
import { runHaul, spawnHaul } from '../../helpers/run-cli.ts';
import { countingConcurrency, requestedRange, serveBytes, sha256, startTestServer, status, testBytes, type Handler, type TestServer } from '../../helpers/test-server.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitUntil } from '../../helpers/wait.ts';

let server: TestServer;
afterEach(async () => server?.close());

const MiB = 1024 * 1024;
const KiB = 1024;
// Small pieces and quick growth so real transfers of a few MiB exercise every rule.
const SEGMENTS = { minSegmentedSize: MiB, minPiece: 128 * KiB, minTailPiece: 32 * KiB, tailHedgeAfterMs: 300, initialConnections: 2, growIntervalMs: 50 };

/** The most durable bytes any `haul get` store under `dataDir` records (read-only, as a second process would). */
function durableBytes(dataDir: string): number {
  const dir = path.join(dataDir, 'get');
  let best = 0;
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.sqlite')) : []) {
    const db = new DatabaseSync(path.join(dir, name), { readOnly: true });
    try {
      const row = db.prepare('SELECT MAX(received) AS received FROM downloads').get() as { received: number | null } | undefined;
      best = Math.max(best, Number(row?.received ?? 0));
    } catch {
      // Not created yet.
    } finally {
      db.close();
    }
  }
  return best;
}

/** Ranges asked for by bounded requests (those a split created), which must never overlap. */
function boundedRanges(s: TestServer, p: string, size: number): Array<[number, number]> {
  return s
    .requestsTo(p)
    .map((r) => r.headers.range)
    .filter((r): r is string => r !== undefined && !r.endsWith('-'))
    .map((r) => requestedRange(r, size)!)
    .sort((a, b) => a[0] - b[0]);
}

describe('segmented downloads', () => {
  it('splits a throttled download across connections, without overlap or gaps, to an exact file', async () => {
    const data = testBytes(4 * MiB, 81);
    const counter = countingConcurrency(serveBytes(data, { etag: '"s"', rate: 1 * MiB }));
    server = await startTestServer({ '/big.bin': counter.handler });
    const h = startEngine({ segments: SEGMENTS });
    const [d] = h.engine.add({ url: server.url('/big.bin'), connections: 8 });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(counter.max()).toBeGreaterThanOrEqual(4);
    // A running connection keeps its request open to its old end when another takes the far
    // half (it stops writing at the new end), so requests may overlap on paper; no range is
    // ever fetched twice from the same start. Disjointness of what is written is proven on the
    // scheduler itself (segment-scheduler.test.ts).
    const starts = boundedRanges(server, '/big.bin', data.length).map(([start]) => start);
    expect(new Set(starts).size).toBe(starts.length);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    for (const r of server.requestsTo('/big.bin').slice(1)) expect(r.headers['if-range']).toBe('"s"');
  });

  it('reads a download that never splits as one response to its end, as curl does, where Haul itself is the limit', async () => {
    const data = testBytes(4 * MiB, 79);
    server = await startTestServer({ '/one.bin': serveBytes(data, { etag: '"o"', rate: 4 * MiB }) });
    // The one connection takes 60% of the process (TLS on a fast link): no reason to cut it.
    const h = startEngine({ segments: { ...SEGMENTS, firstRequestBytes: 256 * KiB }, load: () => ({ loop: 0.6, machine: 0.3 }) });
    const [d] = h.engine.add({ url: server.url('/one.bin'), connections: 1 });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    // Ranges work, but nothing else wants a part of the file: no reason to cut the response.
    expect(server.requestsTo('/one.bin').map((r) => r.headers.range)).toEqual([undefined]);
  });

  it('with the default setting, adds no connection to a download whose rest arrives within moments', async () => {
    const data = testBytes(8 * MiB, 78);
    server = await startTestServer({ '/soon.bin': serveBytes(data, { etag: '"n"', rate: 16 * MiB }) });
    const h = startEngine({ segments: { ...SEGMENTS, finishSoonMs: 60_000 } });
    const [d] = h.engine.add({ url: server.url('/soon.bin') });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    // At any rate seen, the rest would take less than a minute: one response, read to its end.
    expect(server.requestsTo('/soon.bin').map((r) => r.headers.range)).toEqual([undefined]);
  });

  it('on a network that holds the connection back, bounds its open-ended first request and goes on with bounded ranges', async () => {
    const data = testBytes(4 * MiB, 77);
    server = await startTestServer({ '/slow.bin': serveBytes(data, { etag: '"w"', rate: 2 * MiB }) });
    const h = startEngine({ segments: { ...SEGMENTS, firstRequestBytes: 256 * KiB }, load: () => ({ loop: 0.05, machine: 0.1 }) });
    const [d] = h.engine.add({ url: server.url('/slow.bin'), connections: 1 });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    // Servers that throttle per request grant each an allowance: the first response stops at a
    // request size past where it was at the first tick, and bounded ranges follow.
    const [first, ...rest] = server.requestsTo('/slow.bin');
    expect(first?.headers.range).toBeUndefined();
    expect(rest.length).toBeGreaterThanOrEqual(2);
    const starts = rest.map((r) => requestedRange(r.headers.range, data.length)![0]);
    expect(starts[0]).toBeGreaterThan(0);
    expect(starts[0]).toBeLessThan(2 * MiB);
    // Each asks for the next bounded range where the last ended, the last one to the end.
    let next = starts[0]!;
    for (const r of rest) {
      const [from, to] = requestedRange(r.headers.range, data.length)!;
      expect(from).toBe(next);
      next = to;
    }
    expect(next).toBe(data.length);
  });

  it('after a broken response, asks for bounded ranges that grow, one after another over a kept-alive connection', async () => {
    const data = testBytes(4 * MiB, 80);
    const whole = serveBytes(data, { etag: '"q"', rate: 4 * MiB });
    const broken = serveBytes(data, { etag: '"q"', rate: 4 * MiB, dropAfter: 256 * KiB });
    server = await startTestServer({ '/seq.bin': (req, res, hit) => (hit === 1 ? broken : whole)(req, res, hit) });
    const h = startEngine({ segments: { ...SEGMENTS, firstRequestBytes: 256 * KiB, targetRequestMs: 500 } });
    const [d] = h.engine.add({ url: server.url('/seq.bin'), connections: 1 });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    const [first, ...rest] = server.requestsTo('/seq.bin');
    // The first request learns the size; once ranges are known to work, every later request
    // is a bounded range starting where the last ended, none smaller than the first size.
    expect(first?.headers.range).toBeUndefined();
    expect(rest.length).toBeGreaterThanOrEqual(3);
    let next = 256 * KiB;
    const sizes: number[] = [];
    for (const r of rest) {
      const [from, to] = requestedRange(r.headers.range, data.length)!;
      expect(from).toBe(next);
      sizes.push(to - from);
      next = to;
    }
    expect(next).toBe(data.length);
    expect(sizes.slice(0, -1).every((size) => size >= 256 * KiB)).toBe(true);
    expect(Math.max(...sizes)).toBeGreaterThan(256 * KiB);
    // The broken response's connection is gone; every later request shares one.
    expect(new Set(rest.map((r) => r.connection)).size).toBe(1);
    expect(rest[0]!.connection).not.toBe(first!.connection);
  });

  it('with the default setting, starts with a few connections and grows while throughput grows', async () => {
    const data = testBytes(6 * MiB, 89);
    const counter = countingConcurrency(serveBytes(data, { etag: '"g"', rate: 512 * KiB }));
    server = await startTestServer({ '/grow.bin': counter.handler });
    // The machine's load is not the subject here (growth holds back on a busy machine, by design,
    // and the suite runs beside other work): it reads as idle.
    const h = startEngine({ segments: SEGMENTS, load: () => ({ loop: 0, machine: 0 }) });
    h.engine.updateSettings({ connectionsPerDownload: 8 });
    const [d] = h.engine.add({ url: server.url('/grow.bin') });
    const opened: number[] = [];
    const probe = setInterval(() => opened.push(counter.current()), 20);
    const done = await h.waitFor(d!.id, 'completed', 30_000);
    clearInterval(probe);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    // A per-connection throttle rewards more connections: from one, then the initial 2, it grew.
    expect(opened.slice(0, 3).every((n) => n <= SEGMENTS.initialConnections)).toBe(true);
    expect(counter.max()).toBeGreaterThan(SEGMENTS.initialConnections);
  });

  it('with the default setting, stays on one connection while it keeps the process busy (TLS on a fast link)', async () => {
    const data = testBytes(6 * MiB, 88);
    const counter = countingConcurrency(serveBytes(data, { etag: '"b"', rate: 1 * MiB }));
    server = await startTestServer({ '/busy.bin': counter.handler });
    // Each connection is held back by the server, but the one connection already takes 60% of
    // the process: four would need more than it has, and a doubling would too.
    const h = startEngine({ segments: SEGMENTS, load: () => ({ loop: 0.6, machine: 0.3 }) });
    h.engine.updateSettings({ connectionsPerDownload: 8 });
    const [d] = h.engine.add({ url: server.url('/busy.bin') });
    const done = await h.waitFor(d!.id, 'completed', 30_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(counter.max()).toBe(1);
    expect(server.requestsTo('/busy.bin').map((r) => r.headers.range)).toEqual([undefined]);
  });

  it('uses one connection for small files and unknown lengths', async () => {
    const small = testBytes(512 * KiB, 82);
    const chunked = testBytes(3 * MiB, 83);
    server = await startTestServer({ '/small': serveBytes(small, { rate: 2 * MiB }), '/chunked': serveBytes(chunked, { chunked: true, rate: 4 * MiB }) });
    const h = startEngine({ segments: SEGMENTS });
    const [a, b] = h.engine.add({ urls: [server.url('/small'), server.url('/chunked')], connections: 8 });
    expect(sha256(readDownloaded(await h.waitFor(a!.id, 'completed')))).toBe(sha256(small));
    expect(sha256(readDownloaded(await h.waitFor(b!.id, 'completed')))).toBe(sha256(chunked));
    expect(server.requestsTo('/small')).toHaveLength(1);
    expect(server.requestsTo('/chunked')).toHaveLength(1);
  });

  it('steps down when extra connections are refused, and remembers the host ceiling', async () => {
    const data = testBytes(4 * MiB, 84);
    const limit = 2;
    let open = 0;
    let refused = 0;
    const strict: Handler = (req, res, hit) => {
      if (open >= limit) {
        refused += 1;
        status(429)(req, res, hit);
        return;
      }
      open += 1;
      res.on('close', () => (open -= 1));
      serveBytes(data, { etag: '"k"', rate: MiB })(req, res, hit);
    };
    server = await startTestServer({ '/a.bin': strict, '/b.bin': strict });
    const h = startEngine({ segments: SEGMENTS });
    const [a] = h.engine.add({ url: server.url('/a.bin'), connections: 8 });
    expect(sha256(readDownloaded(await h.waitFor(a!.id, 'completed', 20_000)))).toBe(sha256(data));
    expect(refused).toBeGreaterThan(0);
    const ceiling = h.engine.hostLimits().find((limit) => limit.host === new URL(server.url('/')).host)?.connections;
    expect(ceiling).toBeGreaterThanOrEqual(1);
    expect(ceiling).toBeLessThanOrEqual(limit);
    const before = refused;
    const [b] = h.engine.add({ url: server.url('/b.bin'), connections: 8 });
    expect(sha256(readDownloaded(await h.waitFor(b!.id, 'completed', 20_000)))).toBe(sha256(data));
    expect(refused).toBe(before);
  });

  it('hedges a slow tail: a second connection takes the far half of a slow last range', async () => {
    const data = testBytes(2 * MiB, 85);
    let slow: [number, number] | undefined;
    const tricky: Handler = (req, res, hit) => {
      const range = requestedRange(req.headers.range, data.length) ?? [0, data.length];
      // The first connection sent to the back half crawls; every other one is fast.
      const crawl = slow === undefined && range[0] >= MiB;
      if (crawl) slow = range;
      serveBytes(data, { etag: '"t"', rate: crawl ? 32 * KiB : 8 * MiB })(req, res, hit);
    };
    server = await startTestServer({ '/tail.bin': tricky });
    const h = startEngine({ segments: { ...SEGMENTS, initialConnections: 4 } });
    const [d] = h.engine.add({ url: server.url('/tail.bin'), connections: 4 });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(slow).toBeDefined();
    // A later request starts inside the crawling connection's range: its far half was taken over.
    const hedges = server.requestsTo('/tail.bin').filter((r) => {
      const start = requestedRange(r.headers.range, data.length)?.[0] ?? 0;
      return start > slow![0] && start < slow![1];
    });
    expect(hedges.length).toBeGreaterThan(0);
  });

  it('drops to one connection cleanly when a range request is answered with 200', async () => {
    const data = testBytes(3 * MiB, 86);
    const counter = countingConcurrency(serveBytes(data, { ignoreRange: true, advertiseRanges: true, rate: 4 * MiB }));
    server = await startTestServer({ '/liar.bin': counter.handler });
    const h = startEngine({ segments: SEGMENTS });
    const [d] = h.engine.add({ url: server.url('/liar.bin'), connections: 8 });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(done.received).toBe(data.length);
    // It did try ranges, and once a range came back whole it asked for no range again:
    // one connection from then on, and no host ceiling learnt from it.
    const ranges = server.requestsTo('/liar.bin').map((r) => r.headers.range);
    const lastRanged = ranges.findLastIndex((r) => r !== undefined);
    expect(lastRanged).toBeGreaterThanOrEqual(0);
    expect(ranges.slice(lastRanged + 1)).toEqual([undefined]);
    expect(counter.current()).toBe(0);
    expect(h.engine.hostLimits()).toEqual([]);
  });

  it('continues from the persisted range map after kill -9 of a real process', { timeout: 60_000 }, async () => {
    const data = testBytes(6 * MiB, 87);
    server = await startTestServer({ '/crash.bin': serveBytes(data, { etag: '"c"', rate: 512 * KiB }) });
    const dir = tempDir();
    const env = { HAUL_DATA_DIR: tempDir() };
    const first = spawnHaul(['get', server.url('/crash.bin'), '-d', dir, '-x', '8'], env);
    const part = path.join(dir, 'crash.bin.haul-part');
    // Kill it once its store holds durable progress from several connections.
    await waitUntil(() => durableBytes(env.HAUL_DATA_DIR) >= 1.5 * MiB, 30_000, 'durable progress (a loaded machine may start the process slowly)');
    first.child.kill('SIGKILL');
    await first.done;
    expect(fs.existsSync(part)).toBe(true);
    const before = server.requests.length;
    server.route('/crash.bin', serveBytes(data, { etag: '"c"' }));
    const second = await runHaul(['get', server.url('/crash.bin'), '-d', dir, '-x', '8'], env);
    expect(second.code).toBe(0);
    expect(sha256(fs.readFileSync(path.join(dir, 'crash.bin')))).toBe(sha256(data));
    const resumed = server.requests.slice(before);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.every((r) => r.headers.range !== undefined && !r.headers.range.startsWith('bytes=0-'))).toBe(true);
  });

  it('applies a speed limit to all connections together', async () => {
    const data = testBytes(768 * KiB, 88);
    server = await startTestServer({ '/limited.bin': serveBytes(data, { etag: '"l"' }) });
    const h = startEngine({ segments: SEGMENTS });
    const started = Date.now();
    const [d] = h.engine.add({ url: server.url('/limited.bin'), connections: 8, speedLimit: 256 * KiB });
    await h.waitFor(d!.id, 'completed', 20_000);
    // A lower bound only: a limiter can never make a transfer faster (accuracy is benchmarked).
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it('moves work off straggling connections: slow ones carry little of the file, and it ends exact', async () => {
    const data = testBytes(8 * MiB, 86);
    // Every third TCP connection (the 2nd, 5th, …) is paced at a sixteenth of the others.
    let accepted = 0;
    const slowSockets = new WeakSet<object>();
    let slowBytes = 0;
    const uneven: Handler = (req, res, hit) => {
      const socket = req.socket;
      if (!(socket as { counted?: boolean }).counted) {
        (socket as { counted?: boolean }).counted = true;
        accepted += 1;
        if (accepted % 3 === 2) {
          slowSockets.add(socket);
          socket.once('close', () => (slowBytes += socket.bytesWritten));
        }
      }
      serveBytes(data, { etag: '"u"', rate: slowSockets.has(socket) ? 128 * KiB : 2 * MiB })(req, res, hit);
    };
    server = await startTestServer({ '/uneven.bin': uneven });
    const h = startEngine({ segments: { ...SEGMENTS, stragglerGraceMs: 300 } });
    const [d] = h.engine.add({ url: server.url('/uneven.bin'), connections: 4 });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    expect(accepted).toBeGreaterThan(2);
    // Stealing alone (no straggler rule) leaves them about 6%; replacing them early, about 1%.
    expect(slowBytes).toBeLessThan(data.length * 0.04);
  });
});

describe.each(['auto', 'undici'] as const)('%s transport: a connection that goes silent', (mode) => {
  it('is replaced once it has delivered nothing for a while, even as the last one running, instead of waiting for its timeout', async () => {
    const data = testBytes(8 * MiB, 71);
    const size = data.length;
    const silenced: http.ServerResponse[] = [];
    let stalled = false;
    // The first ranged request that reaches 5.5 MiB stops sending there and says nothing more (for 90 s, as the reported server did).
    const stallAt = 5.5 * MiB;
    const handler: Handler = (req, res, hit) => {
      const range = requestedRange(req.headers.range, size);
      if (range !== undefined && !stalled && range[0] < stallAt && range[1] > stallAt) {
        stalled = true;
        const [start, end] = range;
        res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': String(end - start + 1), etag: '"s"', 'accept-ranges': 'bytes' });
        res.write(data.subarray(start, stallAt));
        silenced.push(res);
        return;
      }
      serveBytes(data, { etag: '"s"', rate: 4 * MiB })(req, res, hit);
    };
    server = await startTestServer({ '/stall.bin': handler });
    // The idle timeout far beyond the test's wait: only replacing the silent connection can finish it.
    const h = startEngine({ segments: SEGMENTS, transportOptions: { mode, idleTimeoutMs: 120_000 } });
    const [d] = h.engine.add({ url: server.url('/stall.bin'), connections: 4 });
    const done = await h.waitFor(d!.id, 'completed', 20_000);
    expect(stalled).toBe(true);
    expect(sha256(readDownloaded(done))).toBe(sha256(data));
    // The bytes after 5.5 MiB were asked for again by another request.
    expect(server.requestsTo('/stall.bin').some((r) => (requestedRange(r.headers.range, size)?.[0] ?? -1) === stallAt)).toBe(true);
    for (const res of silenced) res.destroy();
  });
});
