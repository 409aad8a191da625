import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { benchEnv, haulTool, summarise, type Row, type ToolRun } from './download-bench.ts';
import { startFileServer, type BenchServer } from './lib/file-server.ts';
import { measure, which, type Measurement } from './lib/measure.ts';

/** The stream: 120 s of 720p at 2.9 Mbit/s, about 46 MiB. */
const SMALL = { name: 'hls720', seconds: 120, kbits: 2900 };
/** A long one for memory: 15 minutes at 9.5 Mbit/s, about 1 GiB in 450 segments. */
const LARGE = { name: 'hls720-1g', seconds: 900, kbits: 9500 };

/**
 * An HLS stream of 720p in MPEG-TS segments of 2 s, made once by ffmpeg into `www/<name>/`.
 * Returns its size in bytes (the segments').
 */
function ensureStream(www: string, stream: typeof SMALL): number {
  const dir = path.join(www, stream.name);
  const rate = `${stream.kbits}k`;
  if (!fs.existsSync(path.join(dir, 'index.m3u8'))) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync(
      'ffmpeg',
      [
        ...['-hide_banner', '-loglevel', 'error', '-y'],
        ...['-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${stream.seconds}`, '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${stream.seconds}`],
        ...[
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
          '-b:v',
          rate,
          '-maxrate',
          rate,
          '-bufsize',
          `${2 * stream.kbits}k`,
          '-g',
          '60',
          '-keyint_min',
          '60',
          '-sc_threshold',
          '0',
          '-pix_fmt',
          'yuv420p',
        ],
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
export async function runMediaBench(workDir: string, opts: { rounds: number; rateBytes: number }): Promise<{ bytes: number; paced: Row[]; unpaced: Row[]; largeBytes: number; large: Row[] }> {
  const www = path.join(workDir, 'www');
  const bytes = ensureStream(www, SMALL);
  const largeBytes = ensureStream(www, LARGE);
  const haul = (label: string, extra: string[]): ToolRun => ({
    tool: label,
    argv: (url, out) =>
      haulTool(label, extra)
        .argv(url, out)
        .concat(['-o', path.join(out, 'video.mp4')]),
  });
  // Defaults fetch 16 segments at once; -x 8 shows Haul with as many as yt-dlp -N 8.
  const tools: ToolRun[] = [haul('haul get (defaults)', []), haul('haul get -x 8', ['-x', '8'])];
  const ytdlp = which('yt-dlp');
  if (ytdlp !== undefined) tools.push({ tool: 'yt-dlp -N 8', argv: (url, out) => [ytdlp, '-q', '--no-warnings', '-N', '8', '--remux-video', 'mp4', '-o', path.join(out, 'video.%(ext)s'), url] });
  const ffmpeg = which('ffmpeg');
  if (ffmpeg !== undefined) tools.push({ tool: 'ffmpeg -c copy', argv: (url, out) => [ffmpeg, '-hide_banner', '-loglevel', 'error', '-y', '-i', url, '-c', 'copy', path.join(out, 'video.mp4')] });
  // Floors for the unpaced stream, not tools for the job: the segments fetched 16 at once and
  // written, nothing joined (curl); and Haul's start and exit around a 1 KiB file.
  fs.writeFileSync(path.join(www, 'one-kib.bin'), Buffer.alloc(1024, 1));
  const floors: ToolRun[] = [];
  const curl = which('curl');
  if (curl !== undefined)
    floors.push({
      tool: 'floor: curl -Z, the 60 segments only',
      argv: (url, out) => [curl, '-sS', '--no-progress-meter', '-Z', '--parallel-max', '16', url.replace('index.m3u8', 'seg[000-059].ts'), '-o', path.join(out, 'seg#1.ts')],
    });
  floors.push({ tool: 'floor: haul get, a 1 KiB file', argv: (url, out) => haulTool('floor', []).argv(new URL('/one-kib.bin', url).href, out) });
  const out = path.join(workDir, 'out', 'media');
  const run = async (server: () => Promise<BenchServer>, stream = SMALL, only = tools): Promise<Row[]> => {
    const results = new Map<string, Measurement[]>(only.map((t) => [t.tool, []]));
    for (let round = 0; round < opts.rounds; round++) {
      for (const tool of round % 2 === 0 ? only : [...only].reverse()) {
        const s = await server();
        fs.rmSync(out, { recursive: true, force: true });
        fs.mkdirSync(out, { recursive: true });
        try {
          const m = await measure(tool.argv(`${s.baseUrl}/${stream.name}/index.m3u8`, out), benchEnv());
          if (m.code !== 0) throw new Error(`${tool.tool} failed: exit ${m.code}`);
          const seconds = floors.includes(tool) ? stream.seconds : durationOf(path.join(out, 'video.mp4'));
          if (!(Math.abs(seconds - stream.seconds) < 0.5)) throw new Error(`${tool.tool} failed: a video of ${seconds} s`);
          results.get(tool.tool)?.push(m);
        } finally {
          await s.stop();
        }
      }
    }
    return only.map((t) => summarise(t.tool, results.get(t.tool) ?? [], stream === SMALL ? bytes : largeBytes));
  };
  const paced = await run(() => startFileServer(www, path.join(workDir, 'media-paced'), { server: 'node', perConnectionRate: opts.rateBytes }));
  const nginx = () => startFileServer(www, path.join(workDir, 'media-nginx'));
  const unpaced = await run(nginx, SMALL, [...tools, ...floors]);
  // Memory over a long stream: Haul at its defaults and ffmpeg.
  const large = await run(
    nginx,
    LARGE,
    tools.filter((t) => t.tool === 'haul get (defaults)' || t.tool === 'ffmpeg -c copy'),
  );
  return { bytes, paced, unpaced, largeBytes, large };
}
