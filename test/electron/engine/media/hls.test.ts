import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Remuxer } from '../../../../electron/engine/media/remux.ts';
import { startEngine } from '../../../helpers/engine-harness.ts';
import { runHaul, spawnHaul } from '../../../helpers/run-cli.ts';
import { decodeErrors, makeHlsFixtures, probe, serveDir } from '../../../helpers/media-fixtures.ts';
import { lastingDir, tempDir } from '../../../helpers/temp-dir.ts';
import { eventually, waitUntil } from '../../../helpers/wait.ts';
import { startTestServer, type TestServer } from '../../../helpers/test-server.ts';

let server: TestServer;
let media: string;
let seconds: number;

beforeAll(async () => {
  media = lastingDir('haul-hls-');
  ({ seconds } = makeHlsFixtures(media));
  server = await startTestServer();
  for (const sub of ['ts', 'fmp4', 'aes', 'ranges', 'master', 'dash', 'dash-base']) {
    const root = path.join(media, sub);
    const walk = (d: string): void => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else server.route(`/${sub}/${path.relative(root, full)}`, serveDir(media));
      }
    };
    walk(root);
  }
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** Checks a finished video the way a person would: ffprobe's streams and duration, and a full decode. */
function expectPlayable(file: string, want: { height: number }): void {
  const info = probe(file);
  expect(Math.abs(info.duration - seconds)).toBeLessThan(0.1);
  const video = info.streams.find((s) => s.codec_type === 'video');
  expect(video).toMatchObject({ codec_name: 'h264', height: want.height });
  expect(info.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
  expect(decodeErrors(file)).toBe('');
}

describe('HLS: the video of a playlist, as one MP4', () => {
  for (const [kind, what] of [
    ['ts', 'MPEG-TS segments'],
    ['fmp4', 'fMP4 segments after an init section'],
    ['aes', 'AES-128 encrypted segments'],
    ['ranges', 'byte ranges of one file'],
  ] as const) {
    it(`joins ${what} into a playable MP4 named after the playlist`, async () => {
      const h = startEngine();
      const [d] = h.engine.add({ url: server.url(`/${kind}/index.m3u8`) });
      const done = await h.waitFor(d!.id, 'completed', 60_000);
      expect(done.filename).toBe('index.mp4');
      const file = path.join(done.dir, done.filename);
      expectPlayable(file, { height: 360 });
      expect(done.received).toBe(fs.statSync(file).size);
      // Marked with where it came from (while the segments downloaded: the join's writes keep it).
      expect(execFileSync('getfattr', ['--only-values', '-n', 'user.xdg.origin.url', file], { encoding: 'utf8' })).toBe(server.url(`/${kind}/index.m3u8`));
      // Nothing of the work is left beside it.
      expect(fs.readdirSync(done.dir)).toEqual(['index.mp4']);
    }, 90_000);
  }

  it('joins across #EXT-X-DISCONTINUITY: a second encoding whose timestamps start again follows the first', async () => {
    const ts = fs.readFileSync(path.join(media, 'ts', 'index.m3u8'), 'utf8');
    const body = ts.slice(ts.indexOf('#EXTINF'), ts.indexOf('#EXT-X-ENDLIST'));
    const twice = `${ts.slice(0, ts.indexOf('#EXTINF'))}${body}#EXT-X-DISCONTINUITY\n${body}#EXT-X-ENDLIST\n`;
    server.route('/ts/twice.m3u8', (_req, res) => res.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' }).end(twice));
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/ts/twice.m3u8') });
    const done = await h.waitFor(d!.id, 'completed', 60_000);
    const file = path.join(done.dir, done.filename);
    expect(Math.abs(probe(file).duration - 2 * seconds)).toBeLessThan(0.1);
    expect(decodeErrors(file)).toBe('');
  }, 90_000);

  it('keeps an MPEG-TS stream as one .ts when asked (--container ts), and makes an MP4 of fMP4 segments all the same', async () => {
    const h = startEngine();
    const other = startEngine();
    const [ts] = h.engine.add({ url: server.url('/ts/index.m3u8'), container: 'ts' });
    const [fmp4] = other.engine.add({ url: server.url('/fmp4/index.m3u8'), container: 'ts' });
    const a = await h.waitFor(ts!.id, 'completed', 60_000);
    const b = await other.waitFor(fmp4!.id, 'completed', 60_000);
    expect(a.filename).toBe('index.ts');
    const joined = Buffer.concat(['seg000.ts', 'seg001.ts', 'seg002.ts'].map((f) => fs.readFileSync(path.join(media, 'ts', f))));
    expect(fs.readFileSync(path.join(a.dir, a.filename)).equals(joined)).toBe(true);
    expect(decodeErrors(path.join(a.dir, a.filename))).toBe('');
    expect(b.filename).toBe('index.mp4');
    expectPlayable(path.join(b.dir, b.filename), { height: 360 });
  }, 90_000);

  it('DASH: joins the video and audio representations of a static MPD (SegmentTemplate with a timeline) into a playable MP4', async () => {
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/dash/manifest.mpd') });
    const done = await h.waitFor(d!.id, 'completed', 60_000);
    expect(done.filename).toBe('manifest.mp4');
    expect(done.media).toMatchObject({ kind: 'dash', height: 360 });
    expectPlayable(path.join(done.dir, done.filename), { height: 360 });
  }, 90_000);

  it("DASH SegmentBase: reads each representation's segment index, then fetches its segments as byte ranges of the one file", async () => {
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/dash-base/manifest.mpd') });
    const done = await h.waitFor(d!.id, 'completed', 60_000);
    expect(done.media).toMatchObject({ kind: 'dash', height: 360 });
    // Two init sections and the fragments of six seconds of video and audio.
    expect(done.media?.segments).toBeGreaterThan(6);
    expectPlayable(path.join(done.dir, done.filename), { height: 360 });
    // Every segment was asked for as a range of its file.
    const ranged = server.requests.filter((r) => r.path === '/dash-base/video.mp4').map((r) => r.headers.range);
    expect(ranged.length).toBeGreaterThan(3);
    expect(ranged.every((range) => typeof range === 'string' && /^bytes=\d+-\d+$/u.test(range))).toBe(true);
  }, 90_000);

  it('from a master playlist: the best quality by default, another on request, with the audio rendition joined in', async () => {
    const h = startEngine();
    const [best] = h.engine.add({ url: server.url('/master/master.m3u8'), filename: 'best.mp4' });
    const [small] = h.engine.add({ url: server.url('/master/master.m3u8'), filename: 'small.mp4', quality: '180p' });
    const a = await h.waitFor(best!.id, 'completed', 60_000);
    const b = await h.waitFor(small!.id, 'completed', 60_000);
    expectPlayable(path.join(a.dir, a.filename), { height: 360 });
    expectPlayable(path.join(b.dir, b.filename), { height: 180 });
  }, 120_000);

  it('haul get saves the video of a playlist link, at the quality asked for, and says where', async () => {
    const dir = tempDir();
    const result = await runHaul(['get', server.url('/master/master.m3u8'), '-d', dir, '--quality', 'worst', '-q'], { HAUL_DATA_DIR: tempDir() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expectPlayable(path.join(dir, 'master.mp4'), { height: 180 });
    const bad = await runHaul(['get', server.url('/master/master.m3u8'), '-d', dir, '--quality', 'sharp'], { HAUL_DATA_DIR: tempDir() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"quality" must be best, worst, a height such as 720p/u);
  }, 60_000);

  it('keeps to its speed limit over all its segments at once', async () => {
    const bytes = fs.readdirSync(path.join(media, 'ts')).reduce((n, f) => n + (f.endsWith('.ts') ? fs.statSync(path.join(media, 'ts', f)).size : 0), 0);
    // About three seconds' worth at the limit.
    const rate = Math.ceil(bytes / 3);
    const h = startEngine({ progressIntervalMs: 20 });
    const started = Date.now();
    const [d] = h.engine.add({ url: server.url('/ts/index.m3u8'), speedLimit: rate, filename: 'limited.mp4' });
    // Only upper bounds on what arrived by each moment (as for files): the bucket's burst, and one read per segment fetched at once.
    const slack = rate / 4 + 16 * 64 * 1024;
    let worst = 0;
    h.engine.on('progress', (items) => {
      const item = items.find((i) => i.id === d!.id);
      if (item !== undefined) worst = Math.max(worst, item.received - ((Date.now() - started) / 1000) * rate);
    });
    const done = await h.waitFor(d!.id, 'completed', 60_000);
    expectPlayable(path.join(done.dir, done.filename), { height: 360 });
    expect(worst).toBeLessThanOrEqual(slack);
    expect(Date.now() - started).toBeGreaterThanOrEqual(((bytes - slack) / rate) * 1000);
  }, 60_000);

  it('pauses and resumes where it was: segments already on disk (flushed at the pause) are not fetched again', async () => {
    const dir = path.join(media, 'gated');
    fs.mkdirSync(dir, { recursive: true });
    for (const name of ['index.m3u8', 'seg000.ts', 'seg001.ts', 'seg002.ts']) fs.copyFileSync(path.join(media, 'ts', name), path.join(dir, name));
    for (const name of ['index.m3u8', 'seg000.ts', 'seg001.ts']) server.route(`/gated/${name}`, serveDir(media));
    let open = false;
    const waiting: Array<() => void> = [];
    server.route('/gated/seg002.ts', (req, res) => {
      if (open) serveDir(media)(req, res, 0);
      else waiting.push(() => res.destroy());
    });
    // No checkpoint before the pause: the pause itself must flush and record the segments written.
    const h = startEngine({ checkpointIntervalMs: 3_600_000 });
    const [d] = h.engine.add({ url: server.url('/gated/index.m3u8') });
    const id = d!.id;
    const segments = () => JSON.stringify(h.engine.details(id).segments);
    // The detail panel's map: two on disk, the third being fetched.
    await waitUntil(() => segments() === JSON.stringify({ total: 3, done: [[0, 2]], inFlight: [2] }) && waiting.length > 0, 30_000, 'two segments on disk, the third held back');
    expect(h.engine.get(id)?.media?.segmentsDone).toBe(0);
    h.engine.pause(id);
    await waitUntil(() => h.engine.get(id)?.connections === 0 && h.engine.get(id)?.media?.segmentsDone === 2, 10_000, 'the run stopped, its two segments recorded');
    for (const drop of waiting.splice(0)) drop();
    open = true;
    h.engine.resume(id);
    const done = await h.waitFor(id, 'completed', 60_000);
    expectPlayable(path.join(done.dir, done.filename), { height: 360 });
    expect(h.engine.details(id).segments).toEqual({ total: 3, done: [[0, 3]], inFlight: [] });
    expect(server.requestsTo('/gated/seg000.ts')).toHaveLength(1);
    expect(server.requestsTo('/gated/seg001.ts')).toHaveLength(1);
    expect(server.requestsTo('/gated/seg002.ts').length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('after kill -9 of haul get, running it again fetches only the segments not yet on disk', async () => {
    const dir = path.join(media, 'killed');
    fs.mkdirSync(dir, { recursive: true });
    for (const name of ['index.m3u8', 'seg000.ts', 'seg001.ts', 'seg002.ts']) fs.copyFileSync(path.join(media, 'ts', name), path.join(dir, name));
    for (const name of ['index.m3u8', 'seg000.ts', 'seg001.ts']) server.route(`/killed/${name}`, serveDir(media));
    let open = false;
    server.route('/killed/seg002.ts', (req, res) => {
      if (open) serveDir(media)(req, res, 0);
      else res.on('close', () => undefined);
    });
    const dataDir = tempDir();
    const out = tempDir();
    const args = ['get', server.url('/killed/index.m3u8'), '-d', out, '-q'];
    const first = spawnHaul(args, { HAUL_DATA_DIR: dataDir });
    // What the store has recorded as on disk: only that survives a kill.
    const recorded = (): number => {
      const folder = path.join(dataDir, 'get');
      const file = fs.existsSync(folder) ? fs.readdirSync(folder).find((f) => f.endsWith('.sqlite')) : undefined;
      if (file === undefined) return 0;
      const db = new DatabaseSync(path.join(folder, file), { readOnly: true });
      try {
        const rows = db.prepare('SELECT data FROM downloads').all() as Array<{ data: string }>;
        const media = (JSON.parse(rows[0]?.data ?? '{}') as { media?: { done?: Array<[number, number]> } }).media;
        return (media?.done ?? []).reduce((n, [a, b]) => n + (b - a), 0);
      } finally {
        db.close();
      }
    };
    await eventually(async () => recorded() === 2, 30_000, 'two segments recorded as on disk').catch((error: Error) => {
      throw new Error(`${error.message}; ${recorded()} recorded; haul get ${first.child.exitCode === null ? 'still running' : `exited ${first.child.exitCode}`}`);
    });
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    open = true;
    const second = await runHaul(args, { HAUL_DATA_DIR: dataDir });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expectPlayable(path.join(out, 'index.mp4'), { height: 360 });
    expect(server.requestsTo('/killed/seg000.ts')).toHaveLength(1);
    expect(server.requestsTo('/killed/seg001.ts')).toHaveLength(1);
  }, 90_000);

  it('fails at once, naming the segment and the status, when a segment is not there', async () => {
    const dir = path.join(media, 'broken');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.m3u8'), fs.readFileSync(path.join(media, 'ts', 'index.m3u8'), 'utf8').replace('seg001.ts', 'missing.ts'));
    for (const name of ['seg000.ts', 'seg002.ts']) fs.copyFileSync(path.join(media, 'ts', name), path.join(dir, name));
    for (const name of ['index.m3u8', 'seg000.ts', 'seg002.ts']) server.route(`/broken/${name}`, serveDir(media));
    const h = startEngine();
    const [d] = h.engine.add({ url: server.url('/broken/index.m3u8') });
    const failed = await h.waitFor(d!.id, 'failed', 30_000);
    expect(failed.error?.code).toBe('HTTP_ERROR');
    expect(failed.error?.message).toMatch(/segment 2 of 3 \(\/broken\/missing\.ts\).*HTTP 404/u);
    expect(fs.readdirSync(failed.dir).filter((f) => f.endsWith('.mp4'))).toEqual([]);
  }, 60_000);

  it('refuses a live stream, DRM and a playlist that is not one (HLS and DASH), saying which', async () => {
    const ts = fs.readFileSync(path.join(media, 'ts', 'index.m3u8'), 'utf8');
    const cases: Array<[string, string, RegExp]> = [
      ['/live.m3u8', ts.replace('#EXT-X-ENDLIST', '').replace('#EXT-X-PLAYLIST-TYPE:VOD\n', ''), /live stream/u],
      ['/drm.m3u8', ts.replace('#EXTINF', '#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://key"\n#EXTINF'), /METHOD=SAMPLE-AES \(DRM\)/u],
      ['/bad.m3u8', ts.replace('#EXTINF:2.000000,', '#EXTINF:soon,'), /line \d+: "#EXTINF:soon," has no duration/u],
    ];
    const mpd = fs.readFileSync(path.join(media, 'dash', 'manifest.mpd'), 'utf8');
    cases.push(
      ['/live.mpd', mpd.replace('type="static"', 'type="dynamic"'), /live stream \(a dynamic DASH manifest\)/u],
      ['/drm.mpd', mpd.replace('<Representation id="0"', '<ContentProtection schemeIdUri="urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"/><Representation id="0"'), /DASH ContentProtection, DRM/u],
    );
    const h = startEngine();
    for (const [route, text] of cases)
      server.route(route, (_req, res) => res.writeHead(200, { 'content-type': route.endsWith('.mpd') ? 'application/dash+xml' : 'application/vnd.apple.mpegurl' }).end(text));
    for (const [route, , message] of cases) {
      const [d] = h.engine.add({ url: server.url(route) });
      const failed = await h.waitFor(d!.id, 'failed', 30_000);
      expect(failed.error?.message).toMatch(message);
    }
  }, 60_000);
});

describe('the remux on its own', () => {
  it('fails at once, saying why, when timestamps go back without a discontinuity being marked (never waits for ever)', async () => {
    const segs = ['seg000.ts', 'seg001.ts', 'seg002.ts'].map((f) => path.join(media, 'ts', f));
    const remuxer = new Remuxer(path.join(tempDir(), 'backwards.mp4'), 1);
    for (const [index, file] of [...segs, ...segs].entries()) remuxer.add({ track: 0, index, files: [file] });
    await expect(remuxer.finish()).rejects.toThrow(/Timestamps cannot be smaller/u);
  }, 30_000);
});
