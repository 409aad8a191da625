import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Handler } from './test-server.ts';

/** A 6 s test picture with a 440 Hz tone: what every fixture is cut from. */
const SOURCE_SECONDS = 6;

function ffmpeg(args: string[], cwd: string): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const INPUTS = ['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=25:duration=${SOURCE_SECONDS}`, '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SOURCE_SECONDS}`];
const X264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-keyint_min', '25', '-sc_threshold', '0', '-pix_fmt', 'yuv420p'];
const AAC = ['-c:a', 'aac', '-b:a', '64k'];

/**
 * HLS streams made by Debian's ffmpeg in `dir`, one folder each: `ts` (MPEG-TS segments),
 * `fmp4` (fMP4 with an init section), `aes` (AES-128), `ranges` (one file cut by byte ranges),
 * `master` (two qualities, audio as a separate rendition); and `dash` (a static MPD).
 */
export function makeHlsFixtures(dir: string): { seconds: number } {
  const at = (name: string): string => {
    const d = path.join(dir, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const hls = ['-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod'];
  ffmpeg([...INPUTS, ...X264, ...AAC, ...hls, '-hls_segment_filename', 'seg%03d.ts', 'index.m3u8'], at('ts'));
  ffmpeg([...INPUTS, ...X264, ...AAC, ...hls, '-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init.mp4', '-hls_segment_filename', 'seg%03d.m4s', 'index.m3u8'], at('fmp4'));
  const aes = at('aes');
  fs.writeFileSync(path.join(aes, 'video.key'), Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
  fs.writeFileSync(path.join(aes, 'keyinfo'), 'video.key\nvideo.key\n');
  ffmpeg([...INPUTS, ...X264, ...AAC, ...hls, '-hls_key_info_file', 'keyinfo', '-hls_segment_filename', 'seg%03d.ts', 'index.m3u8'], aes);
  ffmpeg([...INPUTS, ...X264, ...AAC, ...hls, '-hls_flags', 'single_file', 'index.m3u8'], at('ranges'));
  ffmpeg(
    [
      ...INPUTS,
      '-map',
      '0:v',
      '-map',
      '0:v',
      '-map',
      '1:a',
      ...X264,
      '-s:v:0',
      '640x360',
      '-b:v:0',
      '800k',
      '-s:v:1',
      '320x180',
      '-b:v:1',
      '300k',
      ...AAC,
      ...hls,
      '-master_pl_name',
      'master.m3u8',
      '-var_stream_map',
      'v:0,agroup:aud v:1,agroup:aud a:0,agroup:aud',
      '-hls_segment_filename',
      'v%v/seg%03d.ts',
      'v%v/index.m3u8',
    ],
    at('master'),
  );
  // DASH: SegmentTemplate with a SegmentTimeline, video and audio in adaptation sets of their own.
  ffmpeg([...INPUTS, ...X264, ...AAC, '-f', 'dash', '-seg_duration', '2', '-use_template', '1', '-use_timeline', '1', '-adaptation_sets', 'id=0,streams=v id=1,streams=a', 'manifest.mpd'], at('dash'));
  return { seconds: SOURCE_SECONDS };
}

/** Serves `dir`'s files by path, with a media type for playlists, keys and segments. */
export function serveDir(dir: string): Handler {
  return (req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const file = path.join(dir, path.normalize(rel).replace(/^(\.\.[/\\])+/u, ''));
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = fs.readFileSync(file);
    const type = file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : file.endsWith('.mpd') ? 'application/dash+xml' : file.endsWith('.ts') ? 'video/mp2t' : 'application/octet-stream';
    const range = /^bytes=(\d+)-(\d*)$/u.exec(req.headers.range ?? '');
    if (range !== null) {
      const start = Number(range[1]);
      const end = range[2] === '' ? body.length - 1 : Math.min(Number(range[2]), body.length - 1);
      res.writeHead(206, { 'content-type': type, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${body.length}` }).end(body.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
  };
}

/** ffprobe's view of a file: its duration and each stream's kind, codec and size. */
export function probe(file: string): { duration: number; streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }> } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name,width,height', '-of', 'json', file], { encoding: 'utf8' });
  const parsed = JSON.parse(out) as { format: { duration: string }; streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }> };
  return { duration: Number(parsed.format.duration), streams: parsed.streams };
}

/** What a full decode says: nothing when every frame decodes. */
export function decodeErrors(file: string): string {
  try {
    execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    return '';
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}
