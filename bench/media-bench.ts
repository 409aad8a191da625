import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { benchEnv, haulTool, summarise, type Row, type ToolRun } from './download-bench.ts';
import { startFileServer, type BenchServer } from './lib/file-server.ts';
import { measure, which, type Measurement } from './lib/measure.ts';

const SECONDS = 120;

/**
 * A 120 s 720p HLS stream (60 MPEG-TS segments of 2 s, about 46 MiB), made once by ffmpeg
 * into `www/hls720/`. Returns its size in bytes (the segments').
 */
function ensureStream(www: string): number {
  const dir = path.join(www, 'hls720');
  if (!fs.existsSync(path.join(dir, 'index.m3u8'))) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync(
      'ffmpeg',
      [
        ...['-hide_banner', '-loglevel', 'error', '-y'],
        ...['-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${SECONDS}`, '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '2900k', '-maxrate', '2900k', '-bufsize', '5800k', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-pix_fmt', 'yuv420p'],
        ...['-c:a', 'aac', '-b:a', '128k', '-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod', '-hls_segment_filename', 'seg%03d.ts', 'index.m3u8'],
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  return fs.readdirSync(dir).reduce((n, f) => n + (f.endsWith('.ts') ? fs.statSync(path.join(dir, f)).size : 0), 0);
}

/** ffprobe's duration of `file`, or NaN when it is no video. */
function durationOf(file: string): number {
  try {
    return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
  } catch {
    return Number.NaN;
  }
}

/**
 * Issue 25's benchmark: the stream above from a server pacing each TCP connection at `rate`
 * (and unpaced from nginx), as one MP4: haul get (defaults) against yt-dlp -N 8 and
 * ffmpeg -c copy. Each result must be a video of the stream's length.
 */
export async function runMediaBench(workDir: string, opts: { rounds: number; rateBytes: number }): Promise<{ bytes: number; paced: Row[]; unpaced: Row[] }> {
  const www = path.join(workDir, 'www');
  const bytes = ensureStream(www);
  const haul = (label: string, extra: string[]): ToolRun => ({
    tool: label,
    argv: (url, out) =>
      haulTool(label, extra)
        .argv(url, out)
        .concat(['-o', path.join(out, 'video.mp4')]),
  });
  // Defaults fetch 8 segments at once; -x 16 shows what more connections give where each one is paced.
  const tools: ToolRun[] = [haul('haul get (defaults)', []), haul('haul get -x 16', ['-x', '16'])];
  const ytdlp = which('yt-dlp');
  if (ytdlp !== undefined) tools.push({ tool: 'yt-dlp -N 8', argv: (url, out) => [ytdlp, '-q', '--no-warnings', '-N', '8', '--remux-video', 'mp4', '-o', path.join(out, 'video.%(ext)s'), url] });
  const ffmpeg = which('ffmpeg');
  if (ffmpeg !== undefined) tools.push({ tool: 'ffmpeg -c copy', argv: (url, out) => [ffmpeg, '-hide_banner', '-loglevel', 'error', '-y', '-i', url, '-c', 'copy', path.join(out, 'video.mp4')] });
  const out = path.join(workDir, 'out', 'media');
  const run = async (server: () => Promise<BenchServer>): Promise<Row[]> => {
    const results = new Map<string, Measurement[]>(tools.map((t) => [t.tool, []]));
    for (let round = 0; round < opts.rounds; round++) {
      for (const tool of round % 2 === 0 ? tools : [...tools].reverse()) {
        const s = await server();
        fs.rmSync(out, { recursive: true, force: true });
        fs.mkdirSync(out, { recursive: true });
        try {
          const m = await measure(tool.argv(`${s.baseUrl}/hls720/index.m3u8`, out), benchEnv());
          const seconds = durationOf(path.join(out, 'video.mp4'));
          if (m.code !== 0 || !(Math.abs(seconds - SECONDS) < 0.5)) throw new Error(`${tool.tool} failed: exit ${m.code}, a video of ${seconds} s`);
          results.get(tool.tool)?.push(m);
        } finally {
          await s.stop();
        }
      }
    }
    return tools.map((t) => summarise(t.tool, results.get(t.tool) ?? [], bytes));
  };
  const paced = await run(() => startFileServer(www, path.join(workDir, 'media-paced'), { server: 'node', perConnectionRate: opts.rateBytes }));
  const unpaced = await run(() => startFileServer(www, path.join(workDir, 'media-nginx')));
  return { bytes, paced, unpaced };
}
