// How many segments a stream fetches at once: twice a file's connections by default, its own
// number when given, and no more than a server takes (it learns the server's ceiling).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../../helpers/engine-harness.ts';
import { decodeErrors, probe } from '../../../helpers/media-fixtures.ts';
import { lastingDir } from '../../../helpers/temp-dir.ts';
import { startTestServer, type TestServer } from '../../../helpers/test-server.ts';

const REPEATS = 6;
let dir: string;
let playlist: string;
let perRepeat: number;
let server: TestServer | undefined;

beforeAll(() => {
  dir = lastingDir('haul-stream-conns-');
  execFileSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=4', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=4'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-c:a', 'aac', '-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'vod', '-hls_segment_filename', 'seg%03d.ts', 'index.m3u8'],
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // The same few seconds six times over, each time its own addresses: enough segments for many connections at once.
  const text = fs.readFileSync(path.join(dir, 'index.m3u8'), 'utf8');
  const head = text.slice(0, text.indexOf('#EXTINF'));
  const body = text.slice(text.indexOf('#EXTINF'), text.indexOf('#EXT-X-ENDLIST'));
  perRepeat = body.split('\n').filter((l) => l.endsWith('.ts')).length;
  playlist = `${head}${Array.from({ length: REPEATS }, (_, r) => body.replace(/\.ts$/gmu, `.ts?r=${r}`)).join('#EXT-X-DISCONTINUITY\n')}#EXT-X-ENDLIST\n`;
}, 60_000);

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * Serves the stream; segment answers are held until `hold` in-flight requests are waiting (or
 * every segment left is asked for), so the peak of requests at once is what Haul sends, not
 * what timing allowed. Requests beyond `takes` at once get a 503, and until one has, the
 * first ones are held.
 */
async function serveStream(hold: number, takes = Number.POSITIVE_INFINITY): Promise<{ url: string; peak: () => number; refused: () => number; resetPeak: () => void }> {
  let open = 0;
  let peak = 0;
  let served = 0;
  let refused = 0;
  const waiting: Array<() => void> = [];
  const total = perRepeat * REPEATS;
  const release = (): void => {
    for (const go of waiting.splice(0)) go();
  };
  const segment = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (open >= takes) {
      refused += 1;
      res.writeHead(503, { 'content-length': 0 }).end();
      release();
      return;
    }
    open += 1;
    peak = Math.max(peak, open);
    const file = path.join(dir, path.basename((req.url ?? '').split('?')[0] ?? ''));
    waiting.push(() => {
      const bytes = fs.readFileSync(file);
      res.writeHead(200, { 'content-type': 'video/mp2t', 'content-length': bytes.length }).end(bytes, () => {
        open -= 1;
        served += 1;
      });
    });
    // Where connections are refused, the held ones wait for a refusal too: one more than it takes must have come.
    const refusing = Number.isFinite(takes) && refused === 0 && total - served > takes;
    if (!refusing && waiting.length >= Math.min(hold, total - served)) release();
  };
  const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
    '/s/index.m3u8': (_req, res) => res.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' }).end(playlist),
  };
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) routes[`/s/${f}`] = segment;
  server = await startTestServer(routes);
  const s = server;
  return {
    url: s.url('/s/index.m3u8'),
    peak: () => peak,
    refused: () => refused,
    resetPeak: () => {
      peak = 0;
      served = 0;
    },
  };
}

describe('segments at once', () => {
  it('fetches twice the per-download connections at once by default (16), its own number when given', async () => {
    const stream = await serveStream(16);
    const h = startEngine();
    const [d] = h.engine.add({ url: stream.url });
    const done = await h.waitFor(d!.id, 'completed', 60_000);
    expect(stream.peak()).toBe(16);
    const file = path.join(done.dir, done.filename);
    expect(Math.abs(probe(file).duration - 4 * REPEATS)).toBeLessThan(0.2);
    expect(decodeErrors(file)).toBe('');
    await server?.close();
    const own = await serveStream(4);
    const [e] = h.engine.add({ url: own.url, connections: 4, filename: 'four.mp4' });
    await h.waitFor(e!.id, 'completed', 60_000);
    expect(own.peak()).toBe(4);
  }, 90_000);

  it('takes no more than the server does: a refused connection puts its segment back, the ceiling is learnt and kept to', async () => {
    const stream = await serveStream(3, 3);
    const h = startEngine();
    const [d] = h.engine.add({ url: stream.url });
    const done = await h.waitFor(d!.id, 'completed', 60_000);
    expect(stream.refused()).toBeGreaterThan(0);
    expect(decodeErrors(path.join(done.dir, done.filename))).toBe('');
    expect(h.engine.details(d!.id).log.some((e) => e.kind === 'step-down')).toBe(true);
    const host = new URL(stream.url).host;
    const ceiling = h.engine.hostLimits().find((l) => l.host === host)?.connections ?? 16;
    expect(ceiling).toBeLessThan(16);
    // The next stream from that server asks no more than it learnt.
    stream.resetPeak();
    const [e] = h.engine.add({ url: stream.url, filename: 'again.mp4' });
    await h.waitFor(e!.id, 'completed', 60_000);
    expect(stream.peak()).toBeLessThanOrEqual(ceiling);
  }, 90_000);
});
